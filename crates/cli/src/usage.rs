//! `switchboard usage`, `pool` and `auto-switch`: how much room each account has left, which
//! accounts "next" rotates through, and when the active one moves on by itself.

use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::{Error, Result};
use switchboard_core::api::facade::{AccountUsage, AUTO_SWITCH_DEFAULT};
use switchboard_core::api::limits::duration_words;

use crate::commands::{open, print_json, safe};

/// Prints every account's usage (or one provider's); with `refresh`, reads it first.
pub fn show(provider: Option<ProviderId>, refresh: bool, json: bool) -> Result<()> {
    let board = open()?;
    let usage = if refresh {
        board.read_usage_now(provider, None)?
    } else {
        board.usage(provider)?
    };
    if json {
        return print_json(&usage);
    }
    let now = switchboard_core::api::time::now_ms();
    let mut last = None;
    for account in &usage {
        if last != Some(account.provider) {
            println!("{}", account.provider.display_name());
            last = Some(account.provider);
        }
        print_account(account, now);
    }
    if usage.is_empty() {
        println!("No accounts.");
    }
    Ok(())
}

fn print_account(account: &AccountUsage, now: i64) {
    let label = safe(&account.label);
    if !account.reported {
        println!("  {label:<28} not reported");
        return;
    }
    let plan = account
        .plan
        .as_deref()
        .map(|p| format!(" ({})", safe(p)))
        .unwrap_or_default();
    println!("  {label}{plan}");
    for window in &account.windows {
        let used = window.used_at(now);
        let filled = (used / 10.0).round().clamp(0.0, 10.0) as usize;
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(10 - filled));
        let resets = window
            .resets_at
            .as_deref()
            .and_then(switchboard_core::api::time::parse_rfc3339)
            .map(|at| format!("  resets in {}", duration_words(at - now)))
            .unwrap_or_default();
        let locked = window
            .locked
            .as_deref()
            .map(|l| format!("  ({})", safe(l)))
            .unwrap_or_default();
        println!(
            "    {:<26} [{bar}] {used:>3.0}%{resets}{locked}",
            safe(&window.name)
        );
    }
    if let Some(note) = &account.note {
        println!("    {}", safe(note));
    }
    let fetched = account
        .fetched_at
        .as_deref()
        .and_then(switchboard_core::api::time::parse_rfc3339);
    match (fetched, &account.error) {
        (None, None) => println!("    not read yet (switchboard usage --refresh reads it now)"),
        (Some(at), None) => println!("    read {} ago", duration_words(now - at)),
        (Some(at), Some(error)) => println!(
            "    read {} ago; the last reading failed: {}",
            duration_words(now - at),
            safe(error)
        ),
        (None, Some(error)) => println!("    not read: {}", safe(error)),
    }
}

/// Puts an account in or out of its provider's round-robin pool.
pub fn pool(provider: ProviderId, name: &str, on: bool) -> Result<()> {
    let board = open()?;
    let account = board.find_account(provider, name)?;
    let account = board.set_in_pool(&account.id, on)?;
    println!(
        "{} is {} {}'s round-robin pool.",
        safe(&account.label),
        if on { "in" } else { "out of" },
        provider.display_name()
    );
    Ok(())
}

/// Shows or sets the provider's auto-switch: `off`, `on` (at 95%) or a percentage.
pub fn auto_switch(provider: ProviderId, setting: Option<&str>) -> Result<()> {
    let board = open()?;
    let percent = match setting.map(str::trim) {
        None => board.auto_switch(provider)?,
        Some("off") => board.set_auto_switch(provider, None)?,
        Some("on") => board.set_auto_switch(provider, Some(AUTO_SWITCH_DEFAULT))?,
        Some(text) => {
            let percent = text.trim_end_matches('%').parse::<f64>().map_err(|_| {
                Error::InvalidInput(format!(
                    "\u{201c}{text}\u{201d} is not off, on or a percentage."
                ))
            })?;
            board.set_auto_switch(provider, Some(percent))?
        }
    };
    let name = provider.display_name();
    match percent {
        Some(p) => println!("{name} switches to the pool account with the most room once a window of the active sign-in reaches {p:.0}%."),
        None => println!("{name} never switches accounts by itself."),
    }
    Ok(())
}
