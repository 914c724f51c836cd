//! Switching: which account of a provider is active (the checkmark, round-robin), writing
//! it into the CLI's files, restoring the originals, and the credential helper CLIs call.

use serde::Serialize;
use ts_rs::TS;

use crate::account::Account;
use crate::account::AccountStatus;
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::providers;
use crate::secret::Sensitive;
use crate::store::EventKind;

use super::Switchboard;

/// The result of changing a provider's active account.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Switched {
    pub provider: ProviderId,
    pub active_account_id: Option<String>,
    /// The label of the account now active.
    pub active_label: Option<String>,
    /// The CLI files that changed.
    pub files_changed: Vec<String>,
    /// What the user should know, e.g. that running sessions of this CLI will not follow.
    pub caveat: Option<String>,
    /// The switch in one sentence, as the window, the tray and the command line say it:
    /// "Codex now uses Work (2 CLI files updated)."
    pub notice: String,
    /// The pool accounts "next" passed over, each with why ("Work: at its limit (5-hour
    /// 100%, resets in 2 h)").
    pub skipped: Vec<String>,
}

/// What "next in pool" found: the account to switch to, and those it passed over.
pub(super) struct PoolChoice {
    pub account: Option<Account>,
    pub skipped: Vec<String>,
}

impl PoolChoice {
    /// The account, or an error that says why none is ready.
    fn ready_or_err(self, provider: ProviderId) -> Result<Account> {
        if let Some(account) = self.account {
            return Ok(account);
        }
        let name = provider.display_name();
        Err(Error::NotAllowed(if self.skipped.is_empty() {
            format!("{name} has no account in its round-robin pool; turn on Round-robin for sign-in accounts.")
        } else {
            format!(
                "{name} has no account in its round-robin pool that is ready: {}.",
                self.skipped.join("; ")
            )
        }))
    }
}

impl Switched {
    fn new(provider: ProviderId, account: Option<&Account>, files: &[std::path::PathBuf]) -> Self {
        let count = files.len();
        let written = match count {
            0 => String::new(),
            1 => " (1 CLI file updated)".to_owned(),
            n => format!(" ({n} CLI files updated)"),
        };
        let name = provider.display_name();
        let notice = match account {
            Some(account) => format!("{name} now uses {}{written}.", account.label),
            None => format!("{name} has no active account{written}."),
        };
        Self {
            provider,
            active_account_id: account.map(|a| a.id.clone()),
            active_label: account.map(|a| a.label.clone()),
            files_changed: files.iter().map(|p| p.display().to_string()).collect(),
            caveat: account
                .and(providers::get(provider).switch_caveat())
                .map(str::to_owned),
            notice,
            skipped: Vec::new(),
        }
    }
}

impl Switchboard {
    /// Makes `account_id` its provider's active account (`None` clears it) and writes the
    /// CLI's files to match, in one transaction: if a file cannot be written, nothing changes.
    pub fn set_active(&self, provider: ProviderId, account_id: Option<&str>) -> Result<Switched> {
        let _action = self.outbox.action();
        let account = match account_id {
            Some(id) => {
                let account = self.account(id)?;
                if account.provider != provider {
                    return Err(Error::InvalidInput(format!(
                        "That account belongs to {}, not {}.",
                        account.provider.display_name(),
                        provider.display_name()
                    )));
                }
                Some(account)
            }
            None => None,
        };
        if let Some(account) = &account {
            self.refresh_if_due(account);
        }
        let files = self.write_active(provider, account.as_ref())?;
        Ok(Switched::new(provider, account.as_ref(), &files))
    }

    /// [`Self::set_active`] without its refresh: the step other actions (sign-in, removal,
    /// fallback, auto-switch) take. Returns the files that changed.
    pub(super) fn write_active(
        &self,
        provider: ProviderId,
        account: Option<&Account>,
    ) -> Result<Vec<std::path::PathBuf>> {
        // Tokens the CLI refreshed since the last switch go to the keychain before the files
        // are rewritten (under the files' locks), so switching away and back never restores
        // a stale token.
        let account_id = account.map(|a| a.id.as_str());
        let detail = account.map(|a| a.label.clone()).unwrap_or_default();
        self.write_files(provider, account, None, |tx| {
            tx.set_active_account_id(provider, account_id)?;
            tx.log_event(EventKind::ActiveChanged, provider, account_id, &detail)
        })
    }

