//! Each provider's fallback policy: what becomes active when the active sign-in needs
//! signing in again — nothing (the default), the next ready account of the pool, or a chosen
//! account such as an API key. Never silent: the event log and one notification say what
//! changed and why.

use crate::account::{Account, Fallback};
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::store::EventKind;

use super::Switchboard;

impl Switchboard {
    /// The provider's fallback policy.
    pub fn fallback(&self, provider: ProviderId) -> Result<Fallback> {
        self.store.read(|tx| tx.fallback(provider))
    }

    /// Sets the provider's fallback policy; a chosen account must be one of its own.
    pub fn set_fallback(&self, provider: ProviderId, fallback: Fallback) -> Result<Fallback> {
        if let Fallback::Account { account_id } = &fallback {
            let account = self.account(account_id)?;
            if account.provider != provider {
                return Err(Error::InvalidInput(format!(
                    "\u{201c}{}\u{201d} belongs to {}, not {}.",
                    account.label,
                    account.provider.display_name(),
                    provider.display_name()
                )));
            }
        }
        self.store.transaction(|tx| {
            tx.set_fallback(provider, &fallback)?;
            // Logged, so a window in another process follows the new policy.
            tx.log_event(EventKind::AccountUpdated, provider, None, "fallback policy")
        })?;
        Ok(fallback)
    }

    /// Runs the policy for `failed`, the provider's active account, which needs signing in
    /// again. Returns the account made active, if the policy found one that is ready.
    pub(super) fn fall_back(&self, failed: &Account) -> Result<Option<Account>> {
        let provider = failed.provider;
        let usable = |a: &Account| a.id != failed.id && !a.status.waits_for_user();
        let target = match self.fallback(provider)? {
            Fallback::None => None,
            Fallback::Pool => self.pool_successor(provider, false).ok().filter(usable),
            Fallback::Account { account_id } => self.account(&account_id).ok().filter(usable),
        };
        let Some(target) = target else {
            return Ok(None);
        };
        self.write_active(provider, Some(&target))?;
        let detail = format!("from {} to {}", failed.label, target.label);
        self.store.transaction(|tx| {
            tx.log_event(EventKind::FellBack, provider, Some(&target.id), &detail)
        })?;
        tracing::info!(provider = provider.as_str(), "fell back {detail}");
        Ok(Some(target))
    }

    /// The notification of the last time `account_id` needed signing in again: a title and
    /// the body the event log kept.
    pub fn sign_in_needed_notice(&self, account_id: &str) -> Result<Option<(String, String)>> {
        self.last_notice(EventKind::SignInNeeded, account_id, "sign in again")
    }

    /// The notification of the last `kind` event about `account_id`: "<provider>: <what>"
    /// and the detail the event log kept.
    pub(super) fn last_notice(
        &self,
        kind: EventKind,
        account_id: &str,
        what: &str,
    ) -> Result<Option<(String, String)>> {
        let events = self.store.read(|tx| tx.recent_events(100))?;
        Ok(events
            .into_iter()
            .find(|e| e.kind == kind && e.account_id.as_deref() == Some(account_id))
            .map(|e| (format!("{}: {what}", e.provider.display_name()), e.detail)))
    }
}

/// What the user is told when `account` needs signing in again, and what the fallback did.
pub fn sign_in_needed_text(
    account: &Account,
    reason: &str,
    fell_back_to: Option<&Account>,
) -> String {
    let provider = account.provider.display_name();
    let why = match reason {
        "" => String::new(),
        reason => format!(" ({reason})"),
    };
    let refused = format!(
        "{provider} refused to renew \u{201c}{}\u{201d}{why}.",
        account.label
    );
    match fell_back_to {
        Some(target) => format!(
            "{refused} {provider} now uses \u{201c}{}\u{201d} instead. Reconnect \u{201c}{}\u{201d} to use it again.",
            target.label, account.label
        ),
        None => format!("{refused} Open Switchboard and click Reconnect."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::AccountKind;

    fn account(label: &str, kind: AccountKind) -> Account {
        Account {
            label: label.to_owned(),
            ..Account::new(ProviderId::Claude, kind, "hint".into())
        }
    }

    #[test]
    fn the_notice_says_what_changed_and_why() {
        let work = account("Work", AccountKind::Oauth);
        let key = account("Team key", AccountKind::ApiKey);
        assert_eq!(
            sign_in_needed_text(&work, "invalid_grant: revoked", Some(&key)),
            "Claude Code refused to renew \u{201c}Work\u{201d} (invalid_grant: revoked). Claude Code now uses \u{201c}Team key\u{201d} instead. Reconnect \u{201c}Work\u{201d} to use it again."
        );
        assert_eq!(
            sign_in_needed_text(&work, "invalid_grant", None),
            "Claude Code refused to renew \u{201c}Work\u{201d} (invalid_grant). Open Switchboard and click Reconnect."
        );
    }
}
