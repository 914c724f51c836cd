//! The facade: one method per user action. The window, the tray and the command line all
//! go through it, and every event an action commits is published as a [`Change`] (see
//! `outbox`), so they never disagree.
//! Accounts, switching and logins found in CLI files each have a module of their own.

mod accounts;
#[cfg(test)]
mod behaviour;
#[cfg(test)]
mod change_events;
mod endpoints;
mod exec;
mod fallback;
mod logins;
mod outbox;
mod refresh;
mod settings;
mod sign_in;
mod switching;
mod usage;

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

pub use exec::ExecAccount;
pub use logins::{Imported, TakeBack};
pub use refresh::{RefreshOutcome, Refreshed, Revoked};
pub use settings::Settings;
pub use switching::Switched;
pub use usage::{AccountUsage, AUTO_SWITCH_DEFAULT};

use crate::account::Account;
use crate::catalog::{ProviderId, ProviderInfo};
use crate::cli_files::{self, Synced};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::files::lock_files;
use crate::providers;
use crate::signin::SignIns;
use crate::store::{EventKind, EventRecord, Store};
use crate::time::Clock;
use crate::vault::{AccountSecret, Vault};
use outbox::Outbox;

/// Published after every change, to the window (as an event) and the tray.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Change {
    pub kind: EventKind,
    pub provider: ProviderId,
    pub account_id: Option<String>,
}

/// An account as the window, the tray and `list` show it: the account, with what is known
/// of it when it is listed (a lapse warning, its usage as last read). The domain's
/// [`Account`] has neither; this is the answer's own type.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub account: Account,
    /// A sign-in about to lapse, in words.
    pub warning: Option<String>,
    /// Its usage and limits as last read, for accounts whose provider reports them.
    pub usage: Option<crate::limits::UsageReading>,
}

impl std::ops::Deref for AccountView {
    type Target = Account;

    fn deref(&self) -> &Account {
        &self.account
    }
}

/// One provider's accounts and which one is active.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderAccounts {
    pub provider: ProviderId,
    pub active_account_id: Option<String>,
    pub accounts: Vec<AccountView>,
    /// What becomes active when the active sign-in needs signing in again.
    pub fallback: crate::account::Fallback,
    /// The share of a window at which the active sign-in moves on by itself; `None`: off.
    pub auto_switch: Option<f64>,
}

/// Everything the main window shows, providers in catalog order.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    pub providers: Vec<ProviderAccounts>,
    /// The providers whose endpoints `SWITCHBOARD_ENDPOINTS` changes in this process (the
    /// window says so while it is set).
    pub endpoint_overrides: Vec<ProviderId>,
}

/// What the window paints first, handed to the page with it (no IPC round trip, no
/// "Loading" frame): the catalog and the overview. Metadata only, like every IPC answer.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FirstView {
    pub catalog: Vec<ProviderInfo>,
    pub overview: Overview,
}

/// How often a switch plans its files again when the CLI keeps rewriting them meanwhile.
const MAX_SYNC_ATTEMPTS: usize = 3;

pub struct Switchboard {
    config: Config,
    store: Store,
    vault: Vault,
    /// What the window and the tray hear: every event committed, once.
    outbox: Arc<Outbox>,
    /// Sign-ins waiting for their answer.
    sign_ins: SignIns,
    /// What "now" is for every decision the facade makes (due, backoff, gaps, windows).
    clock: Arc<dyn Clock>,
}

impl Switchboard {
    /// Opens the data dir (created 0700, or made so) and its database (0600), with the
    /// secrets in the OS keychain under the configured service name.
    pub fn open(config: Config) -> Result<Self> {
        let vault = Vault::new(config.keyring_service.clone());
        Self::open_with_vault(config, vault, Arc::new(crate::time::SystemClock))
    }

    #[cfg(any(test, feature = "testing"))]
    /// [`Self::open`], with the time read from `clock` (tests of waits that would sleep).
    pub fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<Self> {
        let vault = Vault::new(config.keyring_service.clone());
        Self::open_with_vault(config, vault, clock)
    }

    #[cfg(any(test, feature = "testing"))]
    /// [`Self::open`] with the secrets kept in `secrets` instead (memory, in tests of the
    /// domain that need no keychain daemon).
    pub fn open_with_secrets(
        config: Config,
        secrets: Arc<dyn crate::secret_store::SecretStore>,
    ) -> Result<Self> {
        Self::open_with_secrets_and_clock(config, secrets, Arc::new(crate::time::SystemClock))
    }

