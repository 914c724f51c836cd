//! Logins found in the CLIs' own files: importing them as accounts, and taking back the
//! tokens a CLI refreshed.

use serde::Serialize;
use ts_rs::TS;

use crate::account::Account;
use crate::catalog::{AccountKind, ProviderId};
use crate::error::{Error, Result};
use crate::files::CliPaths;
use crate::providers::{self, FoundLogin};
use crate::store::EventKind;

use crate::check::Owner;

use super::accounts::hint;
use super::Switchboard;

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

impl Switchboard {
    /// Looks at the login in `provider`'s CLI files. Tokens a CLI refreshed go back to the
    /// keychain of the account they belong to — only when they are fresher than the stored
    /// ones, so an older token never replaces a newer one. A file that cannot be parsed (a
    /// CLI writing in place) is read again, and otherwise ignored, never imported half.
    pub fn take_back(&self, provider: ProviderId) -> Result<TakeBack> {
        self.take_back_from(provider, &self.config.cli_paths, None)
    }

    /// [`Self::take_back`] from the CLI files under `paths` (a per-account `exec` dir, whose
    /// `owner` is known), holding their locks, so no other Switchboard process rewrites them
    /// meanwhile.
    pub(super) fn take_back_from(
        &self,
        provider: ProviderId,
        paths: &CliPaths,
        owner: Option<&Account>,
    ) -> Result<TakeBack> {
        let lock_paths = crate::cli_files::lock_paths(provider, paths);
        let _locks = crate::files::lock_files(
            &self.config.locks_dir(),
            lock_paths.iter().map(std::path::PathBuf::as_path),
        )?;
        let _cli_lock = self.lock_cli(provider, paths)?;
        self.take_back_locked(provider, paths, owner)
    }

