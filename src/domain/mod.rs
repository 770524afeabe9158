//! Records, value types and rules. Pure: no I/O, no clock (today is passed in).

pub mod client;
pub mod audit;
pub mod money;
pub mod text;
pub mod validate;
pub mod visit;

pub use client::*;
pub use audit::{diff, AuditAction, AuditEntry, FieldChange, Fielded, Meta};
pub use money::Fen;
pub use validate::{FieldError, Invalid};
pub use visit::*;
