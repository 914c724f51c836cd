//! `switchboard login`: a sign-in in the terminal. The page opens in the browser (or is
//! printed); meanwhile a pasted line completes it, or, for a device code, checks at once.

use std::io::BufRead;

use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::{Error, Result};
use switchboard_core::api::providers;
use switchboard_core::api::signin::{PasteKind, SignInMethod, SignInStarted};
use switchboard_core::Switchboard;

use crate::commands::safe;

pub fn run(
    provider: ProviderId,
    paste: bool,
    device: bool,
    label: Option<&str>,
    no_browser: bool,
) -> Result<()> {
    let method = if paste {
        SignInMethod::Paste
    } else if device {
        SignInMethod::Device
    } else {
        *providers::info(provider)
            .sign_in_methods
            .first()
            .ok_or_else(|| {
                Error::NotAllowed(format!(
                    "{} has no sign-in; add an API key with `switchboard add-key {}`.",
                    provider.display_name(),
                    provider.as_str()
                ))
            })?
    };
    let mut config = switchboard_core::Config::from_env()?;
    if no_browser {
        config.open_with = switchboard_core::api::signin::browser::OpenWith::Nothing;
    }
    switchboard_core::api::logging::init(&config, false);
    crate::commands::say_overrides(&config);
    let board = std::sync::Arc::new(Switchboard::open(config)?);
    let started = board.start_sign_in(provider, method, label)?;
    explain(&started);
    let reader = board.clone();
    let id = started.id.clone();
    let method = started.method;
    std::thread::spawn(move || read_answers(&reader, &id, method));
    let signed_in = board.finish_sign_in(&started.id)?;
    let account = &signed_in.account;
    let (label, email) = (safe(&account.label), account.email.as_deref().map(safe));
    println!(
        "{} {} account \u{201c}{}\u{201d}{}{}",
        if signed_in.created {
            "Added"
        } else {
            "Updated"
        },
        provider.display_name(),
        label,
        email
            .filter(|e| *e != label)
            .map(|e| format!(" ({e})"))
            .unwrap_or_default(),
        if signed_in.activated {
            format!(
                ", now active: `{}` uses it",
                providers::info(provider).cli_command
            )
        } else {
            format!(
                "; make it active with `switchboard use {} '{}'`",
                provider.as_str(),
                label
            )
        }
    );
    Ok(())
}

/// What the user should do now, on stderr (stdout carries only the result).
fn explain(started: &SignInStarted) {
    let name = started.provider.display_name();
    let opened = started.browser_opened;
    // The page and the code come from the provider: shown without escape sequences.
    let page = safe(&started.browser_url);
    if let Some(code) = &started.user_code {
        let code = safe(code);
        eprintln!("To sign in to {name}, open\n\n    {page}\n\nand enter the code\n\n    {code}\n");
        eprintln!("Waiting for approval. Press Enter once you have approved to check at once.");
        return;
    }
    match started.method {
        SignInMethod::Browser if opened => {
            eprintln!(
                "Your browser is open to sign in to {name}. Waiting for it to come back here.\n"
            )
        }
        _ => eprintln!("To sign in to {name}, open\n\n    {page}\n"),
    }
    if started.method == SignInMethod::Browser {
        if let Some(paste_page) = &started.paste_url {
            let paste_page = safe(paste_page);
            eprintln!("If the browser cannot reach this computer, open this page instead:\n\n    {paste_page}\n");
        }
    }
    let what = match started.paste {
        Some(PasteKind::CodeAndState) => "the code the page shows (all of it, including the part after #)",
        Some(PasteKind::Code) => "the code the page shows",
        Some(PasteKind::RedirectedUrl) | None => {
            "the whole address the browser ends on (its page will not load: copy it from the address bar)"
        }
    };
    eprintln!("Paste {what} here and press Enter:");
}

/// Each line typed is a pasted answer (or, for a device code, "check now"), until the
/// sign-in ends or stdin closes. A paste-only sign-in whose stdin closes cannot end any
/// other way, so it is cancelled.
fn read_answers(board: &Switchboard, id: &str, method: SignInMethod) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if method == SignInMethod::Device {
            if board.poll_sign_in_now(id).is_err() {
                return;
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match board.paste_sign_in(id, &line) {
            Ok(()) => {
                eprintln!("Signing in\u{2026}");
                return;
            }
            Err(err @ Error::InvalidInput(_)) => eprintln!("{} Try again:", safe(&err.to_string())),
            // The sign-in ended (a wrong state fails it); finish_sign_in reports why.
            Err(_) => return,
        }
    }
    if method == SignInMethod::Paste {
        let _ = board.cancel_sign_in(id);
    }
}