    /// [`Self::take_back_from`] for a caller that holds the files' locks already.
    ///
    /// A login with no identity beside its tokens is one the CLI refreshed after Switchboard
    /// took its identity away (a switch to another account while the CLI ran): it belongs to
    /// the files' `owner`, or else to the sign-in account Switchboard last wrote there.
    pub(super) fn take_back_locked(
        &self,
        provider: ProviderId,
        paths: &CliPaths,
        owner: Option<&Account>,
    ) -> Result<TakeBack> {
        let Some(found) = providers::get(provider).read_login(paths) else {
            tracing::debug!(
                provider = provider.as_str(),
                "take-back: no login in the files"
            );
            return Ok(TakeBack::Nothing);
        };
        let anonymous = found.kind == AccountKind::Oauth
            && found.email.is_none()
            && found.identity.as_object().is_none_or(|o| o.is_empty());
        let known = match self.same_login(&found)? {
            Some(account) => Some(account),
            None if anonymous => {
                let owner = match owner {
                    Some(owner) => Some(owner.clone()),
                    None => self.last_login_owner(provider)?,
                };
                match owner {
                    // Adopted only for the identity the provider says they are (asked only at
                    // the endpoints the account's tokens may go to).
                    Some(owner) => {
                        let asked = self.check_endpoints(&owner).map(|()| {
                            crate::check::owner_of(&owner, &found.secret, &self.config.endpoints)
                        });
                        match asked.unwrap_or(Owner::Unknown) {
                            Owner::Same | Owner::Unknown => Some(owner),
                            Owner::Refused => {
                                tracing::warn!(
                                provider = provider.as_str(),
                                "take-back: the provider refuses the tokens in the files; they are not adopted"
                            );
                                return Ok(TakeBack::Nothing);
                            }
                            Owner::Other(email) => {
                                tracing::warn!(
                                provider = provider.as_str(),
                                account = owner.id,
                                "take-back: the tokens in the files are {email}'s, not this account's; they are not adopted"
                            );
                                None
                            }
                        }
                    }
                    None => None,
                }
            }
            None => None,
        };
        let Some(account) = known else {
            self.store
                .transaction(|tx| tx.log_event(EventKind::NewLoginFound, provider, None, ""))?;
            return Ok(TakeBack::NewLogin);
        };
        let (Some(in_file), AccountKind::Oauth) = (found.secret.oauth_tokens(), account.kind)
        else {
            return Ok(TakeBack::Nothing);
        };
        // A keychain item that is gone is healed from the file, which then holds the only copy.
        let stored = match self.vault.load(&account.id) {
            Ok(secret) => secret.oauth_tokens(),
            Err(Error::NotFound { .. }) => None,
            Err(err) => return Err(err),
        };
        if stored.as_deref() == Some(&*in_file) {
            tracing::debug!(
                provider = provider.as_str(),
                "take-back: the keychain holds these tokens"
            );
            return Ok(TakeBack::Nothing);
        }
        let fresher = fresher(provider, &in_file, stored.as_deref(), self.now());
        if !fresher {
            let source = providers::get(provider);
            tracing::debug!(
                provider = provider.as_str(),
                account = account.id,
                file = ?source.token_freshness(&in_file),
                keychain = ?stored.as_ref().and_then(|s| source.token_freshness(s)),
                "take-back: the keychain's tokens are as fresh (or the file's date is not believable)"
            );
            return Ok(TakeBack::Nothing);
        }
        self.vault.store(&account.id, &found.secret)?;
        self.store.transaction(|tx| {
            // Tokens the CLI refreshed work: the account's status and expiry say so.
            let dates = crate::lifecycle::TokenDates::of(provider, &in_file);
            tx.record_tokens_fresh(&account.id, &dates, true)?;
            tx.log_event(
                EventKind::TokensTakenBack,
                provider,
                Some(&account.id),
                &account.label,
            )
        })?;
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
            let Some(found) = providers::get(provider).read_login(&self.config.cli_paths) else {
                continue;
            };
            let (account, created) = match self.same_login(&found)? {
                Some(account) => {
                    // The file's tokens replace the keychain's only when they are fresher
                    // (believably): importing again never puts back an older token.
                    if let (AccountKind::Oauth, Some(in_file)) =
                        (found.kind, found.secret.oauth_tokens())
                    {
                        let stored = match self.vault.load(&account.id) {
                            Ok(secret) => secret.oauth_tokens(),
                            Err(Error::NotFound { .. }) => None,
                            Err(err) => return Err(err),
                        };
                        if fresher(provider, &in_file, stored.as_deref(), self.now()) {
                            self.vault.store(&account.id, &found.secret)?;
                        }
                    }
                    let active = self.store.read(|tx| tx.active_account_id(provider))?;
                    if active.is_none() {
                        self.set_active(provider, Some(&account.id))?;
                    }
                    (account, false)
                }
                // A new login is the one the CLI uses now: it becomes active as it is added.
                None => (self.create_from_login(&found, None, true)?, true),
            };
            imported.push(Imported {
                provider,
                account_id: account.id,
                label: account.label,
                created,
            });
        }
        Ok(imported)
    }

    /// The sign-in account whose tokens were last written into `provider`'s CLI files.
    fn last_login_owner(&self, provider: ProviderId) -> Result<Option<Account>> {
        let Some(id) = self.store.read(|tx| tx.last_login_account(provider))? else {
            return Ok(None);
        };
        match self.account(&id) {
            Ok(account) if account.kind == AccountKind::Oauth => Ok(Some(account)),
            Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// The account a found login already is: same email or identity for sign-ins, the same
    /// key for keys (by its salted fingerprint: no keychain read, however many accounts).
    pub(super) fn same_login(&self, found: &FoundLogin) -> Result<Option<Account>> {
        if found.kind != AccountKind::Oauth {
            return self.same_key(found);
        }
        let candidates: Vec<Account> = self
            .store
            .read(|tx| tx.accounts())?
            .into_iter()
            .filter(|a| a.provider == found.provider && a.kind == found.kind)
            .collect();
        for account in candidates {
            let same = match (&found.email, &account.email) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => {
                    let identity = self.store.read(|tx| tx.account_identity(&account.id))?;
                    identity == found.identity
                        && identity.as_object().is_some_and(|o| !o.is_empty())
                }
            };
            if same {
                return Ok(Some(account));
            }
        }
        Ok(None)
    }

    /// The key account whose key is `found`'s. Accounts kept before fingerprints existed get
    /// theirs here, once (one keychain read each, the first time only).
    fn same_key(&self, found: &FoundLogin) -> Result<Option<Account>> {
        let provider = found.provider;
        let salt = self.store.read(|tx| tx.fingerprint_salt())?;
        let Some(wanted) = found.secret.fingerprint(&salt) else {
            return Ok(None);
        };
        let unmarked = self
            .store
            .read(|tx| tx.accounts_without_fingerprint(provider, found.kind))?;
        for id in unmarked {
            let fingerprint = match self.vault.load(&id) {
                Ok(secret) => secret.fingerprint(&salt),
                Err(Error::NotFound { .. }) => continue,
                Err(err) => return Err(err),
            };
            self.store
                .transaction(|tx| tx.set_secret_fingerprint(&id, fingerprint.as_deref()))?;
        }
        self.store.read(|tx| {
            for id in tx.accounts_by_fingerprint(provider, &wanted)? {
                let account = tx.account(&id)?;
                if account.kind == found.kind {
                    return Ok(Some(account));
                }
            }
            Ok(None)
        })
    }

    /// A new account from a login, labelled `label` or else by its email or the time; with
    /// `activate`, it is its provider's active account from the moment it exists.
    pub(super) fn create_from_login(
        &self,
        found: &FoundLogin,
        label: Option<String>,
        activate: bool,
    ) -> Result<Account> {
        let info = providers::info(found.provider);
        let account = Account {
            email: found.email.clone(),
            plan: found.plan.clone(),
            expires_at: found
                .secret
                .oauth_tokens()
                .and_then(|tokens| providers::get(found.provider).expires_at(&tokens)),
            refresh_expires_at: found.secret.oauth_tokens().and_then(|tokens| {
                providers::get(found.provider).refresh_token_expires_at(&tokens)
            }),
            ..Account::new(found.provider, found.kind, hint(info, &found.secret))
        };
        let base = self.sign_in_label(found)?;
        self.insert_new_account(
            account,
            label,
            base,
            &found.identity,
            &found.secret,
            activate,
        )
    }
}

