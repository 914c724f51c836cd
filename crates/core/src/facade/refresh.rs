//! Keeping sign-ins alive: refreshing an account's tokens before they expire (one flight per
//! account across every Switchboard process), classifying a refusal, and revoking a sign-in
//! that is removed. Which accounts are due comes from SQLite alone, so planning never reads
//! the keychain.

use serde::Serialize;
use ts_rs::TS;

use crate::account::{Account, AccountStatus};
use crate::catalog::{AccountKind, ProviderId};
use crate::error::{Error, Result};
use crate::files::lock_files;
use crate::http::Http;
use crate::lifecycle::{self, requests, Failure};
use crate::providers;
use crate::secret::SecretJson;
use crate::store::EventKind;
use crate::vault::AccountSecret;

use super::Switchboard;

/// What a refresh did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RefreshOutcome {
    /// New tokens are in the keychain (and in the CLI's files, when the account is active).
    Refreshed {
        #[ts(type = "number | null")]
        expires_at: Option<i64>,
    },
    /// Not due yet (another process, or the CLI, refreshed it already).
    Fresh {
        #[ts(type = "number | null")]
        expires_at: Option<i64>,
    },
    /// A command started with `switchboard exec` runs as this account: its CLI refreshes
    /// the tokens, and they come back when it ends.
    InUse,
    /// The provider refused the refresh token: the account needs signing in again. When it
    /// was active, the provider's fallback policy may have made another account active.
    NeedsSignIn {
        reason: String,
        fell_back_to: Option<String>,
    },
    /// The provider could not be reached or failed; tried again later.
    Failed {
        reason: String,
        #[ts(type = "number")]
        retry_at: i64,
    },
}

/// One account's refresh, as `switchboard refresh` and the window report it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Refreshed {
    pub provider: ProviderId,
    pub account_id: String,
    pub label: String,
    #[serde(flatten)]
    pub outcome: RefreshOutcome,
}

impl Switchboard {
    /// Refreshes a sign-in account's tokens when they are due, or now with `force`.
    ///
    /// One flight per account: a lock in the data dir is held from reading the tokens to
    /// storing the new ones, so the window, the tray, the command line and a second
    /// `switchboard refresh` never send the same refresh token twice; whoever comes second
    /// reads the tokens the first stored. For the active account, the CLI's files are taken
    /// back first (the CLI may have refreshed already: then nothing is due), and the new
    /// tokens are written into them after, under the files' locks.
    pub fn refresh_account(&self, id: &str, force: bool) -> Result<Refreshed> {
        let account = self.account(id)?;
        let outcome = self.refresh_outcome(&account, force)?;
        Ok(Refreshed {
            provider: account.provider,
            account_id: account.id,
            label: account.label,
            outcome,
        })
    }

