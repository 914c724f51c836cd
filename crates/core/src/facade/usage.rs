//! Usage and limits per account: the readings kept with their age, the app's polling, the
//! history, and rotation that follows the limits (next in pool by room, auto-switch).

use serde::Serialize;
use ts_rs::TS;

use crate::account::Account;
use crate::catalog::{AccountKind, ProviderId};
use crate::error::{Error, Result};
use crate::limits::{Limits, UsageReading, UsageSample, UsageWindow};
use crate::providers;
use crate::store::EventKind;
use crate::usage;

use super::Switchboard;

/// One account's usage as `switchboard usage --json` prints it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountUsage {
    pub provider: ProviderId,
    pub account_id: String,
    pub label: String,
    /// Whether the provider reports usage for this account at all.
    pub reported: bool,
    pub plan: Option<String>,
    pub windows: Vec<UsageWindow>,
    pub note: Option<String>,
    /// When the figures were read, RFC 3339; `None` before the first reading.
    pub fetched_at: Option<String>,
    /// Why the last reading failed (the figures are then the last good ones).
    pub error: Option<String>,
}

impl AccountUsage {
    fn new(account: &Account, reading: UsageReading) -> Self {
        let limits = reading.limits.unwrap_or_default();
        Self {
            provider: account.provider,
            account_id: account.id.clone(),
            label: account.label.clone(),
            reported: reports_usage(account),
            plan: limits.plan.or_else(|| account.plan.clone()),
            windows: limits.windows,
            note: limits.note,
            fetched_at: reading.fetched_at,
            error: reading.error,
        }
    }
}

/// The lowest auto-switch threshold accepted, and the default.
pub const AUTO_SWITCH_MIN: f64 = 50.0;
pub const AUTO_SWITCH_DEFAULT: f64 = 95.0;
/// How long the seven-day history reaches back.
const HISTORY_MS: i64 = 7 * 24 * 3600 * 1000;

fn reports_usage(account: &Account) -> bool {
    providers::get(account.provider).reports_usage(account.kind)
}

/// The account's usage as the window's lists show it (`None` when nothing is reported).
pub(super) fn reading_for(
    account: &Account,
    tx: &crate::store::Tx<'_>,
) -> Result<Option<UsageReading>> {
    if !reports_usage(account) {
        return Ok(None);
    }
    Ok(Some(tx.usage_state(&account.id)?.reading))
}

impl Switchboard {
    /// Every account's usage as last read (no request), or one provider's.
    pub fn usage(&self, provider: Option<ProviderId>) -> Result<Vec<AccountUsage>> {
        let accounts = self.accounts_of(provider)?;
        self.usage_of(&accounts)
    }

    /// `provider`'s accounts (every provider's with `None`).
    fn accounts_of(&self, provider: Option<ProviderId>) -> Result<Vec<Account>> {
        Ok(self
            .store
            .read(|tx| tx.accounts())?
            .into_iter()
            .filter(|a| provider.is_none_or(|p| a.provider == p))
            .collect())
    }

    /// What is known of these accounts' usage.
    fn usage_of(&self, accounts: &[Account]) -> Result<Vec<AccountUsage>> {
        self.store.read(|tx| {
            accounts
                .iter()
                .map(|a| Ok(AccountUsage::new(a, tx.usage_state(&a.id)?.reading)))
                .collect()
        })
    }

    /// Reads now, whatever the schedule (the refresh button, `usage --refresh`): one account,
    /// or every account of `provider` (of every provider) that reports usage. Returns what
    /// is known afterwards; a failed reading is in its `error`.
    pub fn read_usage_now(
        &self,
        provider: Option<ProviderId>,
        account_id: Option<&str>,
    ) -> Result<Vec<AccountUsage>> {
        let accounts: Vec<Account> = match account_id {
            Some(id) => vec![self.account(id)?],
            None => self.accounts_of(provider)?,
        };
        for account in accounts.iter().filter(|a| reports_usage(a)) {
            match self.read_usage_of(account, true) {
                Ok(()) => {}
                // One account asked for: its failure is the answer.
                Err(err) if account_id.is_some() => return Err(err),
                // Several: one that cannot be read (its keychain entry gone, say) does not
                // keep the others from being read.
                Err(err) => tracing::warn!(account = account.id.as_str(), "reading usage: {err}"),
            }
        }
        self.usage_of(&accounts)
    }

