//! Signing in through the browser, a pasted answer or a device code: starting a sign-in,
//! handing it what the user pasted, and turning its tokens into an account — a new one, or
//! the same identity's account updated. The first account of a provider becomes active.

use std::sync::Arc;
use std::time::Duration;

use crate::account::Account;
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::providers::{self, FoundLogin};
use crate::signin::client::OAuthClient;
use crate::signin::device::{self, Poll};
use crate::signin::http::Http;
use crate::signin::loopback::{self, Callback};
use crate::signin::pkce::{random_token, Pkce};
use crate::signin::protocol::{authorize_url, exchange_code, redirect_error};
use crate::signin::{browser, paste, PasteKind, Session, SignInMethod, SignInStarted, SignedIn};
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
        let info = providers::info(provider);
        if !info.sign_in_methods.contains(&method) {
            return Err(Error::NotAllowed(format!(
                "{} does not sign in with {}; it offers {}.",
                info.display_name,
                method_name(method),
                if info.sign_in_methods.is_empty() {
                    "API keys only".to_owned()
                } else {
                    info.sign_in_methods
                        .iter()
                        .map(|m| method_name(*m))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )));
        }
        let label = self.free_label(provider, label)?;
        let mut client = self.oauth_client(provider)?;
        if client.nonce {
            client
                .extra_authorize_params
                .push(("nonce".into(), random_token(16)?));
        }
        let pkce = Pkce::new()?;
        let state = random_token(32)?;
        let challenge = pkce.challenge.clone();
        let mut started = SignInStarted {
            id: String::new(),
            provider,
            method,
            browser_url: String::new(),
            browser_opened: false,
            paste: None,
            paste_url: None,
            user_code: None,
            expires_at_ms: 0,
        };
        // Per method: the redirect URIs an answer may carry, the device grant, and the
        // loopback listener (opened before anything is shown, so a busy port fails first).
        let (redirect_uris, grant, listener) = match method {
            SignInMethod::Device => {
                let grant = device::start(&Http::new(provider), &client)?;
                started.browser_url = grant
                    .verification_url_complete
                    .clone()
                    .unwrap_or_else(|| grant.verification_url.clone());
                started.user_code = Some(grant.user_code.clone());
                (Vec::new(), Some(grant), None)
            }
            SignInMethod::Browser => {
                let fallback = if info.sign_in_methods.contains(&SignInMethod::Device) {
                    "the device code"
                } else {
                    "paste-back"
                };
                let listener = loopback::bind(&client, fallback)?;
                let mut redirect_uris = vec![listener.redirect_uri.clone()];
                started.browser_url =
                    authorize_url(&client, &listener.redirect_uri, &state, &challenge)?;
                if let Some(page) = client.paste_redirect_uri.clone() {
                    started.paste_url = Some(authorize_url(&client, &page, &state, &challenge)?);
                    redirect_uris.push(page);
                }
                started.paste = Some(providers::paste_kind(provider));
                (redirect_uris, None, Some(listener))
            }
            SignInMethod::Paste => {
                // The provider's code page, or (Codex) the registered loopback address whose
                // page will not load: the user copies it from the address bar.
                let redirect = client.paste_redirect_uri.clone().unwrap_or_else(|| {
                    format!(
                        "http://{}:{}{}",
                        client.loopback_host.as_str(),
                        client.loopback_ports.first().copied().unwrap_or(80),
                        client.loopback_path
                    )
                });
                started.browser_url = authorize_url(&client, &redirect, &state, &challenge)?;
                started.paste = Some(if client.paste_redirect_uri.is_some() {
                    providers::paste_kind(provider)
                } else {
                    PasteKind::RedirectedUrl
                });
                (vec![redirect], None, None)
            }
        };
        let session = self.sign_ins.insert(Session::new(
            provider,
            method,
            label,
            client,
            pkce,
            state,
            redirect_uris,
            grant,
        )?);
        if let Some(listener) = listener {
            let loopback_uri = listener.redirect_uri.clone();
            let weak = Arc::downgrade(&session);
            let listening = listener.listen(session.expires_at, move |callback| {
                if let Some(session) = weak.upgrade() {
                    deliver(&session, callback, loopback_uri);
                }
            })?;
            session.keep_listener(listening);
        }
        started.id = session.id.clone();
        started.expires_at_ms = crate::store::now_ms()
            + i64::try_from(
                session
                    .expires_at
                    .saturating_duration_since(std::time::Instant::now())
                    .as_millis(),
            )
            .unwrap_or(0);
        started.browser_opened = match browser::open(&started.browser_url, &self.config.open_with) {
            Ok(opened) => opened,
            Err(err) => {
                tracing::warn!(%err, "could not open the browser; the sign-in page is shown instead");
                false
            }
        };
        tracing::info!(
            provider = provider.as_str(),
            method = method.as_str(),
            "sign-in started"
        );
        Ok(started)
    }

    /// Hands a sign-in what the user pasted: `code#state`, a bare code, or the redirected
    /// address. A wrong state ends the sign-in; unreadable text can be pasted again.
    pub fn paste_sign_in(&self, id: &str, text: &str) -> Result<()> {
        let session = self.sign_ins.get(id)?;
        let pasted = paste::parse(text)?;
        if let Some((error, description)) = &pasted.error {
            let err = redirect_error(&session.client, error, description.as_deref());
            session.fail(err.clone());
            return Err(err);
        }
        let state_required = pasted.redirect_uri.is_some()
            || providers::paste_kind(session.provider) != PasteKind::Code;
        let redirect_uri = match pasted.redirect_uri {
            Some(uri) => uri,
            None => session.client.paste_redirect_uri.clone().ok_or_else(|| {
                Error::InvalidInput(
                    "Paste the whole address the browser ended on (it starts with http://localhost or http://127.0.0.1)."
                        .into(),
                )
            })?,
        };
        session.answer(
            pasted.code,
            pasted.state.as_deref(),
            redirect_uri,
            state_required,
        )
    }

    /// "I've signed in": polls a device sign-in now instead of at the next interval.
    pub fn poll_sign_in_now(&self, id: &str) -> Result<()> {
        self.sign_ins.get(id)?.poke();
        Ok(())
    }

    /// Cancels a sign-in: its listener closes and [`Self::finish_sign_in`] returns
    /// "cancelled". Cancelling one that already ended does nothing.
    pub fn cancel_sign_in(&self, id: &str) -> Result<()> {
        if let Ok(session) = self.sign_ins.get(id) {
            session.fail(Error::SignInCancelled);
            session.close_listener();
        }
        Ok(())
    }

    /// Waits for the sign-in's answer (or polls its device code), exchanges it for tokens,
    /// and saves the account. Whatever happens, the sign-in is over afterwards: its listener
    /// is closed and, on error, nothing was stored.
    pub fn finish_sign_in(&self, id: &str) -> Result<SignedIn> {
        let session = self.sign_ins.get(id)?;
        let result = self.complete(&session);
        self.sign_ins.remove(id);
        match &result {
            Ok(done) => tracing::info!(
                provider = session.provider.as_str(),
                account = done.account.id,
                created = done.created,
                "signed in"
            ),
            Err(err) => {
                tracing::warn!(provider = session.provider.as_str(), %err, "sign-in failed")
            }
        }
        result
    }

    fn complete(&self, session: &Session) -> Result<SignedIn> {
        let http = Http::new(session.provider);
        let tokens = match &session.device {
            Some(grant) => {
                let mut interval = grant.interval;
                loop {
                    match device::poll(&http, &session.client, grant)? {
                        Poll::Approved(tokens) => break tokens,
                        Poll::Pending => {}
                        Poll::SlowDown => interval += Duration::from_secs(5),
                    }
                    session.pause(interval)?;
                }
            }
            None => {
                let answer = session.wait_answer()?;
                session.close_listener();
                exchange_code(
                    &http,
                    &session.client,
                    answer.code.expose(),
                    &answer.redirect_uri,
                    session.verifier.expose(),
                    &session.state,
                )?
            }
        };
        let profile = self.profile(&http, &session.client, &tokens);
        let login = providers::login_from_tokens(session.provider, &tokens, profile.as_ref())
            .ok_or_else(|| Error::ProviderError {
                provider: session.provider,
                context: "signing in".into(),
                detail: "the tokens came without a refresh token or identity, so the CLI could not stay signed in".into(),
            })?;
        self.save_sign_in(login, session.label.clone())
    }

    /// The userinfo/profile answer, for providers whose identity is not in an `id_token`.
    /// Best effort: a sign-in without it is still a sign-in.
    fn profile(
        &self,
        http: &Http,
        client: &OAuthClient,
        tokens: &serde_json::Value,
    ) -> Option<serde_json::Value> {
        let url = client.userinfo_url.as_deref()?;
        if !providers::needs_profile(client.provider) {
            return None;
        }
        let access = tokens.get("access_token")?.as_str()?;
        match http.get_with_bearer(url, access, "reading the account profile") {
            Ok(reply) if reply.ok() => Some(reply.json),
            Ok(reply) => {
                tracing::warn!(status = reply.status, "profile endpoint refused");
                None
            }
            Err(err) => {
                tracing::warn!(%err, "profile endpoint unreachable");
                None
            }
        }
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
        account.email = login.email.clone().or(account.email.take());
        account.plan = login.plan.clone().or(account.plan.take());
        account.secret_hint = hint(providers::info(account.provider), &login.secret);
        if let Some(label) = label {
            account.label = label;
        }
        let previous = self.vault.load(&account.id).ok();
        self.vault.store(&account.id, &login.secret)?;
        let saved = self.store.transaction(|tx| {
            let account = tx.update_account(&account)?;
            if login.identity.as_object().is_some_and(|o| !o.is_empty()) {
                tx.set_account_identity(&account.id, &login.identity)?;
            }
            tx.log_event(
                EventKind::SecretReplaced,
                account.provider,
                Some(&account.id),
                &account.label,
            )?;
            Ok(account)
        });
        let account = match saved {
            Ok(account) => account,
            Err(err) => {
                if let Some(previous) = previous {
                    let _ = self.vault.store(&account.id, &previous);
                }
                return Err(err);
            }
        };
        if activate {
            self.set_active_quietly(account.provider, Some(&account))?;
        }
        self.publish(
            EventKind::SecretReplaced,
            account.provider,
            Some(&account.id),
        );
        if activate {
            self.publish(
                EventKind::ActiveChanged,
                account.provider,
                Some(&account.id),
            );
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

    fn oauth_client(&self, provider: ProviderId) -> Result<OAuthClient> {
        let client = providers::oauth_client(provider).ok_or_else(|| {
            Error::NotAllowed(format!(
                "{} has no sign-in; add an API key instead.",
                provider.display_name()
            ))
        })?;
        Ok(self.config.endpoints.apply(client))
    }

    /// A sign-in account's default label: its email, else the provider and the time.
    pub(super) fn sign_in_label(&self, login: &FoundLogin) -> Result<String> {
        match &login.email {
            Some(email) => validate::check_label(email),
            None => Ok(default_label(providers::info(login.provider).display_name)),
        }
    }
}

/// Hands the loopback's callback to its session.
fn deliver(session: &Session, callback: Callback, redirect_uri: String) {
    if let Some(error) = &callback.error {
        session.fail(redirect_error(
            &session.client,
            error,
            callback.error_description.as_deref(),
        ));
        return;
    }
    let _ = session.answer(
        callback.code.unwrap_or_default(),
        callback.state.as_deref(),
        redirect_uri,
        true,
    );
}

fn method_name(method: SignInMethod) -> &'static str {
    match method {
        SignInMethod::Browser => "the browser",
        SignInMethod::Paste => "paste-back",
        SignInMethod::Device => "a device code",
    }
}
