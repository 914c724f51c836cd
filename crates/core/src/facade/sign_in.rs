//! Sign-ins as accounts: the protocol steps are `signin::flow`'s; here a finished sign-in
//! becomes an account — a new one, or the same identity's account updated. The first
//! account of a provider becomes active.

use crate::account::Account;
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::providers::{self, FoundLogin};
use crate::signin::client::OAuthClient;
use crate::signin::{flow, SignInMethod, SignInStarted, SignedIn};
use crate::store::EventKind;
use crate::validate;

use super::accounts::{default_label, hint};
use super::Switchboard;

impl Switchboard {
    /// Starts a sign-in: asks for a device code, or opens the loopback listener, and opens
    /// the provider's page in the browser. Finish it with [`Self::finish_sign_in`].
    pub fn start_sign_in(
        &self,
        provider: ProviderId,
        method: SignInMethod,
        label: Option<&str>,
    ) -> Result<SignInStarted> {
        let label = self.free_label(provider, label)?;
        let source = providers::get(provider);
        let request = flow::Request {
            client: self.oauth_client(provider)?,
            method,
            offered: source.sign_in_methods(),
            paste: source.paste_kind(),
            profile: source.needs_profile(),
            label,
        };
        flow::start(&self.sign_ins, request, &self.config.open_with)
    }

    /// Hands a sign-in what the user pasted: `code#state`, a bare code, or the redirected
    /// address. A wrong state ends the sign-in; unreadable text can be pasted again.
    pub fn paste_sign_in(&self, id: &str, text: &str) -> Result<()> {
        flow::paste_answer(&self.sign_ins, id, text)
    }

    /// "I've signed in": polls a device sign-in now instead of at the next interval.
    pub fn poll_sign_in_now(&self, id: &str) -> Result<()> {
        flow::poll_now(&self.sign_ins, id)
    }

    /// Cancels a sign-in: its listener closes and [`Self::finish_sign_in`] returns
    /// "cancelled". Cancelling one that already ended does nothing.
    pub fn cancel_sign_in(&self, id: &str) -> Result<()> {
        flow::cancel(&self.sign_ins, id);
        Ok(())
    }

    /// Waits for the sign-in to end, then saves its account (see [`Self::save_sign_in`]).
    /// On error nothing was stored.
    pub fn finish_sign_in(&self, id: &str) -> Result<SignedIn> {
        let finished = flow::finish(&self.sign_ins, id)?;
        let provider = finished.provider;
        let login = providers::get(provider)
            .login_from_tokens(&finished.tokens, finished.profile.as_ref())
            .ok_or_else(|| Error::ProviderError {
                provider,
                context: "signing in".into(),
                detail: "the tokens came without a refresh token or identity, so the CLI could not stay signed in".into(),
            })?;
        let done = self.save_sign_in(login, finished.label)?;
        tracing::info!(
            provider = provider.as_str(),
            account = done.account.id,
            created = done.created,
            "signed in"
        );
        Ok(done)
    }

    /// Saves a signed-in login: the account with the same identity is updated (tokens, email,
    /// plan, and the label if one was given), otherwise a new account is added. The first
    /// account of a provider becomes active; an active account's files get the new tokens.
    /// Listeners hear of it only once all of that is done.
    pub fn save_sign_in(&self, login: FoundLogin, label: Option<String>) -> Result<SignedIn> {
        let provider = login.provider;
        let active = self.store.read(|tx| tx.active_account_id(provider))?;
        let (account, created, activated) = match self.same_login(&login)? {
            Some(existing) => {
                // Its files hold the old tokens if it is active: write the new ones.
                let activated = active.is_none() || active.as_deref() == Some(&existing.id);
                (
                    self.update_from_login(existing, &login, label, activated)?,
                    false,
                    activated,
                )
            }
            None => {
                let activated = active.is_none();
                (
                    self.create_from_login(&login, label, activated)?,
                    true,
                    activated,
                )
            }
        };
        Ok(SignedIn {
            account: self.account(&account.id)?,
            created,
            activated,
        })
    }

    /// A new sign-in of an identity that is already an account: the tokens replace the
    /// stored ones (keychain first, outside the transaction; put back if the row cannot be
    /// saved), and with `activate` its files are rewritten before anyone hears of it.
    fn update_from_login(
        &self,
        mut account: Account,
        login: &FoundLogin,
        label: Option<String>,
        activate: bool,
    ) -> Result<Account> {
        let _action = self.outbox.action();
        account.email = login.email.clone().or(account.email.take());
        account.plan = login.plan.clone().or(account.plan.take());
        account.secret_hint = hint(providers::info(account.provider), &login.secret);
        if let Some(label) = label {
            account.label = label;
        }
        let account = self.replace_stored_secret(&account.id, &login.secret, |tx| {
            self.bind_to_current_endpoints(tx, &account)?;
            let account = tx.update_account(&account)?;
            if login.identity.as_object().is_some_and(|o| !o.is_empty()) {
                tx.set_account_identity(&account.id, &login.identity)?;
            }
            // A new sign-in works: whatever a refresh said before no longer holds.
            let dates = login
                .secret
                .oauth_tokens()
                .map(|tokens| crate::lifecycle::TokenDates::of(account.provider, &tokens))
                .unwrap_or_default();
            tx.record_tokens_fresh(&account.id, &dates, true)?;
            tx.log_event(
                EventKind::SecretReplaced,
                account.provider,
                Some(&account.id),
                &account.label,
            )?;
            Ok(account)
        })?;
        if activate {
            self.write_active(account.provider, Some(&account))?;
        }
        Ok(account)
    }

    /// The label a sign-in asked for, checked and free; `None` when none was asked for.
    fn free_label(&self, provider: ProviderId, label: Option<&str>) -> Result<Option<String>> {
        let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
            return Ok(None);
        };
        let label = validate::check_label(label)?;
        if self
            .store
            .read(|tx| tx.label_taken(provider, &label, None))?
        {
            return Err(Error::Conflict(format!(
                "{} already has an account labelled \u{201c}{label}\u{201d}.",
                provider.display_name()
            )));
        }
        Ok(Some(label))
    }

    pub(super) fn oauth_client(&self, provider: ProviderId) -> Result<OAuthClient> {
        let client = providers::get(provider).oauth_client().ok_or_else(|| {
            Error::NotAllowed(format!(
                "{} has no sign-in; add an API key instead.",
                provider.display_name()
            ))
        })?;
        Ok(self.config.endpoints.apply(client))
    }

    /// A sign-in account's default label: its email, else the provider and the time.
    pub(super) fn sign_in_label(&self, login: &FoundLogin) -> Result<String> {
        // An email that would not make a valid label (a strange character in it) gives the
        // default one instead of failing the sign-in.
        Ok(login
            .email
            .as_deref()
            .and_then(|email| validate::check_label(email).ok())
            .unwrap_or_else(|| default_label(providers::info(login.provider).display_name)))
    }
}