    /// Reads every account whose next reading is due (the app's timer). Returns how many
    /// were read; one that fails is recorded and the rest go on.
    pub fn read_usage_due(&self) -> Result<usize> {
        let now = self.now();
        let due: Vec<Account> = self.store.read(|tx| {
            let mut due = Vec::new();
            for account in tx.accounts()? {
                if pollable(&account) && tx.usage_state(&account.id)?.next_at <= now {
                    due.push(account);
                }
            }
            Ok(due)
        })?;
        for account in &due {
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.read_usage_of(account, false)
            }));
            match read {
                Ok(Ok(())) => {}
                // No account's fault, and every other one would fail the same way.
                Ok(Err(err @ Error::KeychainUnavailable { .. })) => return Err(err),
                Ok(Err(err)) => {
                    tracing::warn!(account = account.id.as_str(), "reading usage: {err}")
                }
                Err(_) => {
                    tracing::error!(
                        account = account.id.as_str(),
                        "reading usage panicked; the account waits and the others go on"
                    );
                    let err = Error::io("reading usage", "an internal error");
                    self.usage_not_read(account, &err)?;
                }
            }
        }
        Ok(due.len())
    }

    /// When the next account is due for a reading (Unix ms); `None` when no account reports
    /// usage.
    pub fn next_usage_read_at(&self) -> Result<Option<i64>> {
        self.store.read(|tx| {
            let mut next: Option<i64> = None;
            for account in tx.accounts()?.iter().filter(|a| pollable(a)) {
                let at = tx.usage_state(&account.id)?.next_at;
                next = Some(next.map_or(at, |n| n.min(at)));
            }
            Ok(next)
        })
    }

    /// The account's samples of the last seven days, oldest first.
    pub fn usage_history(&self, account_id: &str) -> Result<Vec<UsageSample>> {
        let since = self.now() - HISTORY_MS;
        self.store.read(|tx| {
            tx.account(account_id)?;
            tx.usage_samples(account_id, since)
        })
    }

    /// The provider's auto-switch threshold (percent), `None` when it is off.
    pub fn auto_switch(&self, provider: ProviderId) -> Result<Option<f64>> {
        self.store.read(|tx| tx.auto_switch(provider))
    }

    /// Turns auto-switch on at `percent` (50 to 100) or off (`None`).
    pub fn set_auto_switch(
        &self,
        provider: ProviderId,
        percent: Option<f64>,
    ) -> Result<Option<f64>> {
        if let Some(p) = percent {
            if !(AUTO_SWITCH_MIN..=100.0).contains(&p) {
                return Err(Error::InvalidInput(format!(
                    "The auto-switch threshold is a share of a window from {AUTO_SWITCH_MIN:.0} to 100 (percent), not {p}."
                )));
            }
        }
        self.store.transaction(|tx| {
            tx.set_auto_switch(provider, percent)?;
            // Logged, so a window in another process follows the new threshold.
            tx.log_event(EventKind::AccountUpdated, provider, None, "auto-switch")
        })?;
        Ok(percent)
    }

    /// Reads one account's usage and records it (the last good figures stay on a failure).
    /// `forced` readings ignore the schedule but not [`usage::MIN_GAP_MS`]. A sign-in whose
    /// access token has expired is not read: the refresher renews it first (a reading never
    /// refreshes a token itself).
    fn read_usage_of(&self, account: &Account, forced: bool) -> Result<()> {
        let read = self.try_read_usage(account, forced);
        if let Err(err) = &read {
            self.usage_not_read(account, err)?;
        }
        read
    }

    /// After a reading that could not be made at all (a provider's refusal is a reading's
    /// failure, recorded as such): the account waits a backoff, so a fault that repeats
    /// never makes the timer spin. A locked keychain is no account's fault: the timer pauses
    /// keychain work instead. An account removed meanwhile has nothing to record.
    fn usage_not_read(&self, account: &Account, err: &Error) -> Result<()> {
        if matches!(
            err,
            Error::KeychainUnavailable { .. } | Error::NotFound { .. }
        ) {
            return Ok(());
        }
        let now = self.now();
        let state = self.store.read(|tx| tx.usage_state(&account.id))?;
        let next = now.saturating_add(usage::backoff_ms(state.failures.saturating_add(1)));
        let error = crate::text::from_provider(&err.to_string());
        self.store
            .transaction(|tx| tx.record_usage_failure(&account.id, &error, next))
    }

    fn try_read_usage(&self, account: &Account, forced: bool) -> Result<()> {
        let _action = self.outbox.action();
        let now = self.now();
        let state = self.store.read(|tx| tx.usage_state(&account.id))?;
        let fetched = state
            .reading
            .fetched_at
            .as_deref()
            .and_then(crate::time::parse_rfc3339);
        if forced && fetched.is_some_and(|at| now - at < usage::MIN_GAP_MS) {
            return Ok(());
        }
        if account.status.waits_for_user() {
            return Ok(());
        }
        if account.kind == AccountKind::Oauth && account.expires_at.is_some_and(|at| at <= now) {
            self.store
                .transaction(|tx| tx.defer_usage(&account.id, now + usage::NEAR_LIMIT_POLL_MS))?;
            return Ok(());
        }
        self.check_endpoints(account)?;
        self.reclaim_exec(account)?;
        let secret = match self.vault.load(&account.id) {
            Err(Error::NotFound { .. }) => return self.secret_missing(account),
            other => other?,
        };
        let Some(result) = usage::read(account, &secret, &self.config.endpoints) else {
            return Ok(());
        };
        let limits = match result {
            Ok(limits) => {
                let next = usage::next_after_reading(&limits, now);
                self.store
                    .transaction(|tx| tx.record_usage(&account.id, &limits, now, next))?;
                Some(limits)
            }
            Err(failure) => {
                let next = usage::next_after_failure(&failure, state.failures + 1, now);
                let error = failure.to_string();
                tracing::info!(account = account.id.as_str(), "usage not read: {error}");
                self.store
                    .transaction(|tx| tx.record_usage_failure(&account.id, &error, next))?;
                None
            }
        };
        // A reading changes what the window shows, but it is not logged: other processes
        // read it from the database when they next show usage.
        self.outbox.publish_local(super::Change {
            kind: EventKind::UsageRead,
            provider: account.provider,
            account_id: Some(account.id.clone()),
        });
        if let Some(limits) = limits {
            self.auto_switch_if_over(account, &limits)?;
        }
        Ok(())
    }

    /// Auto-switch: when `account` is its provider's active sign-in and a window of its
    /// fresh reading `limits` is at or past the provider's threshold, the pool account with
    /// the most room (below the threshold) becomes active, and the notice says so. Key
    /// accounts are never moved from or to.
    pub(super) fn auto_switch_if_over(&self, account: &Account, limits: &Limits) -> Result<()> {
        let provider = account.provider;
        let (threshold, active) = self
            .store
            .read(|tx| Ok((tx.auto_switch(provider)?, tx.active_account_id(provider)?)))?;
        let Some(threshold) = threshold else {
            return Ok(());
        };
        if account.kind != AccountKind::Oauth || active.as_deref() != Some(account.id.as_str()) {
            return Ok(());
        }
        let now = self.now();
        let Some(over) = limits
            .tightest_at(now)
            .filter(|w| w.used_at(now) >= threshold)
        else {
            return Ok(());
        };
        let choice = self.pool_choice(provider, false, Some(100.0 - threshold))?;
        let Some(target) = choice.account.filter(|t| t.id != account.id) else {
            tracing::info!(
                provider = provider.as_str(),
                "auto-switch: no pool account has room"
            );
            return Ok(());
        };
        self.write_active(provider, Some(&target))?;
        let notice = auto_switch_notice(account, over, &target, now);
        self.store.transaction(|tx| {
            tx.log_event(EventKind::AutoSwitched, provider, Some(&target.id), &notice)
        })?;
        tracing::info!(provider = provider.as_str(), "{notice}");
        Ok(())
    }

    /// The notification of the last auto-switch to `account_id`: a title and the notice.
    pub fn auto_switch_notice(&self, account_id: &str) -> Result<Option<(String, String)>> {
        self.last_notice(EventKind::AutoSwitched, account_id, "switched account")
    }
}