    #[cfg(any(test, feature = "testing"))]
    /// [`Self::open_with_secrets`], with the time read from `clock`.
    pub fn open_with_secrets_and_clock(
        config: Config,
        secrets: Arc<dyn crate::secret_store::SecretStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        Self::open_with_vault(config, Vault::with_store(secrets), clock)
    }

    fn open_with_vault(config: Config, vault: Vault, clock: Arc<dyn Clock>) -> Result<Self> {
        crate::files::create_private_dir(&config.data_dir)?;
        crate::files::make_private(&config.data_dir)?;
        let store = Store::open(&config.database_path(), clock.clone())?;
        if cfg!(debug_assertions)
            && config.keyring_service == crate::config::DEFAULT_KEYRING_SERVICE
        {
            tracing::info!(
                data_dir = %config.data_dir.display(),
                "a development build: its own keychain entries ({}) and data dir, never the installed Switchboard's accounts",
                config.keyring_service
            );
        }
        let overridden = config.endpoints.providers();
        if !overridden.is_empty() {
            tracing::warn!(
                providers = ?overridden.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "SWITCHBOARD_ENDPOINTS overrides these providers' endpoints: new sign-ins and keys use them; credentials added without them are not sent there"
            );
        }
        let seen = (store.data_version()?, store.read(|tx| tx.last_event_id())?);
        let outbox = Arc::new(Outbox::new(seen));
        let committed = outbox.clone();
        store.on_commit(move |events| committed.committed(events));
        Ok(Self {
            config,
            store,
            vault,
            outbox,
            sign_ins: SignIns::default(),
            clock,
        })
    }

    /// Whether the keychain is locked, where that can be asked without a prompt.
    pub fn keychain_locked(&self) -> Option<bool> {
        self.vault.is_locked()
    }

