//! `switchboard exec`: a command run as one account, in that account's own config dir, with
//! the command's exit code passed through. Signals that would end `switchboard` go to the
//! command, and the take-back and clean-up run whatever way it ends.

use std::ffi::OsString;
use std::process::ExitCode;

use switchboard_core::catalog::ProviderId;
use switchboard_core::error::Error;
use switchboard_core::facade::ExecAccount;

pub fn run(
    provider: ProviderId,
    account: Option<String>,
    next: bool,
    command: &[OsString],
) -> ExitCode {
    let fail = |err: Error| crate::commands::fail(&err);
    let board = match crate::commands::open() {
        Ok(board) => board,
        Err(err) => return fail(err),
    };
    let which = match (account, next) {
        (Some(name), _) => ExecAccount::Named(name),
        (None, true) => ExecAccount::Next,
        (None, false) => ExecAccount::Active,
    };
    let env = match board.prepare_exec(provider, which) {
        Ok(env) => env,
        Err(err) => return fail(err),
    };
    let Some((program, args)) = command.split_first() else {
        return fail(Error::InvalidInput("No command given after --.".into()));
    };
    let mut child = std::process::Command::new(program);
    child.args(args);
    for (name, value) in &env.vars {
        child.env(name, value.expose());
    }
    // Started before the command, so no signal slips through before it is passed on.
    let forwarding = match crate::signals::Forwarding::start() {
        Ok(forwarding) => Some(forwarding),
        Err(err) => {
            eprintln!("switchboard: signals will not be passed to the command: {err}");
            None
        }
    };
    let status = child.spawn().and_then(|mut child| {
        if let Some(forwarding) = &forwarding {
            forwarding.forward_to(child.id());
        }
        child.wait()
    });
    drop(forwarding);
    if let Err(err) = board.finish_exec(env) {
        eprintln!(
            "switchboard: could not take back the tokens {} refreshed: {err}",
            provider.display_name()
        );
    }
    match status {
        Ok(status) => {
            if let Some(code) = status.code() {
                return ExitCode::from(u8::try_from(code).unwrap_or(1));
            }
            #[cfg(unix)]
            if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
                return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
            }
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!(
                "switchboard: could not run {}: {err}",
                program.to_string_lossy()
            );
            ExitCode::from(if err.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            })
        }
    }
}
