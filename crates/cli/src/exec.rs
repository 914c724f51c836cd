//! `switchboard exec`: a command run as one account, in that account's own config dir, with
//! the command's exit code passed through. Signals that would end `switchboard` go to the
//! command, and the take-back and clean-up run whatever way it ends.

use std::ffi::OsString;
use std::process::ExitCode;

use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::Error;
use switchboard_core::api::facade::ExecAccount;

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
    let Some((program, args)) = command.split_first() else {
        return fail(Error::InvalidInput("No command given after --.".into()));
    };
    // Started before the dir is prepared, so no signal between here and the command's start
    // ends `switchboard` with the account's tokens in the dir.
    let forwarding = match crate::signals::Forwarding::start() {
        Ok(forwarding) => Some(forwarding),
        Err(err) => {
            eprintln!("switchboard: signals will not be passed to the command: {err}");
            None
        }
    };
    let env = match board.prepare_exec(provider, which) {
        Ok(env) => env,
        Err(err) => return fail(err),
    };
    let mut child = std::process::Command::new(program);
    child.args(args);
    for (name, value) in &env.vars {
        child.env(name, value.expose());
    }
    if let Some(lease) = env.lease() {
        if let Err(err) = crate::signals::inherit(lease) {
            eprintln!("switchboard: the command will not hold its account's dir: {err}");
        }
    }
    // A signal that came while the dir was prepared: the command is not started at all.
    let early = forwarding
        .as_ref()
        .and_then(crate::signals::Forwarding::ending_signal);
    let ended = match early {
        Some(signal) => Ended::NotStarted(signal),
        None => match child.spawn().and_then(|mut child| {
            if let Some(forwarding) = &forwarding {
                forwarding.forward_to(child.id());
            }
            child.wait()
        }) {
            Ok(status) => Ended::Exited(status),
            Err(err) => Ended::Failed(err),
        },
    };
    drop(forwarding);
    if let Err(err) = board.finish_exec(env) {
        eprintln!(
            "switchboard: could not take back the tokens {} refreshed: {err}. They stay in the account's exec dir and are taken back before the account is next used.",
            provider.display_name()
        );
    }
    match ended {
        Ended::Exited(status) => {
            if let Some(code) = status.code() {
                return ExitCode::from(u8::try_from(code).unwrap_or(1));
            }
            #[cfg(unix)]
            if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
                return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
            }
            ExitCode::FAILURE
        }
        Ended::NotStarted(signal) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)),
        Ended::Failed(err) => {
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

/// How the command's run ended.
enum Ended {
    Exited(std::process::ExitStatus),
    /// A signal to end came before it started (the number), so it never ran.
    NotStarted(i32),
    /// It could not be started.
    Failed(std::io::Error),
}