    /// "Next in pool": activates the pool account with the most room in its tightest
    /// window, ties broken by the round-robin order (oldest first, continuing after the
    /// active account). Accounts that need signing in or are at their limit are skipped,
    /// and the result says which and why. Where the rotation stands is kept in the
    /// database, so it survives restarts.
    pub fn next_in_pool(&self, provider: ProviderId) -> Result<Switched> {
        let choice = self.pool_choice(provider, false, None)?;
        let skipped = choice.skipped.clone();
        let next_id = choice.ready_or_err(provider)?.id;
        let mut switched = self.move_pool_to(provider, &next_id)?;
        switched.skipped = skipped;
        Ok(switched)
    }

    /// Makes `account_id` active as "next in pool" does: the rotation goes on from it.
    pub fn move_pool_to(&self, provider: ProviderId, account_id: &str) -> Result<Switched> {
        let _action = self.outbox.action();
        let switched = self.set_active(provider, Some(account_id))?;
        self.store
            .transaction(|tx| tx.set_pool_cursor(provider, account_id))?;
        Ok(switched)
    }

    /// The account "next in pool" would switch to now.
    pub fn pool_next(&self, provider: ProviderId) -> Result<Account> {
        self.pool_successor(provider, false)
    }

    /// The account "next in pool" picks; with `rotation_first`, continuing after where the
    /// rotation stood even when the active account is in the pool (`exec --next` rotates
    /// without switching).
    pub(super) fn pool_successor(
        &self,
        provider: ProviderId,
        rotation_first: bool,
    ) -> Result<Account> {
        self.pool_choice(provider, rotation_first, None)?
            .ready_or_err(provider)
    }

    /// The pool account with the most room (at least `min_room` percent, when given), and
    /// the accounts passed over with why.
    pub(super) fn pool_choice(
        &self,
        provider: ProviderId,
        rotation_first: bool,
        min_room: Option<f64>,
    ) -> Result<PoolChoice> {
        let (pool, cursor, active) = self.store.read(|tx| {
            let mut pool = Vec::new();
            for account in tx.accounts()? {
                if account.provider == provider && account.in_pool {
                    let limits = tx.usage_state(&account.id)?.reading.limits;
                    pool.push((account, limits));
                }
            }
            Ok((
                pool,
                tx.pool_cursor(provider)?,
                tx.active_account_id(provider)?,
            ))
        })?;
        // Continue from the active account when it is in the pool, otherwise from where the
        // rotation last stood (the active account may have been cleared or switched by hand).
        let in_pool = |id: &String| pool.iter().any(|(a, _)| &a.id == id);
        let after = if rotation_first {
            cursor.filter(in_pool).or(active.filter(in_pool))
        } else {
            active.filter(in_pool).or(cursor.filter(in_pool))
        };
        let start = after
            .as_ref()
            .and_then(|id| pool.iter().position(|(a, _)| &a.id == id))
            .map_or(0, |index| index + 1);
        let now = self.now();
        let mut skipped = Vec::new();
        let mut ready: Vec<(&Account, f64)> = Vec::new();
        for offset in 0..pool.len() {
            let (account, limits) = &pool[(start + offset) % pool.len()];
            let (room, full) = super::usage::room_of(limits.as_ref(), now);
            let why = match (account.status, full) {
                (AccountStatus::NeedsSignIn, _) => Some("needs signing in again".to_owned()),
                (AccountStatus::SecretMissing, _) => Some("its key is missing".to_owned()),
                (_, Some(why)) => Some(why),
                _ => None,
            };
            match why {
                Some(why) => skipped.push(format!("{}: {why}", account.label)),
                None if min_room.is_some_and(|min| room <= min) => {}
                None => ready.push((account, room)),
            }
        }
        // Moving on means another account, when another is ready.
        if ready.len() > 1 {
            ready.retain(|(a, _)| Some(&a.id) != after.as_ref());
        }
        let best = ready
            .iter()
            .fold(None::<&(&Account, f64)>, |best, candidate| match best {
                Some(b) if b.1 >= candidate.1 => Some(b),
                _ => Some(candidate),
            });
        // Staying put because every other account was skipped is not moving on.
        let stays = best.is_some_and(|(a, _)| Some(&a.id) == after.as_ref());
        Ok(PoolChoice {
            account: best
                .filter(|_| !stays || skipped.is_empty())
                .map(|(a, _)| (*a).clone()),
            skipped,
        })
    }

