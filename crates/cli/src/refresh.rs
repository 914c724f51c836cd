//! `switchboard refresh`: refreshes sign-in tokens now and says, per account, what happened.
//! The exit code tells a script whether every account still works.

use std::process::ExitCode;

use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::{Error, Result};
use switchboard_core::api::facade::{RefreshOutcome, Refreshed};

use crate::commands::{fail, open, print_json, safe};

/// Exit code when an account needs signing in again.
const NEEDS_SIGN_IN: u8 = 9;
/// Exit code when a refresh failed for a reason that may pass (network, provider down).
const FAILED: u8 = 7;

pub fn run(
    provider: Option<ProviderId>,
    account: Option<String>,
    due: bool,
    json: bool,
) -> ExitCode {
    match refresh(provider, account, due) {
        Ok(done) => report(&done, json),
        Err(err) => fail(&err),
    }
}

fn refresh(
    provider: Option<ProviderId>,
    account: Option<String>,
    due: bool,
) -> Result<Vec<Refreshed>> {
    let board = open()?;
    match (provider, account) {
        (Some(provider), Some(name)) => {
            let account = board.find_account(provider, &name)?;
            Ok(vec![board.refresh_account(&account.id, !due)?])
        }
        (provider, None) if due => board.refresh_due(provider),
        (provider, None) => board.refresh_sign_ins(provider),
        (None, Some(_)) => Err(Error::InvalidInput(
            "Name the provider before the account.".into(),
        )),
    }
}

fn report(done: &[Refreshed], json: bool) -> ExitCode {
    if json {
        if let Err(err) = print_json(&done) {
            return fail(&err);
        }
    } else if done.is_empty() {
        println!("No sign-in account to refresh.");
    }
    let mut code = 0;
    for refreshed in done {
        let name = format!(
            "{} \u{201c}{}\u{201d}",
            refreshed.provider.display_name(),
            safe(&refreshed.label)
        );
        let line = match &refreshed.outcome {
            RefreshOutcome::Refreshed { expires_at } => {
                format!("{name}: refreshed{}", until(*expires_at))
            }
            RefreshOutcome::Fresh { expires_at } => {
                format!("{name}: not due{}", until(*expires_at))
            }
            RefreshOutcome::InUse => {
                format!("{name}: in use by a running `switchboard exec`; its CLI refreshes it")
            }
            RefreshOutcome::NeedsSignIn {
                reason,
                fell_back_to,
            } => {
                code = NEEDS_SIGN_IN;
                let fallback = fell_back_to
                    .as_ref()
                    .map(|label| {
                        format!(
                            " {} now uses \u{201c}{}\u{201d} (its fallback).",
                            refreshed.provider.display_name(),
                            safe(label)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{name}: needs signing in again ({}).{fallback} Run `switchboard login {}`.",
                    safe(reason),
                    refreshed.provider.as_str()
                )
            }
            RefreshOutcome::Failed { reason, .. } => {
                if code == 0 {
                    code = FAILED;
                }
                format!(
                    "{name}: not refreshed ({}); tried again later",
                    safe(reason)
                )
            }
        };
        if json {
            continue;
        }
        match refreshed.outcome {
            RefreshOutcome::NeedsSignIn { .. } | RefreshOutcome::Failed { .. } => {
                eprintln!("{line}")
            }
            _ => println!("{line}"),
        }
    }
    ExitCode::from(code)
}

/// ", valid until 14:05" for an expiry.
fn until(expires_at: Option<i64>) -> String {
    expires_at
        .map(|at| format!(", valid until {}", switchboard_core::api::time::rfc3339(at)))
        .unwrap_or_default()
}
