//! The facade: one method per user action. The window, the tray and the command line all
//! go through it, and it publishes a [`Change`] after every action so they never disagree.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::account::{
    Account, AccountSettings, AccountStatus, KeyCredential, NewKeyAccount, Saved,
};
use crate::catalog::{AccountKind, ProviderId, ProviderInfo};
use crate::cli_files;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::providers::{self, FoundLogin};
use crate::secret::Sensitive;
use crate::store::{EventKind, EventRecord, Store};
use crate::validate;
use crate::vault::{AccountSecret, Vault};

const MAX_DESCRIPTION_CHARS: usize = 1_000;

/// Published after every change, to the window (as an event) and the tray.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Change {
    pub kind: EventKind,
    pub provider: ProviderId,
    pub account_id: Option<String>,
}

/// One provider's accounts and which one is active.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderAccounts {
    pub provider: ProviderId,
    pub active_account_id: Option<String>,
    pub accounts: Vec<Account>,
}

/// Everything the main window shows, providers in catalog order.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    pub providers: Vec<ProviderAccounts>,
}

/// The result of changing a provider's active account.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Switched {
    pub provider: ProviderId,
    pub active_account_id: Option<String>,
    /// The CLI files that changed.
    pub files_changed: Vec<String>,
    /// What the user should know, e.g. that running sessions of this CLI will not follow.
    pub caveat: Option<String>,
}

/// A login found in a CLI's files, and the account it is now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Imported {
    pub provider: ProviderId,
    pub account_id: String,
    pub label: String,
    /// `false` when the login was already an account (importing twice adds nothing).
    pub created: bool,
}

/// What looking at a CLI's login files found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeBack {
    /// Nothing new.
    Nothing,
    /// The CLI had refreshed this account's tokens; the keychain now holds the new ones.
    Updated { account_id: String },
    /// A login no account knows: the user ran the CLI's own login. Offer to import it.
    NewLogin,
}

type Listener = Arc<dyn Fn(&Change) + Send + Sync>;

pub struct Switchboard {
    config: Config,
    store: Store,
    vault: Vault,
    listeners: Mutex<Vec<Listener>>,
    /// What this process has seen of the database: its data version and the last event id.
    seen: Mutex<(i64, i64)>,
}