/// The longest a token's date in a CLI's file may lie in the past and still count (a
/// refresh token unused longer than this has lapsed anyway).
const MAX_TOKEN_AGE_MS: i64 = crate::time::MAX_REFRESH_LIFETIME_SECS * 1000;

/// Whether tokens found in a CLI's file are fresher than the keychain's, by dates that are
/// believable: within [now − [`MAX_TOKEN_AGE_MS`], now + the provider's horizon]. A date
/// outside (`expiresAt: 9e15`, say, planted by a command run as the account) counts as no
/// date: never fresher than anything, so it cannot shut out the genuine rotations after it.
fn fresher(
    provider: ProviderId,
    in_file: &serde_json::Value,
    stored: Option<&serde_json::Value>,
    now: i64,
) -> bool {
    let source = providers::get(provider);
    let believable = |at: i64| {
        (now.saturating_sub(MAX_TOKEN_AGE_MS)..=now.saturating_add(source.freshness_horizon_ms()))
            .contains(&at)
    };
    let file = source.token_freshness(in_file).filter(|at| believable(*at));
    let keychain = stored.and_then(|s| source.token_freshness(s));
    match (file, keychain) {
        (Some(file), Some(keychain)) => file > keychain || !believable(keychain),
        (Some(_), None) => true,
        (None, _) => false,
    }
}
