//! Entry point: a subcommand runs the command line; a `switchboard://` link is carried out
//! (`use` and `next` right here — a running app follows within a second — `open` and
//! `connect` in the window); nothing at all opens the window.

use std::process::ExitCode;

use switchboard::{cli, deep_link};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let link = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| deep_link::is_link(a));
    if let Some(link) = link {
        if !(cfg!(feature = "desktop") && cli::link_needs_window(link)) {
            return cli::run_link(link);
        }
    } else if args.len() > 1 {
        return cli::run(args);
    }
    window()
}

#[cfg(feature = "desktop")]
fn window() -> ExitCode {
    switchboard::desktop::run()
}

#[cfg(not(feature = "desktop"))]
fn window() -> ExitCode {
    cli::run(vec!["switchboard".into(), "--help".into()])
}
