//! Records, value types and rules. Pure: no I/O, no clock (today is passed in).

pub mod audit;
pub mod client;
pub mod complaint;
pub mod money;
pub mod operator;
pub mod text;
pub mod validate;
pub mod visit;

pub use audit::{diff, AuditAction, AuditEntry, FieldChange, Fielded, Meta};
pub use client::*;
pub use complaint::*;
pub use money::Fen;
pub use operator::{Operator, Right, Role};
pub use validate::{FieldError, Invalid};
pub use visit::*;
