//! guardroom: the integrated business department's terminal workbench.

pub mod cells;
pub mod config;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod server;
pub mod service;
pub mod store;
pub mod transfer;
pub mod ui;
