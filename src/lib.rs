//! guardroom: the integrated business department's terminal workbench.

pub mod domain;
pub mod store;