impl Switchboard {
    /// Opens the data dir (created 0700) and its database.
    pub fn open(config: Config) -> Result<Self> {
        crate::files::create_private_dir(&config.data_dir)?;
        let store = Store::open(&config.database_path())?;
        let vault = Vault::new(config.keyring_service.clone());
        let seen = (store.data_version()?, store.read(|tx| tx.last_event_id())?);
        Ok(Self {
            config,
            store,
            vault,
            listeners: Mutex::new(Vec::new()),
            seen: Mutex::new(seen),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls `listener` after every change made through this facade.
    pub fn subscribe(&self, listener: impl Fn(&Change) + Send + Sync + 'static) {
        self.lock_listeners().push(Arc::new(listener));
    }

    fn lock_listeners(&self) -> std::sync::MutexGuard<'_, Vec<Listener>> {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, kind: EventKind, provider: ProviderId, account_id: Option<&str>) {
        let change = Change {
            kind,
            provider,
            account_id: account_id.map(str::to_owned),
        };
        tracing::info!(
            kind = kind.as_str(),
            provider = provider.as_str(),
            account = account_id,
            "change"
        );
        let listeners = self.lock_listeners().clone();
        for listener in listeners {
            listener(&change);
        }
    }

    /// Publishes the changes other Switchboard processes (the command line, a deep link
    /// handled elsewhere) committed since the last call, so this process's window and tray
    /// follow them. Returns how many there were. Cheap when nothing changed.
    pub fn follow_other_processes(&self) -> Result<usize> {
        let version = self.store.data_version()?;
        let last = {
            let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if seen.0 == version {
                return Ok(0);
            }
            seen.1
        };
        let events = self.store.read(|tx| tx.events_after(last))?;
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            *seen = (version, events.last().map_or(last, |(id, _)| *id));
        }
        for (_, event) in &events {
            self.publish(event.kind, event.provider, event.account_id.as_deref());
        }
        Ok(events.len())
    }

    pub fn catalog(&self) -> Vec<ProviderInfo> {
        providers::all().into_iter().cloned().collect()
    }

    pub fn overview(&self) -> Result<Overview> {
        self.store.read(|tx| {
            let accounts = tx.accounts()?;
            let providers = ProviderId::ALL
                .into_iter()
                .map(|provider| {
                    Ok(ProviderAccounts {
                        provider,
                        active_account_id: tx.active_account_id(provider)?,
                        accounts: accounts
                            .iter()
                            .filter(|a| a.provider == provider)
                            .cloned()
                            .collect(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Overview { providers })
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
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::not_found(format!(
                "{} account \u{201c}{name}\u{201d}",
                provider.display_name()
            ))),
            many => Err(Error::InvalidInput(format!(
                "\u{201c}{name}\u{201d} fits several {} accounts: {}. Name one by its id.",
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

    pub fn recent_events(&self, limit: u32) -> Result<Vec<EventRecord>> {
        self.store.read(|tx| tx.recent_events(limit))
    }

    /// Adds an API-key or Bedrock account. The secret goes to the keychain in the same
    /// transaction as the row: if the keychain refuses, nothing is stored anywhere.
    pub fn add_key_account(&self, input: NewKeyAccount) -> Result<Saved> {
        let info = providers::info(input.provider);
        let kind = input.credential.kind();
        if !info.takes(kind) {
            return Err(Error::InvalidInput(format!(
                "{} does not take {} accounts.",
                info.display_name,
                kind_name(kind)
            )));
        }
        let warnings = validate::check_credential(info, &input.credential)?;
        let endpoint = validate::normalize_endpoint(info, input.endpoint)?;
        let model = input
            .model
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty());
        validate::check_model_effort(info, model.as_deref(), input.effort)?;
        let description = check_description(input.description.as_deref().unwrap_or_default())?;
        let secret = AccountSecret::from_credential(&input.credential);
        let label = input
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(validate::check_label)
            .transpose()?;
        let account = Account {
            endpoint,
            region: input.credential.region().map(str::to_owned),
            model,
            effort: input.effort,
            description,
            ..Account::new(input.provider, kind, hint(info, &secret))
        };
        let base = default_label(info.display_name);
        let account =
            self.insert_new_account(account, label, base, &serde_json::Value::Null, &secret)?;
        Ok(Saved { account, warnings })
    }

    /// Replaces an account's secret (key rotation) without ever showing the old one.
    pub fn replace_secret(&self, id: &str, credential: KeyCredential) -> Result<Saved> {
        let mut account = self.account(id)?;
        if account.kind != credential.kind() {
            return Err(Error::InvalidInput(format!(
                "This is a {} account; enter a new {} instead.",
                kind_name(account.kind),
                kind_name(account.kind)
            )));
        }
        let info = providers::info(account.provider);
        let warnings = validate::check_credential(info, &credential)?;
        let secret = AccountSecret::from_credential(&credential);
        account.secret_hint = hint(info, &secret);
        if let Some(region) = credential.region() {
            account.region = Some(region.to_owned());
        }
        let account = self.store.transaction(|tx| {
            let saved = tx.update_account(&account)?;
            tx.log_event(
                EventKind::SecretReplaced,
                saved.provider,
                Some(&saved.id),
                &saved.label,
            )?;
            self.vault.store(&saved.id, &secret)?;
            Ok(saved)
        })?;
        self.resync_if_active(&account)?;
        self.publish(
            EventKind::SecretReplaced,
            account.provider,
            Some(&account.id),
        );
        Ok(Saved { account, warnings })
    }

    pub fn rename_account(&self, id: &str, label: &str) -> Result<Account> {
        let label = validate::check_label(label)?;
        self.update(id, EventKind::AccountUpdated, |tx, account| {
            if tx.label_taken(account.provider, &label, Some(&account.id))? {
                return Err(Error::Conflict(format!(
                    "Another account of this provider is already labelled \u{201c}{label}\u{201d}."
                )));
            }
            account.label = label;
            Ok(())
        })
    }

    pub fn set_description(&self, id: &str, description: &str) -> Result<Account> {
        let description = check_description(description)?;
        self.update(id, EventKind::AccountUpdated, |_, account| {
            account.description = description;
            Ok(())
        })
    }

    /// Changes a key account's endpoint, model and effort.
    pub fn update_settings(&self, id: &str, settings: AccountSettings) -> Result<Account> {
        self.update(id, EventKind::AccountUpdated, |_, account| {
            let info = providers::info(account.provider);
            let model = settings
                .model
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty());
            validate::check_model_effort(info, model.as_deref(), settings.effort)?;
            if account.kind != AccountKind::Oauth {
                account.endpoint = validate::normalize_endpoint(info, settings.endpoint)?;
            }
            account.model = model;
            account.effort = settings.effort;
            Ok(())
        })
    }

    /// Adds or removes an account from its provider's round-robin pool (sign-in accounts only).
    pub fn set_in_pool(&self, id: &str, in_pool: bool) -> Result<Account> {
        self.update(id, EventKind::PoolChanged, |_, account| {
            if in_pool && !account.kind.can_join_pool() {
                return Err(Error::NotAllowed(
                    "Only accounts that sign in can join round-robin; API keys are billed per request, so rotating them saves nothing."
                        .to_owned(),
                ));
            }
            account.in_pool = in_pool;
            Ok(())
        })
    }

    /// Rewrites the CLI files after a change to the provider's active account.
    fn resync_if_active(&self, account: &Account) -> Result<()> {
        let active = self
            .store
            .read(|tx| tx.active_account_id(account.provider))?;
        if active.as_deref() == Some(account.id.as_str()) {
            cli_files::sync(
                &self.store,
                &self.vault,
                &self.config,
                account.provider,
                Some(account),
                |_| Ok(()),
            )?;
        }
        Ok(())
    }

    fn update(
        &self,
        id: &str,
        kind: EventKind,
        change: impl FnOnce(&crate::store::Tx<'_>, &mut Account) -> Result<()>,
    ) -> Result<Account> {
        let account = self.store.transaction(|tx| {
            let mut account = tx.account(id)?;
            change(tx, &mut account)?;
            let saved = tx.update_account(&account)?;
            tx.log_event(kind, saved.provider, Some(&saved.id), &saved.label)?;
            Ok(saved)
        })?;
        self.resync_if_active(&account)?;
        self.publish(kind, account.provider, Some(&account.id));
        Ok(account)
    }

    /// Removes an account and its keychain entry; if it was active, the provider has none.
    pub fn remove_account(&self, id: &str) -> Result<()> {
        let account = self.account(id)?;
        let remove = |tx: &crate::store::Tx<'_>| {
            tx.delete_account(id)?;
            tx.log_event(
                EventKind::AccountRemoved,
                account.provider,
                Some(id),
                &account.label,
            )?;
            self.vault.delete(id)
        };
        let active = self
            .store
            .read(|tx| tx.active_account_id(account.provider))?;
        if active.as_deref() == Some(id) {
            cli_files::sync(
                &self.store,
                &self.vault,
                &self.config,
                account.provider,
                None,
                remove,
            )?;
        } else {
            self.store.transaction(remove)?;
        }
        self.publish(EventKind::AccountRemoved, account.provider, Some(id));
        Ok(())
    }

    /// Makes `account_id` its provider's active account (`None` clears it) and writes the
    /// CLI's files to match, in one transaction: if a file cannot be written, nothing changes.
    pub fn set_active(&self, provider: ProviderId, account_id: Option<&str>) -> Result<Switched> {
        // Tokens the CLI refreshed since the last switch go to the keychain before the files
        // are rewritten, so switching away and back never restores a stale token.
        self.take_back(provider)?;
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
        let detail = account
            .as_ref()
            .map(|a| a.label.clone())
            .unwrap_or_default();
        let files = cli_files::sync(
            &self.store,
            &self.vault,
            &self.config,
            provider,
            account.as_ref(),
            |tx| {
                tx.set_active_account_id(provider, account_id)?;
                tx.log_event(EventKind::ActiveChanged, provider, account_id, &detail)
            },
        )?;
        self.publish(EventKind::ActiveChanged, provider, account_id);
        Ok(Switched {
            provider,
            active_account_id: account_id.map(str::to_owned),
            files_changed: files.iter().map(|p| p.display().to_string()).collect(),
            caveat: account_id
                .and(providers::switch_caveat(provider))
                .map(str::to_owned),
        })
    }

    /// Round-robin: activates the next account of the provider's pool, in a stable order
    /// (oldest first), skipping accounts that need signing in. Where the rotation stands is
    /// kept in the database, so it survives restarts.
    pub fn next_in_pool(&self, provider: ProviderId) -> Result<Switched> {
        let (pool, cursor, active) = self.store.read(|tx| {
            let pool: Vec<Account> = tx
                .accounts()?
                .into_iter()
                .filter(|a| a.provider == provider && a.in_pool && a.status == AccountStatus::Ok)
                .collect();
            Ok((
                pool,
                tx.pool_cursor(provider)?,
                tx.active_account_id(provider)?,
            ))
        })?;
        if pool.is_empty() {
            return Err(Error::NotAllowed(format!(
                "{} has no account in its round-robin pool that is ready; turn on Round-robin for sign-in accounts.",
                provider.display_name()
            )));
        }
        // Continue from the active account when it is in the pool, otherwise from where the
        // rotation last stood (the active account may have been cleared or switched by hand).
        let in_pool = |id: &String| pool.iter().any(|a| &a.id == id);
        let after = active.filter(in_pool).or(cursor.filter(in_pool));
        let next = match after.and_then(|id| pool.iter().position(|a| a.id == id)) {
            Some(index) => &pool[(index + 1) % pool.len()],
            None => &pool[0],
        };
        let next_id = next.id.clone();
        let switched = self.set_active(provider, Some(&next_id))?;
        self.store
            .transaction(|tx| tx.set_pool_cursor(provider, &next_id))?;
        Ok(switched)
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

    /// Looks at the login in `provider`'s CLI files. Tokens a CLI refreshed go back to the
    /// keychain of the account they belong to — only when they are fresher than the stored
    /// ones, so an older token never replaces a newer one. A file that cannot be parsed (a
    /// CLI writing in place) is read again, and otherwise ignored, never imported half.
    pub fn take_back(&self, provider: ProviderId) -> Result<TakeBack> {
        let Some(found) = providers::read_login(provider, &self.config.cli_paths) else {
            return Ok(TakeBack::Nothing);
        };
        let Some(account) = self.same_login(&found)? else {
            self.store
                .transaction(|tx| tx.log_event(EventKind::NewLoginFound, provider, None, ""))?;
            self.publish(EventKind::NewLoginFound, provider, None);
            return Ok(TakeBack::NewLogin);
        };
        let (Some(in_file), AccountKind::Oauth) = (found.secret.oauth_tokens(), account.kind)
        else {
            return Ok(TakeBack::Nothing);
        };
        let stored = self.vault.load(&account.id)?.oauth_tokens();
        if stored.as_ref() == Some(&in_file) {
            return Ok(TakeBack::Nothing);
        }
        let fresher = match (
            providers::token_freshness(provider, &in_file),
            stored
                .as_ref()
                .and_then(|s| providers::token_freshness(provider, s)),
        ) {
            (Some(file), Some(keychain)) => file > keychain,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !fresher {
            return Ok(TakeBack::Nothing);
        }
        self.store.transaction(|tx| {
            tx.log_event(
                EventKind::TokensTakenBack,
                provider,
                Some(&account.id),
                &account.label,
            )?;
            self.vault.store(&account.id, &found.secret)
        })?;
        self.publish(EventKind::TokensTakenBack, provider, Some(&account.id));
        Ok(TakeBack::Updated {
            account_id: account.id,
        })
    }

    /// Turns the logins already in the CLI files into accounts, labelled from their identity.
    /// A login that is already an account adds nothing (its tokens are kept up to date); a
    /// new one becomes its provider's active account, as does any login of a provider that
    /// has none.
    pub fn import_logins(&self) -> Result<Vec<Imported>> {
        let mut imported = Vec::new();
        for provider in ProviderId::ALL {
            let Some(found) = providers::read_login(provider, &self.config.cli_paths) else {
                continue;
            };
            let (account, created) = match self.same_login(&found)? {
                Some(account) => {
                    if found.kind == AccountKind::Oauth {
                        self.vault.store(&account.id, &found.secret)?;
                    }
                    (account, false)
                }
                None => (self.create_from_login(&found)?, true),
            };
            let active = self.store.read(|tx| tx.active_account_id(provider))?;
            if created || active.is_none() {
                self.set_active(provider, Some(&account.id))?;
            }
            imported.push(Imported {
                provider,
                account_id: account.id,
                label: account.label,
                created,
            });
        }
        Ok(imported)
    }

    /// The account a found login already is: same email or identity for sign-ins, the same
    /// key for keys.
    fn same_login(&self, found: &FoundLogin) -> Result<Option<Account>> {
        let candidates: Vec<Account> = self
            .store
            .read(|tx| tx.accounts())?
            .into_iter()
            .filter(|a| a.provider == found.provider && a.kind == found.kind)
            .collect();
        for account in candidates {
            let same = match found.kind {
                AccountKind::Oauth => match (&found.email, &account.email) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => {
                        let identity = self.store.read(|tx| tx.account_identity(&account.id))?;
                        identity == found.identity
                            && identity.as_object().is_some_and(|o| !o.is_empty())
                    }
                },
                _ => self.vault.load(&account.id)?.hint_source() == found.secret.hint_source(),
            };
            if same {
                return Ok(Some(account));
            }
        }
        Ok(None)
    }

    fn create_from_login(&self, found: &FoundLogin) -> Result<Account> {
        let info = providers::info(found.provider);
        let account = Account {
            email: found.email.clone(),
            plan: found.plan.clone(),
            ..Account::new(found.provider, found.kind, hint(info, &found.secret))
        };
        let base = match &found.email {
            Some(email) => validate::check_label(email)?,
            None => default_label(info.display_name),
        };
        self.insert_new_account(account, None, base, &found.identity, &found.secret)
    }

    /// Stores a new account and its secret in one transaction: if the keychain refuses,
    /// nothing is stored anywhere. The label is `label` if given (a taken one is an error),
    /// otherwise `base_label` made unique.
    fn insert_new_account(
        &self,
        mut account: Account,
        label: Option<String>,
        base_label: String,
        identity: &serde_json::Value,
        secret: &AccountSecret,
    ) -> Result<Account> {
        let account = self.store.transaction(|tx| {
            account.label = match label {
                Some(label) => label,
                None => unique_label(base_label, |l| tx.label_taken(account.provider, l, None))?,
            };
            tx.insert_account(&account)?;
            if identity.as_object().is_some_and(|o| !o.is_empty()) {
                tx.set_account_identity(&account.id, identity)?;
            }
            tx.log_event(
                EventKind::AccountAdded,
                account.provider,
                Some(&account.id),
                &account.label,
            )?;
            self.vault.store(&account.id, secret)?;
            Ok(account)
        })?;
        self.publish(EventKind::AccountAdded, account.provider, Some(&account.id));
        Ok(account)
    }

    /// Puts every CLI file back as it was before Switchboard first wrote it, and clears
    /// every provider's active account (the files no longer reflect them).
    pub fn restore_cli_files(&self) -> Result<Vec<ProviderId>> {
        let providers = self.store.transaction(|tx| {
            let restored = cli_files::restore(tx, &self.vault)?;
            for provider in ProviderId::ALL {
                tx.set_active_account_id(provider, None)?;
            }
            for provider in &restored {
                tx.log_event(EventKind::FilesRestored, *provider, None, "")?;
            }
            Ok(restored)
        })?;
        for provider in ProviderId::ALL {
            self.publish(EventKind::FilesRestored, provider, None);
        }
        Ok(providers)
    }

    /// What a CLI's credential helper prints for the provider's active account: Claude Code's
    /// `apiKeyHelper` gets the key, `awsCredentialExport` the AWS credentials as JSON.
    pub fn helper_credential(&self, provider: ProviderId) -> Result<Sensitive<String>> {
        let account = self.active_account(provider)?;
        let secret = self.vault.load(&account.id)?;
        match (provider, secret) {
            (ProviderId::Claude, AccountSecret::ApiKey(key)) => Ok(key),
            (ProviderId::Claude, AccountSecret::BedrockAccessKeys { access_key_id, secret_access_key }) => {
                let credentials = serde_json::json!({
                    "Credentials": {
                        "AccessKeyId": access_key_id.expose(),
                        "SecretAccessKey": secret_access_key.expose(),
                    }
                });
                Ok(Sensitive::new(credentials.to_string()))
            }
            _ => Err(Error::NotAllowed(format!(
                "{} reads its credentials from its own files; there is nothing to ask Switchboard for.",
                provider.display_name()
            ))),
        }
    }
}

fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Oauth => "sign-in",
        AccountKind::ApiKey => "API key",
        AccountKind::Bedrock => "AWS Bedrock",
    }
}

/// The masked hint shown for a secret; sign-in accounts show no part of their tokens.
fn hint(info: &ProviderInfo, secret: &AccountSecret) -> String {
    let prefixes: &[&str] = match secret {
        AccountSecret::ApiKey(_) => &info.key_prefixes,
        AccountSecret::BedrockAccessKeys { .. } => &["AKIA", "ASIA"],
        AccountSecret::BedrockApiKey(_) => &["ABSK", "bedrock-api-key-"],
        AccountSecret::OAuthTokens(_) => return "signed in".to_owned(),
    };
    validate::mask(secret.hint_source(), prefixes)
}

fn check_description(text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::InvalidInput(format!(
            "The description is longer than {MAX_DESCRIPTION_CHARS} characters."
        )));
    }
    Ok(text.to_owned())
}

/// "<Provider> <date time>" in local time (UTC when the offset is unknown).
fn default_label(display_name: &str) -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let stamp = now
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]"
        ))
        .unwrap_or_default();
    format!("{display_name} {stamp}")
}

/// `base`, or `base (2)`, `base (3)`, ... — the first that `taken` rejects not.
fn unique_label(base: String, mut taken: impl FnMut(&str) -> Result<bool>) -> Result<String> {
    if !taken(&base)? {
        return Ok(base);
    }
    for n in 2.. {
        let candidate = format!("{base} ({n})");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
    }
    unreachable!("an unbounded range always yields a free label")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_label_appends_a_counter() {
        let taken = ["Claude Code x", "Claude Code x (2)"];
        let label =
            unique_label("Claude Code x".into(), |l| Ok(taken.contains(&l))).expect("label");
        assert_eq!(label, "Claude Code x (3)");
    }

    #[test]
    fn default_label_names_the_provider_and_time() {
        let label = default_label("Grok");
        assert!(label.starts_with("Grok 20"), "{label}");
        assert_eq!(label.len(), "Grok 2026-11-23 14:50".len());
    }
}
