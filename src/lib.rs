//! guardroom: the integrated business department's terminal workbench.

pub mod backup;
pub mod cells;
pub mod config;
pub mod config_init;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod memory;
pub mod report;
pub mod server;
pub mod service;
pub mod store;
pub mod transfer;
pub mod ui;
