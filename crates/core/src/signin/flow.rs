//! The steps of one sign-in: start it (a device code, or the loopback listener and the
//! authorize page, opened in the browser), hand it the user's answer (pasted, or the
//! listener's), and finish it (wait, exchange the code, read the profile). What comes out is
//! the provider's token response; the facade turns it into an account.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::browser::{self, OpenWith};
use super::client::OAuthClient;
use super::device::{self, Poll};
use super::loopback::{self, Callback};
use super::pkce::{random_token, Pkce};
use super::protocol::{authorize_url, exchange_code, redirect_error};
use super::{paste, PasteKind, Session, SessionParts, SignInMethod, SignInStarted, SignIns};
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::http::Http;

/// What a sign-in needs to start: the provider's client (overrides applied) and how the
/// provider signs in.
pub struct Request {
    pub client: OAuthClient,
    pub method: SignInMethod,
    /// Every method the provider offers (a busy port suggests the other one).
    pub offered: &'static [SignInMethod],
    /// What the provider's code page shows, for paste-back.
    pub paste: PasteKind,
    /// Whether identity needs the userinfo/profile endpoint.
    pub profile: bool,
    pub label: Option<String>,
}

/// A finished sign-in: the token response (secret: never logged, so no `Debug`) and the
/// profile, when one was read.
pub struct Finished {
    pub provider: ProviderId,
    pub label: Option<String>,
    pub tokens: crate::secret::SecretJson,
    pub profile: Option<Value>,
}

/// Starts a sign-in and opens its page with `open_with`. Finish it with [`finish`].
pub fn start(sign_ins: &SignIns, request: Request, open_with: &OpenWith) -> Result<SignInStarted> {
    let Request {
        mut client,
        method,
        offered,
        paste,
        profile,
        label,
    } = request;
    let provider = client.provider;
    if !offered.contains(&method) {
        return Err(Error::NotAllowed(format!(
            "{} does not sign in with {}; it offers {}.",
            provider.display_name(),
            method.describe(),
            offered
                .iter()
                .map(|m| m.describe())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
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
    // Per method: the redirect URIs an answer may carry, the device grant, and the loopback
    // listener (opened before anything is shown, so a busy port fails first).
    let (redirect_uris, grant, listener) = match method {
        SignInMethod::Device => {
            let grant = device::start(&Http::new(provider)?, &client)?;
            started.browser_url = grant.page().to_owned();
            started.user_code = Some(grant.user_code.clone());
            (Vec::new(), Some(grant), None)
        }
        SignInMethod::Browser => {
            let fallback = if offered.contains(&SignInMethod::Device) {
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
            started.paste = Some(paste);
            (redirect_uris, None, Some(listener))
        }
        SignInMethod::Paste => {
            // The provider's code page, or (Codex) the registered loopback address whose page
            // will not load: the user copies it from the address bar.
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
                paste
            } else {
                PasteKind::RedirectedUrl
            });
            (vec![redirect], None, None)
        }
    };
    let session = sign_ins.insert(Session::new(SessionParts {
        label,
        client,
        pkce,
        state,
        redirect_uris,
        device: grant,
        paste,
        profile,
    })?);
    if let Some(listener) = listener {
        let loopback_uri = listener.redirect_uri.clone();
        let weak = Arc::downgrade(&session);
        let listening =
            listener.listen(session.expires_at, session.state.clone(), move |callback| {
                if let Some(session) = weak.upgrade() {
                    deliver(&session, callback, loopback_uri);
                }
            })?;
        session.keep_listener(listening);
    }
    started.id = session.id.clone();
    started.expires_at_ms = crate::time::now_ms().saturating_add(
        i64::try_from(
            session
                .expires_at
                .saturating_duration_since(Instant::now())
                .as_millis(),
        )
        .unwrap_or(0),
    );
    started.browser_opened = match browser::open(&started.browser_url, open_with) {
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
pub fn paste_answer(sign_ins: &SignIns, id: &str, text: &str) -> Result<()> {
    let session = sign_ins.get(id)?;
    let pasted = paste::parse(text)?;
    if let Some((error, description)) = &pasted.error {
        // Only an answer that belongs to this sign-in may end it.
        let ours = pasted
            .state
            .as_deref()
            .is_some_and(|s| super::pkce::same_secret(s, &session.state));
        if !ours {
            return Err(Error::StateMismatch);
        }
        let err = redirect_error(&session.client, error, description.as_deref());
        session.fail(err.clone());
        return Err(err);
    }
    let state_required = pasted.redirect_uri.is_some() || session.paste != PasteKind::Code;
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
pub fn poll_now(sign_ins: &SignIns, id: &str) -> Result<()> {
    sign_ins.get(id)?.poke();
    Ok(())
}

/// Cancels a sign-in: its listener closes and [`finish`] returns "cancelled". Cancelling
/// one that already ended does nothing.
pub fn cancel(sign_ins: &SignIns, id: &str) {
    if let Ok(session) = sign_ins.get(id) {
        session.fail(Error::SignInCancelled);
        session.close_listener();
    }
}

/// Waits for the sign-in's answer (or polls its device code), exchanges it for tokens and
/// reads the profile. Whatever happens, the sign-in is over afterwards: its listener is
/// closed and it is forgotten.
pub fn finish(sign_ins: &SignIns, id: &str) -> Result<Finished> {
    let session = sign_ins.get(id)?;
    let result = complete(&session);
    sign_ins.remove(id);
    if let Err(err) = &result {
        tracing::warn!(provider = session.client.provider.as_str(), %err, "sign-in failed");
    }
    result
}

fn complete(session: &Session) -> Result<Finished> {
    let provider = session.client.provider;
    let http = Http::new(provider)?;
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
    let profile = if session.profile {
        profile(&http, &session.client, &tokens)
    } else {
        None
    };
    Ok(Finished {
        provider,
        label: session.label.clone(),
        tokens,
        profile,
    })
}

/// The userinfo/profile answer, for providers whose identity is not in an `id_token`. Best
/// effort: a sign-in without it is still a sign-in.
fn profile(http: &Http, client: &OAuthClient, tokens: &Value) -> Option<Value> {
    let url = client.userinfo_url.as_deref()?;
    let access = tokens.get("access_token")?.as_str()?;
    match http.get_with_bearer(url, access, "reading the account profile") {
        Ok(reply) if reply.ok() => Some(reply.into_public_json()),
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

/// Hands the loopback's callback to its session. The listener delivers only answers that
/// carry this sign-in's `state` (a page forging one gets a 400 there); the state is checked
/// again here all the same, and an `error` without it never ends the sign-in.
fn deliver(session: &Session, callback: Callback, redirect_uri: String) {
    if let Some(error) = &callback.error {
        let ours = callback
            .state
            .as_deref()
            .is_some_and(|s| super::pkce::same_secret(s, &session.state));
        session.fail(if ours {
            redirect_error(
                &session.client,
                error,
                callback.error_description.as_deref(),
            )
        } else {
            Error::StateMismatch
        });
        return;
    }
    let _ = session.answer(
        callback.code.unwrap_or_default(),
        callback.state.as_deref(),
        redirect_uri,
        true,
    );
}
