//! Records, value types and rules. Pure: no I/O, no clock (today is passed in).

pub mod audit;
pub mod client;
pub mod complaint;
pub mod dorm;
pub mod duty;
pub mod fleet;
pub mod limits;
pub mod money;
pub mod operator;
pub mod post;
pub mod staff;
pub mod text;
pub mod validate;
pub mod visit;

pub use audit::{diff, AuditAction, AuditEntry, FieldChange, Fielded, Meta};
pub use client::*;
pub use complaint::*;
pub use duty::*;
pub use money::Fen;
pub use operator::{Operator, Right, Role};
pub use post::*;
pub use staff::*;
pub use validate::{FieldError, Invalid};
pub use visit::*;
