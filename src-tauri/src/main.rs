//! Entry point: with no subcommand, the desktop window; with one, the command line.

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() > 1 {
        return switchboard::cli::run(args);
    }
    #[cfg(feature = "desktop")]
    {
        switchboard::desktop::run()
    }
    #[cfg(not(feature = "desktop"))]
    {
        switchboard::cli::run(vec!["switchboard".into(), "--help".into()])
    }
}
