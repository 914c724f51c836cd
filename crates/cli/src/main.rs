//! `switchboard`, the command line: a subcommand, or a `switchboard://` link handed over by
//! the OS. Built from the core alone — no GTK, no WebKit — so the CLIs' helper hooks
//! (`apiKeyHelper`, `awsCredentialExport`) and links start in milliseconds.

mod commands;
mod exec;
mod link;
mod list;
mod login;
mod refresh;
mod signals;
mod usage;

use std::process::ExitCode;

use switchboard_core::api::deep_link;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| deep_link::is_link(a))
    {
        Some(link) => link::run(link),
        None => commands::run(args),
    }
}
