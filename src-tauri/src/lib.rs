//! Switchboard: every AI coding-agent account in one place, with the active one written into
//! each CLI's own files. The domain never imports tauri; `desktop` is the only shell that does.

pub mod account;
pub mod bindings;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod cli_files;
pub mod config;
pub mod deep_link;
pub mod error;
pub mod files;
pub mod logging;
pub mod providers;
pub mod secret;
pub mod signin;
pub mod store;
pub mod switchboard;
pub mod tray;
pub mod validate;
pub mod vault;
pub mod watch;

#[cfg(feature = "desktop")]
pub mod desktop;

pub use config::Config;
pub use error::{Error, ErrorCode, Result};
pub use switchboard::Switchboard;
