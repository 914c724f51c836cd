//! The CLIs' own files: where they are, how to change only the keys Switchboard owns, and
//! how to write them without ever leaving a torn file.

mod atomic;
mod cli_lock;
mod document;
mod lock;
mod paths;
mod plan;

pub use atomic::{
    create_private_dir, make_private, remove_file, replace_if_unchanged, write_atomic, Replaced,
};
pub use cli_lock::{lock_cli_file, CliLock};
pub use document::{key_path, Document, Format, KeyPath};
pub use lock::lock_files;
pub use paths::CliPaths;
pub use plan::{plan_writes, DesiredFile, PlannedWrite};