/// Whether the timer reads this account: its provider reports usage and it is signed in.
fn pollable(account: &Account) -> bool {
    reports_usage(account) && !account.status.waits_for_user()
}

/// What the user is told when auto-switch moved `from` to `to` because of `window`.
pub fn auto_switch_notice(from: &Account, window: &UsageWindow, to: &Account, now: i64) -> String {
    let provider = from.provider;
    let mut notice = format!(
        "{} switched from {} to {}: {} has used {:.0}% of its {} window.",
        provider.display_name(),
        from.label,
        to.label,
        from.label,
        window.used_at(now),
        window.name
    );
    if let Some(caveat) = providers::get(provider).switch_caveat() {
        notice.push(' ');
        notice.push_str(caveat);
    }
    notice
}

/// The room an account has by its last reading at `now` (100 when unknown), and why it is
/// not ready when it is at its limit.
pub(super) fn room_of(reading: Option<&Limits>, now: i64) -> (f64, Option<String>) {
    let Some(limits) = reading else {
        return (100.0, None);
    };
    let room = limits.room_at(now);
    if room > 0.0 {
        return (room, None);
    }
    let why = limits
        .tightest_at(now)
        .filter(|w| w.used_at(now) >= 100.0)
        .map(|w| format!("at its limit ({})", w.describe(now)))
        .or_else(|| limits.note.clone())
        .unwrap_or_else(|| "at its limit".to_owned());
    (0.0, Some(why))
}
