//! Running a command as one account without touching the global CLI files: the account's
//! files are written into a per-account dir under the data dir (`exec/<account id>`), the
//! command gets the CLI's relocation variable (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`,
//! `GEMINI_CLI_HOME`, `GROK_HOME`) or, for CLIs without one, the key in its variable; tokens
//! the CLI refreshed there go back to the keychain afterwards.

use std::fs::File;
use std::path::PathBuf;

use crate::account::Account;
use crate::catalog::{AccountKind, ProviderId};
use crate::error::{Error, Result};
use crate::files::{create_private_dir, plan_writes, remove_file, write_atomic, CliPaths};
use crate::providers::{self, Active};
use crate::secret::Sensitive;

use super::{Switchboard, TakeBack};

/// Which account a command runs as.
#[derive(Debug, Clone)]
pub enum ExecAccount {
    /// The provider's active account.
    Active,
    /// An account by label, email or id prefix.
    Named(String),
    /// The next account of the round-robin pool (the rotation moves on; the active account
    /// stays).
    Next,
}

/// The environment a command runs with, as one account.
pub struct ExecEnvironment {
    pub account: Account,
    /// The per-account dir (its CLI files, for providers that have a config dir).
    pub dir: PathBuf,
    /// Variables to set; key values are secrets, so this has no `Debug`.
    pub vars: Vec<(&'static str, Sensitive<String>)>,
    /// A shared lock on the dir, held while the command runs: several commands may run as
    /// the same account at once, sharing its dir, and the last to end clears it.
    lease: Option<File>,
}

impl ExecEnvironment {
    /// The shared lock on the account's dir, for the command to inherit: while the command
    /// (or anything it started) runs, the dir counts as in use, even if `switchboard` itself
    /// was killed, so nothing takes its tokens back from under it.
    pub fn lease(&self) -> Option<&File> {
        self.lease.as_ref()
    }
}

impl Switchboard {
    /// Picks the account, writes its files into its own dir, and returns the environment.
    pub fn prepare_exec(
        &self,
        provider: ProviderId,
        which: ExecAccount,
    ) -> Result<ExecEnvironment> {
        let account = match which {
            ExecAccount::Active => self.active_account(provider)?,
            ExecAccount::Named(name) => self.find_account(provider, &name)?,
            ExecAccount::Next => {
                let account = self.pool_successor(provider, true)?;
                self.store
                    .transaction(|tx| tx.set_pool_cursor(provider, &account.id))?;
                account
            }
        };
        // The global files may hold tokens the CLI refreshed: take them back first, so the
        // per-account dir gets the newest.
        self.take_back(provider)?;
        self.refresh_if_due(&account);
        let dir = self.exec_dir(&account);
        let source = providers::get(provider);
        let paths = crate::providers::exec_paths(&dir);
        let lease = match source.relocation(&paths) {
            Some(_) => {
                let lease = self.exec_lease(&account)?;
                lease
                    .lock_shared()
                    .map_err(|e| Error::io("waiting for the account's exec dir", e))?;
                // A command killed before it could clean up may have left refreshed tokens.
                if account.kind == AccountKind::Oauth {
                    self.take_back_from(provider, &paths, Some(&account))?;
                }
                Some(lease)
            }
            None => None,
        };
        let secret = self.vault.load(&account.id)?;
        let identity = self.store.read(|tx| tx.account_identity(&account.id))?;
        let active = Active {
            account: &account,
            secret: &secret,
            identity: &identity,
            helper_exe: &self.config.helper_exe,
            pinned: true,
        };
        let Some((variable, relocated)) = source.relocation(&paths) else {
            let vars = source.key_env(&active);
            if vars.is_empty() {
                return Err(Error::NotAllowed(format!(
                    "{} sign-in accounts cannot run in a separate dir; make the account active instead.",
                    provider.display_name()
                )));
            }
            return Ok(ExecEnvironment {
                account,
                dir,
                vars,
                lease,
            });
        };
        create_private_dir(&dir)?;
        create_private_dir(&relocated)?;
        let desired = source.files(&paths, Some(&active));
        // The dir is Switchboard's own: no backups, and the owned keys are simply set.
        for plan in plan_writes(&desired, |_| Ok(Vec::new()), |_| Ok(false))? {
            match (&plan.next, plan.changed) {
                (Some(text), true) => write_atomic(&plan.path, text.as_bytes())?,
                (None, true) => remove_file(&plan.path)?,
                _ => {}
            }
        }
        Ok(ExecEnvironment {
            account,
            dir,
            vars: vec![(variable, Sensitive::new(relocated.display().to_string()))],
            lease,
        })
    }

