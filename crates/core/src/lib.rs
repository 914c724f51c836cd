//! Switchboard's core: every AI coding-agent account in one place, with the active one
//! written into each CLI's own files. No GUI library anywhere in its tree: the command line
//! (`crates/cli`) and the desktop app (`src-tauri`) are two faces over the same facade.

/// Declares the core's modules: private to the crate, so the compiler sees what nobody
/// uses, except to the tests crate, which builds the core with the `testing` feature to check
/// its internals. The faces (the command line, the app) go through [`api`] only, which
/// `make test` proves by checking them without that feature.
macro_rules! internal_modules {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "testing")]
            pub mod $name;
            #[cfg(not(feature = "testing"))]
            mod $name;
        )*
    };
}

internal_modules!(
    account,
    catalog,
    check,
    cli_files,
    config,
    deep_link,
    error,
    facade,
    files,
    http,
    ipc,
    lifecycle,
    limits,
    logging,
    providers,
    refresher,
    runtime,
    secret,
    secret_store,
    signin,
    store,
    text,
    time,
    tray,
    usage,
    validate,
    vault,
    watch,
);

pub mod api;

pub use config::Config;
pub use error::{Error, ErrorCode, Result};
pub use facade::Switchboard;

// Generates the UI's TypeScript (`make bindings`); tests only.
#[cfg(test)]
mod bindings;
