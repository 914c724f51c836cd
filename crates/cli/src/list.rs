//! `switchboard list` and `status`: every provider's accounts, or each provider's active
//! account, as text or JSON.

use switchboard_core::api::account::AccountStatus;
use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::Result;
use switchboard_core::api::facade::AccountView;

use crate::commands::{open, print_json, safe};

/// Every provider's accounts, the active one marked, with what needs attention.
pub fn list(json: bool) -> Result<()> {
    let overview = open()?.overview()?;
    if json {
        return print_json(&overview);
    }
    for provider in &overview.providers {
        print_provider(
            provider.provider,
            provider.active_account_id.as_deref(),
            &provider.accounts,
        );
    }
    Ok(())
}

/// Each provider's active account.
pub fn status(json: bool) -> Result<()> {
    let overview = open()?.overview()?;
    let active: Vec<(ProviderId, Option<&AccountView>)> = overview
        .providers
        .iter()
        .map(|p| {
            (
                p.provider,
                p.accounts
                    .iter()
                    .find(|a| Some(&a.id) == p.active_account_id.as_ref()),
            )
        })
        .collect();
    if json {
        let value: Vec<_> = active
            .iter()
            .map(|(provider, account)| serde_json::json!({ "provider": provider, "active": account }))
            .collect();
        return print_json(&value);
    }
    for (provider, account) in active {
        match account {
            Some(a) => println!(
                "{:<14} {} ({}, {})",
                provider.display_name(),
                a.label,
                a.kind.as_str(),
                a.secret_hint
            ),
            None => println!("{:<14} not configured", provider.display_name()),
        }
    }
    Ok(())
}

fn print_provider(provider: ProviderId, active: Option<&str>, accounts: &[AccountView]) {
    println!("{}", provider.display_name());
    if accounts.is_empty() {
        println!("  (no accounts)");
    }
    for account in accounts {
        let mark = if active == Some(account.id.as_str()) {
            "*"
        } else {
            " "
        };
        println!(
            "  {mark} {:<32} {:<8} {}",
            account.label,
            account.kind.as_str(),
            account.secret_hint
        );
        match account.status {
            AccountStatus::Ok => {}
            status => println!(
                "      {}: {}",
                status.as_str(),
                safe(&account.status_reason)
            ),
        }
        if let Some(warning) = &account.warning {
            println!("      {warning}");
        }
    }
}