    /// The checkmark: makes the account active, or clears it if it already is.
    pub fn toggle_active(&self, account_id: &str) -> Result<Switched> {
        let (provider, active) = self.store.read(|tx| {
            let account = tx.account(account_id)?;
            Ok((account.provider, tx.active_account_id(account.provider)?))
        })?;
        let next = if active.as_deref() == Some(account_id) {
            None
        } else {
            Some(account_id)
        };
        self.set_active(provider, next)
    }

    /// Puts every CLI file back as it was before Switchboard first wrote it, and clears
    /// every provider's active account (the files no longer reflect them).
    pub fn restore_cli_files(&self) -> Result<Vec<ProviderId>> {
        let _action = self.outbox.action();
        // File locks first, then the database, in the same order as a switch.
        let paths = crate::cli_files::managed_paths(&self.store)?;
        let _locks = crate::files::lock_files(
            &self.config.locks_dir(),
            paths.iter().map(std::path::PathBuf::as_path),
        )?;
        let _cli_locks = ProviderId::ALL
            .into_iter()
            .map(|provider| self.lock_cli(provider, &self.config.cli_paths))
            .collect::<Result<Vec<_>>>()?;
        let providers = crate::cli_files::restore(&self.store, &self.vault, |tx, restored| {
            for provider in ProviderId::ALL {
                let had_active = tx.active_account_id(provider)?.is_some();
                tx.set_active_account_id(provider, None)?;
                if restored.contains(&provider) {
                    tx.log_event(EventKind::FilesRestored, provider, None, "")?;
                } else if had_active {
                    // No file to put back, but its active account is cleared: logged, so
                    // other processes' windows and trays follow.
                    tx.log_event(EventKind::ActiveChanged, provider, None, "files restored")?;
                }
            }
            Ok(())
        })?;
        Ok(providers)
    }

    /// What a CLI's credential helper prints for the provider's active account: Claude Code's
    /// `apiKeyHelper` gets the key, `awsCredentialExport` the AWS credentials as JSON.
    /// `account` names one by id (the helper of a per-account `exec` dir).
    pub fn helper_credential(
        &self,
        provider: ProviderId,
        account: Option<&str>,
    ) -> Result<Sensitive<String>> {
        let account = match account {
            Some(id) => self.find_account(provider, id)?,
            None => self.active_account(provider)?,
        };
        let secret = self.vault.load(&account.id)?;
        providers::get(provider)
            .helper_credential(&secret)
            .ok_or_else(|| {
                Error::NotAllowed(format!(
                    "{} reads its credentials from its own files; there is nothing to ask Switchboard for.",
                    provider.display_name()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::AccountKind;

    #[test]
    fn a_switch_is_told_in_one_sentence_with_its_files_and_caveat() {
        let mut work = Account::new(ProviderId::Codex, AccountKind::ApiKey, "sk-…abcd".into());
        work.label = "Work".into();
        let files = [
            std::path::PathBuf::from("/h/.codex/auth.json"),
            std::path::PathBuf::from("/h/.codex/config.toml"),
        ];
        let switched = Switched::new(ProviderId::Codex, Some(&work), &files);
        assert_eq!(
            switched.notice,
            "Codex now uses Work (2 CLI files updated)."
        );
        assert_eq!(
            switched.caveat.as_deref(),
            Some("A running codex session refuses a different account until it is restarted.")
        );
        let (title, body) = crate::tray::switch_notice(&switched);
        assert_eq!(title, "Codex");
        assert!(body.starts_with("Codex now uses Work (2 CLI files updated). A running"));
        let one = Switched::new(ProviderId::Claude, Some(&work), &files[..1]);
        assert_eq!(
            one.notice,
            "Claude Code now uses Work (1 CLI file updated)."
        );
        let cleared = Switched::new(ProviderId::Codex, None, &[]);
        assert_eq!(cleared.notice, "Codex has no active account.");
        assert_eq!(cleared.caveat, None);
    }
}