    /// Now, by this facade's clock.
    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls `listener` with every change: each event this process commits (after the
    /// action that made it) and, through [`Self::follow_other_processes`], other processes'.
    pub fn subscribe(&self, listener: impl Fn(&Change) + Send + Sync + 'static) {
        self.outbox.subscribe(Arc::new(listener));
    }

    /// Publishes the changes other Switchboard processes (the command line, a deep link
    /// handled elsewhere) committed since the last call, so this process's window and tray
    /// follow them; never this process's own, which it published when it made them. Returns
    /// how many there were. Cheap when nothing changed.
    pub fn follow_other_processes(&self) -> Result<usize> {
        self.outbox.follow(&self.store)
    }

    pub fn catalog(&self) -> Vec<ProviderInfo> {
        providers::all().into_iter().cloned().collect()
    }

    /// The catalog and the overview in one, for the window's first paint (SQLite only).
    pub fn first_view(&self) -> Result<FirstView> {
        Ok(FirstView {
            catalog: self.catalog(),
            overview: self.overview()?,
        })
    }

    pub fn overview(&self) -> Result<Overview> {
        let now = self.now();
        self.store.read(|tx| {
            let accounts = tx
                .accounts()?
                .into_iter()
                .map(|account| {
                    Ok(AccountView {
                        warning: account.lapse_warning(now),
                        usage: usage::reading_for(&account, tx)?,
                        account,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let providers = ProviderId::ALL
                .into_iter()
                .map(|provider| {
                    Ok(ProviderAccounts {
                        provider,
                        active_account_id: tx.active_account_id(provider)?,
                        fallback: tx.fallback(provider)?,
                        auto_switch: tx.auto_switch(provider)?,
                        accounts: accounts
                            .iter()
                            .filter(|a| a.provider == provider)
                            .cloned()
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Overview {
                providers,
                endpoint_overrides: self.overridden_endpoints(),
            })
        })
    }

    pub fn account(&self, id: &str) -> Result<Account> {
        self.store.read(|tx| tx.account(id))
    }

    /// The account of `provider` named by `name`: its label or email (any case), or a prefix
    /// of its id (4 characters or more). A name that fits several accounts is an error that
    /// lists them.
    pub fn find_account(&self, provider: ProviderId, name: &str) -> Result<Account> {
        let name = name.trim();
        let accounts: Vec<Account> = self
            .store
            .read(|tx| tx.accounts())?
            .into_iter()
            .filter(|a| a.provider == provider)
            .collect();
        let exact: Vec<&Account> = accounts
            .iter()
            .filter(|a| {
                a.label.eq_ignore_ascii_case(name)
                    || a.email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(name))
                    || a.id == name
            })
            .collect();
        let matches = if exact.is_empty() && name.len() >= 4 {
            accounts.iter().filter(|a| a.id.starts_with(name)).collect()
        } else {
            exact
        };
        // The name may come from anywhere (a link): shown cleaned and cut.
        let shown = crate::text::shorten(&crate::text::printable(name, true), 80);
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::not_found(format!(
                "{} account \u{201c}{shown}\u{201d}",
                provider.display_name()
            ))),
            many => Err(Error::InvalidInput(format!(
                "\u{201c}{shown}\u{201d} fits several {} accounts: {}. Name one by its id.",
                provider.display_name(),
                many.iter()
                    .map(|a| format!("{} ({})", a.label, &a.id[..8]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The provider's active account, or "Provider not configured".
    pub fn active_account(&self, provider: ProviderId) -> Result<Account> {
        self.store.read(|tx| match tx.active_account_id(provider)? {
            Some(id) => tx.account(&id),
            None => Err(Error::ProviderNotConfigured(provider)),
        })
    }

    /// Writes `account` (or, with `None`, nothing of Switchboard's) into `provider`'s CLI
    /// files and runs `finish` in the transaction that records it (see [`cli_files::sync`]).
    /// Everything happens under the files' locks: first the tokens the CLI refreshed are
    /// taken back, then the account's secret is read (so it is the newest), then the files
    /// are written. If the CLI rewrites a file meanwhile, that is taken back and the write
    /// planned again. `given` is the secret and identity of an account not saved yet.
    pub(crate) fn write_files(
        &self,
        provider: ProviderId,
        account: Option<&Account>,
        given: Option<(&AccountSecret, &serde_json::Value)>,
        finish: impl Fn(&crate::store::Tx<'_>) -> Result<()>,
    ) -> Result<Vec<std::path::PathBuf>> {
        let paths = cli_files::lock_paths(provider, &self.config.cli_paths);
        let _locks = lock_files(
            &self.config.locks_dir(),
            paths.iter().map(std::path::PathBuf::as_path),
        )?;
        let _cli_lock = self.lock_cli(provider, &self.config.cli_paths)?;
        for _ in 0..MAX_SYNC_ATTEMPTS {
            // What take-back looks at, the plan must start from: a file the CLI rewrites in
            // between is taken back on the next attempt instead of being written over.
            let seen = cli_files::snapshot(&paths)?;
            self.take_back_locked(provider, &self.config.cli_paths, None)?;
            let loaded;
            let target = match (account, given) {
                (Some(account), Some((secret, identity))) => Some(cli_files::Target {
                    account,
                    secret,
                    identity,
                }),
                (Some(account), None) => {
                    self.reclaim_exec(account)?;
                    loaded = (
                        self.vault.load(&account.id)?,
                        self.store.read(|tx| tx.account_identity(&account.id))?,
                    );
                    Some(cli_files::Target {
                        account,
                        secret: &loaded.0,
                        identity: &loaded.1,
                    })
                }
                (None, _) => None,
            };
            // The switch itself, and which sign-in's tokens the files now hold.
            let record = |tx: &crate::store::Tx<'_>| {
                finish(tx)?;
                match account {
                    Some(account) if account.kind == crate::catalog::AccountKind::Oauth => {
                        tx.set_last_login_account(provider, &account.id)
                    }
                    _ => Ok(()),
                }
            };
            match cli_files::sync(
                &self.store,
                &self.vault,
                &self.config,
                provider,
                target,
                &seen,
                record,
            )? {
                Synced::Written(files) => return Ok(files),
                Synced::ChangedUnderneath(path) => tracing::info!(
                    path = %path.display(),
                    "the CLI rewrote its file during a switch; taking it back and planning again"
                ),
            }
        }
        Err(Error::Conflict(format!(
            "{} kept rewriting its files while Switchboard wrote them; nothing was overwritten. Try again.",
            provider.display_name()
        )))
    }

    /// The CLI's own lock on its files under `paths`, where it has one (after Switchboard's
    /// locks, always in that order).
    pub(crate) fn lock_cli(
        &self,
        provider: ProviderId,
        paths: &crate::files::CliPaths,
    ) -> Result<Option<crate::files::CliLock>> {
        match providers::get(provider).cli_lock_file(paths) {
            Some(path) => crate::files::lock_cli_file(&path),
            None => Ok(None),
        }
    }

    pub fn recent_events(&self, limit: u32) -> Result<Vec<EventRecord>> {
        self.store.read(|tx| tx.recent_events(limit))
    }
}