    fn refresh_outcome(&self, account: &Account, force: bool) -> Result<RefreshOutcome> {
        let _action = self.outbox.action();
        let source = providers::get(account.provider);
        if account.kind != AccountKind::Oauth {
            return Err(Error::NotAllowed(format!(
                "\u{201c}{}\u{201d} is an API key: there is nothing to refresh.",
                account.label
            )));
        }
        self.check_endpoints(account)?;
        let client = self.oauth_client(account.provider)?;
        let flight = self
            .config
            .locks_dir()
            .join(format!("refresh-{}", account.id));
        let _flight = lock_files(&self.config.locks_dir(), [flight.as_path()])?;
        // A running `switchboard exec` holds its account's lease: its CLI owns the tokens.
        let lease = self.exec_lease(account)?;
        if lease.try_lock().is_err() {
            let later = self.now() + lifecycle::MIN_REFRESH_GAP_MS;
            self.store
                .transaction(|tx| tx.defer_refresh(&account.id, later))?;
            return Ok(RefreshOutcome::InUse);
        }
        // A command killed before its clean-up may have left the CLI's newest tokens in its
        // dir: those, never the older ones in the keychain, are what is refreshed.
        self.reclaim_exec_locked(account)?;
        let active = self
            .store
            .read(|tx| tx.active_account_id(account.provider))?;
        let is_active = active.as_deref() == Some(account.id.as_str());
        if is_active {
            self.take_back(account.provider)?;
        }
        let secret = match self.vault.load(&account.id) {
            Err(Error::NotFound { .. }) => {
                let failure = Failure::NeedsSignIn(MISSING_TOKENS.into());
                return self.refresh_failed(account, &failure);
            }
            other => other?,
        };
        let Some(stored) = secret.oauth_tokens() else {
            let failure = Failure::NeedsSignIn("the keychain item holds no tokens".into());
            return self.refresh_failed(account, &failure);
        };
        let expires_at = source.expires_at(&stored);
        let due = lifecycle::next_due(expires_at, account.refreshed_at, source.refresh_margin_ms())
            <= self.now();
        if !force && !due {
            let dates = lifecycle::TokenDates::of(account.provider, &stored);
            self.store
                .transaction(|tx| tx.record_tokens_fresh(&account.id, &dates, false))?;
            return Ok(RefreshOutcome::Fresh { expires_at });
        }
        let Some(refresh_token) = source.refresh_token(&stored) else {
            return self.refresh_failed(
                account,
                &Failure::NeedsSignIn("no refresh token is stored for this sign-in".into()),
            );
        };
        let response = match Http::new(account.provider)
            .map_err(|err| Failure::Offline(err.to_string()))
            .and_then(|http| requests::refresh(&http, &client, &refresh_token))
        {
            Ok(response) => response,
            Err(failure) => return self.refresh_failed(account, &failure),
        };
        let Some(tokens) = source.refreshed(&stored, &response).map(SecretJson::new) else {
            let failure = Failure::Provider("the answer held no access token".into());
            return self.refresh_failed(account, &failure);
        };
        // The keychain first: a refresh token the provider has just rotated exists nowhere
        // else, and the old one no longer works.
        self.vault
            .store(&account.id, &AccountSecret::OAuthTokens(tokens.to_text()))?;
        let dates = lifecycle::TokenDates::of(account.provider, &tokens);
        let expires_at = dates.expires_at;
        self.store.transaction(|tx| {
            tx.record_tokens_fresh(&account.id, &dates, true)?;
            tx.log_event(
                EventKind::TokensRefreshed,
                account.provider,
                Some(&account.id),
                &account.label,
            )
        })?;
        if is_active {
            // Only if it is still the active account (a switch may have happened meanwhile).
            let current = self.account(&account.id)?;
            let still = self
                .store
                .read(|tx| tx.active_account_id(account.provider))?;
            if still.as_deref() == Some(account.id.as_str()) {
                self.write_files(account.provider, Some(&current), None, |_| Ok(()))?;
            }
        }
        Ok(RefreshOutcome::Refreshed { expires_at })
    }

    /// Records a failed refresh: a refusal marks the account as needing sign-in (one event,
    /// one notification), anything else is tried again after a backoff.
    fn refresh_failed(&self, account: &Account, failure: &Failure) -> Result<RefreshOutcome> {
        let reason = failure.reason().to_owned();
        tracing::warn!(
            provider = account.provider.as_str(),
            account = account.id,
            "refresh failed: {reason}"
        );
        match failure {
            Failure::NeedsSignIn(_) => {
                let first = account.status != AccountStatus::NeedsSignIn;
                self.store.transaction(|tx| {
                    tx.record_refresh_failure(
                        &account.id,
                        AccountStatus::NeedsSignIn,
                        &reason,
                        None,
                    )
                    .map(|_| ())
                })?;
                if !first {
                    return Ok(RefreshOutcome::NeedsSignIn {
                        reason,
                        fell_back_to: None,
                    });
                }
                let active = self
                    .store
                    .read(|tx| tx.active_account_id(account.provider))?;
                let fell_back_to = if active.as_deref() == Some(account.id.as_str()) {
                    self.fall_back(account)?
                } else {
                    None
                };
                let notice =
                    super::fallback::sign_in_needed_text(account, &reason, fell_back_to.as_ref());
                self.store.transaction(|tx| {
                    tx.log_event(
                        EventKind::SignInNeeded,
                        account.provider,
                        Some(&account.id),
                        &notice,
                    )
                })?;
                Ok(RefreshOutcome::NeedsSignIn {
                    reason,
                    fell_back_to: fell_back_to.map(|a| a.label),
                })
            }
            _ => {
                let failures = self.store.read(|tx| tx.refresh_failures(&account.id))?;
                let retry_at = self.now() + lifecycle::backoff_ms(failures);
                self.store.transaction(|tx| {
                    tx.record_refresh_failure(
                        &account.id,
                        AccountStatus::RefreshFailed,
                        &reason,
                        Some(retry_at),
                    )?;
                    tx.log_event(
                        EventKind::AccountUpdated,
                        account.provider,
                        Some(&account.id),
                        "refresh failed; tried again later",
                    )
                })?;
                Ok(RefreshOutcome::Failed { reason, retry_at })
            }
        }
    }

