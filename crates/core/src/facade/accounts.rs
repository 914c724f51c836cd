//! Adding, changing and removing accounts, and the rules for their labels and hints.

use crate::account::{
    Account, AccountEdit, AccountSettings, AccountStatus, KeyCredential, NewKeyAccount, Saved,
};
use crate::catalog::{AccountKind, ProviderInfo};
use crate::error::{Error, Result};
use crate::providers;
use crate::store::{EventKind, Tx};
use crate::validate;
use crate::vault::AccountSecret;

use super::{Revoked, Switchboard};

const MAX_DESCRIPTION_CHARS: usize = 1_000;

impl Switchboard {
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
        let account = self.insert_new_account(
            account,
            label,
            base,
            &serde_json::Value::Null,
            &secret,
            false,
        )?;
        Ok(Saved { account, warnings })
    }

    /// Replaces an account's secret (key rotation) without ever showing the old one.
    pub fn replace_secret(&self, id: &str, credential: KeyCredential) -> Result<Saved> {
        let _action = self.outbox.action();
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
        // A key that was missing from the keychain is there again.
        let was_missing = account.status == AccountStatus::SecretMissing;
        if was_missing {
            account.status = AccountStatus::Ok;
        }
        let account = self.replace_stored_secret(&account.id, &secret, |tx| {
            if was_missing {
                tx.set_status(&account.id, AccountStatus::Ok, "")?;
            }
            // A key entered now goes to the endpoints in effect now.
            self.bind_to_current_endpoints(tx, &account)?;
            let saved = tx.update_account(&account)?;
            tx.set_secret_fingerprint(
                &saved.id,
                secret.fingerprint(&tx.fingerprint_salt()?).as_deref(),
            )?;
            tx.log_event(
                EventKind::SecretReplaced,
                saved.provider,
                Some(&saved.id),
                &saved.label,
            )?;
            Ok(saved)
        })?;
        self.resync_if_active(&account)?;
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

    /// One field of the edit at a time, for tests (the window saves the whole edit with
    /// [`Self::edit_account`]).
    #[cfg(any(test, feature = "testing"))]
    pub fn set_description(&self, id: &str, description: &str) -> Result<Account> {
        let description = check_description(description)?;
        self.update(id, EventKind::AccountUpdated, |_, account| {
            account.description = description;
            Ok(())
        })
    }

    /// Changes a key account's endpoint, model and effort (for tests, as above).
    #[cfg(any(test, feature = "testing"))]
    pub fn update_settings(&self, id: &str, settings: AccountSettings) -> Result<Account> {
        self.update(id, EventKind::AccountUpdated, |_, account| {
            apply_settings(account, settings)
        })
    }

    /// Saves the edit dialog: label, description, endpoint, model and effort, in one
    /// transaction (all or none), then rewrites the CLI files once if the account is active.
    pub fn edit_account(&self, id: &str, edit: AccountEdit) -> Result<Account> {
        let label = validate::check_label(&edit.label)?;
        let description = check_description(&edit.description)?;
        self.update(id, EventKind::AccountUpdated, |tx, account| {
            if tx.label_taken(account.provider, &label, Some(&account.id))? {
                return Err(Error::Conflict(format!(
                    "Another account of this provider is already labelled \u{201c}{label}\u{201d}."
                )));
            }
            account.label = label;
            account.description = description;
            apply_settings(account, edit.settings)
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
    pub(super) fn resync_if_active(&self, account: &Account) -> Result<()> {
        let active = self
            .store
            .read(|tx| tx.active_account_id(account.provider))?;
        if active.as_deref() == Some(account.id.as_str()) {
            self.write_files(account.provider, Some(account), None, |_| Ok(()))?;
        }
        Ok(())
    }

    fn update(
        &self,
        id: &str,
        kind: EventKind,
        change: impl FnOnce(&Tx<'_>, &mut Account) -> Result<()>,
    ) -> Result<Account> {
        let _action = self.outbox.action();
        let account = self.store.transaction(|tx| {
            let mut account = tx.account(id)?;
            change(tx, &mut account)?;
            let saved = tx.update_account(&account)?;
            tx.log_event(kind, saved.provider, Some(&saved.id), &saved.label)?;
            Ok(saved)
        })?;
        self.resync_if_active(&account)?;
        Ok(account)
    }

    /// Asks the provider whether the account's credential works (one request, no refresh).
    pub fn check_account(&self, id: &str) -> Result<crate::check::CheckResult> {
        let account = self.account(id)?;
        self.check_endpoints(&account)?;
        self.reclaim_exec(&account)?;
        let secret = self.vault.load(id)?;
        crate::check::check(&account, &secret, &self.config.endpoints)
    }

    /// Removes an account and its keychain entry. If it was active, its files are cleared
    /// first (the provider then has no active account). The keychain entry goes before the
    /// row (outside the transaction) and comes back if the row cannot be removed, so a
    /// failure never leaves a secret nobody can see. A sign-in's refresh token is then
    /// revoked at the provider, where it has an endpoint (after the removal, so a removal
    /// that fails never leaves an account whose tokens are dead); what happened is returned.
    pub fn remove_account(&self, id: &str) -> Result<Revoked> {
        let _action = self.outbox.action();
        let account = self.account(id)?;
        let active = self
            .store
            .read(|tx| tx.active_account_id(account.provider))?;
        let was_active = active.as_deref() == Some(id);
        if was_active {
            self.write_active(account.provider, None)?;
        }
        // The newest tokens are the ones to revoke.
        self.reclaim_exec(&account)?;
        let secret = match self.vault.load(id) {
            Ok(secret) => Some(secret),
            Err(Error::NotFound { .. }) => None,
            Err(err) => return Err(err),
        };
        self.vault.delete(id)?;
        let removed = self.store.transaction(|tx| {
            tx.delete_account(id)?;
            tx.log_event(
                EventKind::AccountRemoved,
                account.provider,
                Some(id),
                &account.label,
            )
        });
        if let Err(err) = removed {
            if let Some(secret) = secret {
                if let Err(again) = self.vault.store(id, &secret) {
                    tracing::warn!(
                        "could not put back the secret of an account that was not removed: {again}"
                    );
                }
            }
            return Err(err);
        }
        self.remove_exec_dir(&account)?;
        Ok(match (&secret, account.kind) {
            (Some(secret), AccountKind::Oauth) => self.revoke_sign_in(&account, secret),
            _ => Revoked::NotNeeded,
        })
    }

    /// Stores a new account: its secret first (outside any transaction; if the keychain
    /// refuses, nothing is stored anywhere), then its row. With `activate`, the row is added
    /// in the same transaction that makes it active, after its CLI files are written, so
    /// whoever sees the new account (this process's listeners, or another process reading
    /// the database) also sees its files. If anything fails, the secret is taken back out.
    /// The label is `label` if given (a taken one is an error), otherwise `base_label` made
    /// unique.
    pub(super) fn insert_new_account(
        &self,
        mut account: Account,
        label: Option<String>,
        base_label: String,
        identity: &serde_json::Value,
        secret: &AccountSecret,
        activate: bool,
    ) -> Result<Account> {
        account.label = match label {
            Some(label) => label,
            None => self.store.read(|tx| {
                unique_label(base_label, |l| tx.label_taken(account.provider, l, None))
            })?,
        };
        let provider = account.provider;
        let salt = self.store.read(|tx| tx.fingerprint_salt())?;
        let fingerprint = secret.fingerprint(&salt);
        let insert = |tx: &Tx<'_>| -> Result<()> {
            tx.insert_account(&account)?;
            tx.set_secret_fingerprint(&account.id, fingerprint.as_deref())?;
            self.bind_to_current_endpoints(tx, &account)?;
            if identity.as_object().is_some_and(|o| !o.is_empty()) {
                tx.set_account_identity(&account.id, identity)?;
            }
            tx.log_event(
                EventKind::AccountAdded,
                provider,
                Some(&account.id),
                &account.label,
            )?;
            if activate {
                tx.set_active_account_id(provider, Some(&account.id))?;
                tx.log_event(
                    EventKind::ActiveChanged,
                    provider,
                    Some(&account.id),
                    &account.label,
                )?;
            }
            Ok(())
        };
        self.vault.store(&account.id, secret)?;
        let saved = if activate {
            self.write_files(provider, Some(&account), Some((secret, identity)), insert)
        } else {
            self.store.transaction(insert).map(|()| Vec::new())
        };
        if let Err(err) = saved {
            if let Err(cleanup) = self.vault.delete(&account.id) {
                tracing::warn!(
                    "could not remove the secret of an account that was not saved: {cleanup}"
                );
            }
            return Err(err);
        }
        Ok(account)
    }
}

impl Switchboard {
    /// Replaces an account's secret in the keychain, then runs `save` in a transaction; if
    /// the transaction fails, the previous secret is put back. The keychain is never called
    /// inside the transaction, so a slow keychain (an unlock prompt) never holds the database.
    pub(super) fn replace_stored_secret<T>(
        &self,
        id: &str,
        secret: &AccountSecret,
        save: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let previous = self.vault.load(id).ok();
        self.vault.store(id, secret)?;
        let saved = self.store.transaction(save);
        if saved.is_err() {
            let restored = match &previous {
                Some(previous) => self.vault.store(id, previous),
                None => self.vault.delete(id),
            };
            if let Err(err) = restored {
                tracing::warn!("could not put back the previous secret: {err}");
            }
        }
        saved
    }
}

/// Checks and applies an endpoint, model and effort to `account` (sign-ins keep their
/// provider's endpoint).
fn apply_settings(account: &mut Account, settings: AccountSettings) -> Result<()> {
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
}

pub(super) fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Oauth => "sign-in",
        AccountKind::ApiKey => "API key",
        AccountKind::Bedrock => "AWS Bedrock",
    }
}

/// The masked hint shown for a secret; sign-in accounts show no part of their tokens.
pub(super) fn hint(info: &ProviderInfo, secret: &AccountSecret) -> String {
    let prefixes: &[&str] = match secret {
        AccountSecret::ApiKey(_) => &info.key_prefixes,
        AccountSecret::BedrockAccessKeys { .. } => &["AKIA", "ASIA"],
        AccountSecret::BedrockApiKey(_) => &["ABSK", "bedrock-api-key-"],
        AccountSecret::OAuthTokens(_) => return "signed in".to_owned(),
    };
    validate::mask(secret.hint_source(), prefixes)
}

pub(super) fn check_description(text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::InvalidInput(format!(
            "The description is longer than {MAX_DESCRIPTION_CHARS} characters."
        )));
    }
    Ok(text.to_owned())
}

/// "<Provider> <date time>" in local time (UTC when the offset is unknown).
pub(super) fn default_label(display_name: &str) -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let stamp = now
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]"
        ))
        .unwrap_or_default();
    format!("{display_name} {stamp}")
}

/// `base`, or `base (2)`, `base (3)`, ... — the first that `taken` rejects not.
pub(super) fn unique_label(
    base: String,
    mut taken: impl FnMut(&str) -> Result<bool>,
) -> Result<String> {
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