    /// After the command: tokens the CLI refreshed in the account's dir go back to the
    /// keychain (only when fresher); then, if no other command still runs as this account,
    /// Switchboard's keys leave the dir, so no token or key stays in the data dir. Whatever
    /// else the CLI keeps there (history, settings) stays.
    pub fn finish_exec(&self, mut env: ExecEnvironment) -> Result<TakeBack> {
        let provider = env.account.provider;
        let source = providers::get(provider);
        let paths = crate::providers::exec_paths(&env.dir);
        if source.relocation(&paths).is_none() {
            return Ok(TakeBack::Nothing);
        }
        let taken = if env.account.kind == AccountKind::Oauth {
            self.take_back_from(provider, &paths, Some(&env.account))?
        } else {
            TakeBack::Nothing
        };
        // The last one out clears the dir: another command running as this account holds
        // its shared lock, and keeps the files it is using.
        drop(env.lease.take());
        let sole = self.exec_lease(&env.account)?;
        match sole.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(taken),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io("locking the account's exec dir", e))
            }
        }
        self.clear_exec_dir(&env.account, &paths)?;
        Ok(taken)
    }

    /// Takes back what a command run as `account` left in its exec dir when it ended
    /// abnormally (killed, crashed, or its clean-up failed): the CLI's newest tokens go to the
    /// keychain and the dir is cleared. Called before the account's keychain tokens are used
    /// (a refresh, a switch, a check, a usage reading, a removal) and when the app starts.
    /// A dir still in use (a command holds its lease) is left alone: its CLI owns the tokens.
    pub(super) fn reclaim_exec(&self, account: &Account) -> Result<TakeBack> {
        if account.kind != AccountKind::Oauth || !self.exec_dir(account).is_dir() {
            return Ok(TakeBack::Nothing);
        }
        let lease = self.exec_lease(account)?;
        match lease.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(TakeBack::Nothing),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io("locking the account's exec dir", e))
            }
        }
        self.reclaim_exec_locked(account)
    }

    /// [`Self::reclaim_exec`] for a caller that holds the dir's lease exclusively.
    pub(super) fn reclaim_exec_locked(&self, account: &Account) -> Result<TakeBack> {
        let dir = self.exec_dir(account);
        let source = providers::get(account.provider);
        let paths = crate::providers::exec_paths(&dir);
        if account.kind != AccountKind::Oauth
            || source.relocation(&paths).is_none()
            || source.read_login(&paths).is_none()
        {
            return Ok(TakeBack::Nothing);
        }
        let taken = self.take_back_from(account.provider, &paths, Some(account))?;
        self.clear_exec_dir(account, &paths)?;
        tracing::info!(
            provider = account.provider.as_str(),
            account = account.id,
            taken_back = matches!(taken, TakeBack::Updated { .. }),
            "reclaimed what an exec that did not end cleanly left in its dir"
        );
        Ok(taken)
    }

    /// Every exec dir left behind, reclaimed (when the app starts): dirs of accounts that
    /// still exist are taken back and cleared, dirs of accounts that are gone are removed.
    /// Dirs in use are left alone. Returns how many dirs held something.
    pub fn reclaim_exec_dirs(&self) -> Result<usize> {
        let root = self.config.data_dir.join("exec");
        let Ok(entries) = std::fs::read_dir(&root) else {
            return Ok(0);
        };
        let accounts = self.store.read(|tx| tx.accounts())?;
        let mut reclaimed = 0;
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if !entry.path().is_dir() {
                continue;
            }
            match accounts.iter().find(|a| a.id == name) {
                Some(account) => {
                    let source = providers::get(account.provider);
                    let held = source.read_login(&crate::providers::exec_paths(&entry.path())).is_some();
                    match self.reclaim_exec(account) {
                        Ok(_) if held => reclaimed += 1,
                        Ok(_) => {}
                        Err(err) => tracing::warn!(
                            account = account.id,
                            "could not reclaim an exec dir: {err}"
                        ),
                    }
                }
                None => {
                    let lock = root.join(format!("{name}.lock"));
                    let free = File::options()
                        .write(true)
                        .open(&lock)
                        .map_or(true, |lease| lease.try_lock().is_ok());
                    if free && std::fs::remove_dir_all(entry.path()).is_ok() {
                        let _ = std::fs::remove_file(lock);
                        reclaimed += 1;
                    }
                }
            }
        }
        Ok(reclaimed)
    }

    /// Switchboard's keys out of the account's exec dir (what it wrote there, computed from
    /// the account's current secret); whatever else the CLI keeps there stays.
    fn clear_exec_dir(&self, account: &Account, paths: &CliPaths) -> Result<()> {
        let source = providers::get(account.provider);
        let secret = self.vault.load(&account.id)?;
        let identity = self.store.read(|tx| tx.account_identity(&account.id))?;
        let written = source.files(
            paths,
            Some(&Active {
                account,
                secret: &secret,
                identity: &identity,
                helper_exe: &self.config.helper_exe,
                pinned: true,
            }),
        );
        let cleared = source.files(paths, None);
        let owned = |path: &std::path::Path| {
            Ok(written
                .iter()
                .filter(|d| d.path == path)
                .flat_map(|d| d.entries.iter().map(|(k, _)| k.clone()))
                .collect())
        };
        for plan in plan_writes(&cleared, owned, |_| Ok(true))? {
            match (&plan.next, plan.changed) {
                (Some(text), true) => write_atomic(&plan.path, text.as_bytes())?,
                (None, true) => remove_file(&plan.path)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Forgets an account's exec dir (when the account is removed).
    pub(super) fn remove_exec_dir(&self, account: &Account) -> Result<()> {
        let lock = self
            .config
            .data_dir
            .join("exec")
            .join(format!("{}.lock", account.id));
        for removed in [
            std::fs::remove_dir_all(self.exec_dir(account)),
            std::fs::remove_file(lock),
        ] {
            match removed {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io("removing the account's exec dir", e))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `export` lines for the provider's active key account.
    pub fn env_vars(&self, provider: ProviderId) -> Result<Vec<(&'static str, Sensitive<String>)>> {
        let account = self.active_account(provider)?;
        let secret = self.vault.load(&account.id)?;
        let identity = serde_json::json!({});
        let vars = providers::get(provider).key_env(&Active {
            account: &account,
            secret: &secret,
            identity: &identity,
            helper_exe: &self.config.helper_exe,
            pinned: false,
        });
        if vars.is_empty() {
            return Err(Error::NotAllowed(format!(
                "{}'s active account is a sign-in: its tokens live in the CLI's files, not in variables. Use `switchboard exec {}` to run a command as another account.",
                provider.display_name(),
                provider.as_str()
            )));
        }
        Ok(vars)
    }

    fn exec_dir(&self, account: &Account) -> PathBuf {
        self.config.data_dir.join("exec").join(&account.id)
    }

    /// The lock file of an account's exec dir (beside it, so the dir can go).
    pub(super) fn exec_lease(&self, account: &Account) -> Result<File> {
        let dir = self.config.data_dir.join("exec");
        create_private_dir(&dir)?;
        let path = dir.join(format!("{}.lock", account.id));
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("opening {}", path.display()), e))
    }
}
