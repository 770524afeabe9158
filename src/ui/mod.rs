//! The terminal UI. The only module that names ratatui.

pub mod app;
pub mod audit;
pub mod clients;
pub mod complaints;
pub mod dorm;
pub mod drafts;
pub mod import;
pub mod keymap;
pub mod messages;
pub mod operators;
pub mod overview;
pub mod pane;
pub mod posts;
pub mod rosters;
pub mod screenshots;
pub mod scrolling;
pub mod staff;
pub mod status;
pub mod svg;
pub mod terminal;
/// Cell widths, shared with exports; named `text` inside the UI.
pub use crate::cells as text;
pub mod theme;
pub mod vehicles;
pub mod widgets;

pub use app::App;
