//! Switchboard's core: every AI coding-agent account in one place, with the active one
//! written into each CLI's own files. No GUI library anywhere in its tree: the command line
//! (`crates/cli`) and the desktop app (`src-tauri`) are two faces over the same facade.

pub mod account;
pub mod bindings;
pub mod catalog;
pub mod check;
pub mod cli_files;
pub mod config;
pub mod deep_link;
pub mod error;
pub mod facade;
pub mod files;
pub mod http;
pub mod ipc;
pub mod lifecycle;
pub mod limits;
pub mod logging;
pub mod providers;
pub mod refresher;
pub mod runtime;
pub mod secret;
pub mod secret_store;
pub mod signin;
pub mod store;
pub mod text;
pub mod time;
pub mod tray;
pub mod usage;
pub mod validate;
pub mod vault;
pub mod watch;

pub use config::Config;
pub use error::{Error, ErrorCode, Result};
pub use facade::Switchboard;