    /// Refreshes every sign-in account that is due now (the app's timer, and
    /// `switchboard refresh` without an account). Accounts that need signing in wait for
    /// the user; ones in backoff wait for their time.
    pub fn refresh_due(&self, provider: Option<ProviderId>) -> Result<Vec<Refreshed>> {
        let now = self.now();
        let mut done = Vec::new();
        for plan in self.store.read(|tx| tx.refresh_plans())? {
            if provider.is_some_and(|p| p != plan.provider)
                || plan.status.waits_for_user()
                || plan.retry_at.is_some_and(|at| at > now)
                || !self.can_refresh(plan.provider)
            {
                continue;
            }
            let margin = providers::get(plan.provider).refresh_margin_ms();
            if lifecycle::next_due(plan.expires_at, plan.refreshed_at, margin) > now {
                continue;
            }
            let refreshed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.refresh_account(&plan.id, false)
            }));
            match refreshed {
                Ok(Ok(refreshed)) => done.push(refreshed),
                // Removed meanwhile.
                Ok(Err(Error::NotFound { .. })) => {}
                // No account's fault, and every other one would fail the same way.
                Ok(Err(err @ Error::KeychainUnavailable { .. })) => return Err(err),
                Ok(Err(err)) => self.refresh_not_made(&plan.id, &err)?,
                Err(_) => {
                    tracing::error!(
                        account = plan.id,
                        "a refresh panicked; the account waits and the others go on"
                    );
                    self.refresh_not_made(&plan.id, &Error::io("refreshing", "an internal error"))?;
                }
            }
        }
        Ok(done)
    }

    /// A refresh that could not be made at all (a lock, the database, the files): the account
    /// is tried again after a backoff, so a fault that repeats never makes the timer spin.
    fn refresh_not_made(&self, id: &str, err: &Error) -> Result<()> {
        tracing::warn!(account = id, "refresh not made: {err}");
        let failures = self.store.read(|tx| tx.refresh_failures(id))?;
        let retry_at = self
            .now()
            .saturating_add(lifecycle::backoff_ms(failures.saturating_add(1)));
        let reason = crate::text::from_provider(&err.to_string());
        self.store.transaction(|tx| {
            tx.record_refresh_failure(id, AccountStatus::RefreshFailed, &reason, Some(retry_at))
                .map(|_| ())
        })
    }

    /// An account whose secret is gone from the keychain (deleted there, or a data dir
    /// copied without it). A sign-in needs signing in again (as a refused refresh does: one
    /// notification, the provider's fallback); a key account waits for a new key. Either way
    /// nothing polls it any more.
    pub(super) fn secret_missing(&self, account: &Account) -> Result<()> {
        if account.kind == AccountKind::Oauth {
            let failure = Failure::NeedsSignIn(MISSING_TOKENS.into());
            return self.refresh_failed(account, &failure).map(|_| ());
        }
        if account.status == AccountStatus::SecretMissing {
            return Ok(());
        }
        tracing::warn!(
            provider = account.provider.as_str(),
            account = account.id,
            "the keychain holds no key for this account; it waits for a new one"
        );
        let reason = "Its key is missing from the keychain: give it a new key (Edit, or `switchboard rotate`).";
        self.store.transaction(|tx| {
            tx.set_status(&account.id, AccountStatus::SecretMissing, reason)?;
            tx.log_event(
                EventKind::AccountUpdated,
                account.provider,
                Some(&account.id),
                &account.label,
            )
        })?;
        Ok(())
    }

    /// Before a sign-in account's tokens are handed to a CLI (`use`, `next`, `exec`): a
    /// refresh when they are due, so the CLI never starts with an expired token. A refresh
    /// that fails is reported in the log and the account's status; the switch goes on (the
    /// CLI may still refresh them itself).
    pub(super) fn refresh_if_due(&self, account: &Account) {
        if account.kind != AccountKind::Oauth || !self.can_refresh(account.provider) {
            return;
        }
        let margin = providers::get(account.provider).refresh_margin_ms();
        let due =
            lifecycle::next_due(account.expires_at, account.refreshed_at, margin) <= self.now();
        if due {
            if let Err(err) = self.refresh_account(&account.id, false) {
                tracing::warn!(
                    account = account.id,
                    "refresh before handing over failed: {err}"
                );
            }
        }
    }

    /// Refreshes every sign-in account (of `provider`) now, due or not: `switchboard refresh`.
    pub fn refresh_sign_ins(&self, provider: Option<ProviderId>) -> Result<Vec<Refreshed>> {
        let accounts = self.store.read(|tx| tx.accounts())?;
        accounts
            .into_iter()
            .filter(|a| a.kind == AccountKind::Oauth && self.can_refresh(a.provider))
            .filter(|a| provider.is_none_or(|p| p == a.provider))
            .map(|a| self.refresh_account(&a.id, true))
            .collect()
    }

    /// When the next refresh is due (Unix ms): the earliest of every refreshable account's
    /// expiry less its margin, or retry time. `None` when nothing will ever be due.
    pub fn next_refresh_at(&self) -> Result<Option<i64>> {
        let plans = self.store.read(|tx| tx.refresh_plans())?;
        Ok(plans
            .into_iter()
            .filter(|p| !p.status.waits_for_user() && self.can_refresh(p.provider))
            .map(|p| {
                let margin = providers::get(p.provider).refresh_margin_ms();
                let due = lifecycle::next_due(p.expires_at, p.refreshed_at, margin);
                due.max(p.retry_at.unwrap_or(i64::MIN))
            })
            .min())
    }

    /// Whether Switchboard can refresh this provider's sign-ins at all.
    fn can_refresh(&self, provider: ProviderId) -> bool {
        let source = providers::get(provider);
        source.oauth_client().is_some() && provider_refreshes(provider)
    }

    /// Revokes a sign-in's refresh token at the provider, where it has an endpoint. Returns
    /// what the user should be told.
    pub(super) fn revoke_sign_in(&self, account: &Account, secret: &AccountSecret) -> Revoked {
        let source = providers::get(account.provider);
        let Some(refresh_token) = secret.oauth_tokens().and_then(|t| source.refresh_token(&t))
        else {
            return Revoked::NotNeeded;
        };
        if let Err(err) = self.check_endpoints(account) {
            return Revoked::Failed(err.to_string());
        }
        let Ok(client) = self.oauth_client(account.provider) else {
            return Revoked::NotNeeded;
        };
        if client.revoke_url.is_none() {
            return Revoked::NoEndpoint;
        }
        let http = match Http::new(account.provider) {
            Ok(http) => http,
            Err(err) => return Revoked::Failed(err.to_string()),
        };
        match requests::revoke(&http, &client, &refresh_token) {
            Ok(_) => {
                let logged = self.store.transaction(|tx| {
                    tx.log_event(
                        EventKind::TokensRevoked,
                        account.provider,
                        Some(&account.id),
                        &account.label,
                    )
                });
                if let Err(err) = logged {
                    tracing::warn!("could not log a revocation: {err}");
                }
                Revoked::Revoked
            }
            Err(failure) => Revoked::Failed(failure.reason().to_owned()),
        }
    }
}

/// Why a sign-in whose keychain item is gone needs signing in again.
const MISSING_TOKENS: &str =
    "its tokens are missing from the keychain (deleted there, or the data copied without them)";

/// Whether a provider's sign-ins refresh through Switchboard (those whose provider module
/// knows how to merge a refresh: Claude, Codex, Gemini, Grok).
fn provider_refreshes(provider: ProviderId) -> bool {
    providers::get(provider)
        .refreshed(
            &serde_json::json!({}),
            &serde_json::json!({"access_token": "x"}),
        )
        .is_some()
}

/// What removing a sign-in did at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "revocation", content = "reason", rename_all = "snake_case")]
pub enum Revoked {
    /// The refresh token was revoked: no copy of it works any more.
    Revoked,
    /// The provider has no revocation endpoint (Anthropic): the tokens stay valid until
    /// they expire or the user signs out elsewhere.
    NoEndpoint,
    /// The revocation failed (the reason in words); the account is removed all the same.
    Failed(String),
    /// An API key, or a sign-in without a refresh token: nothing to revoke.
    NotNeeded,
}
