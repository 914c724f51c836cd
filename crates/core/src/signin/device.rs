//! Device sign-in: a code the user types on another device while Switchboard polls. Two
//! dialects: RFC 8628 (xAI) and OpenAI's `deviceauth` endpoints (Codex), which end in an
//! authorization code exchanged with PKCE (through `oauth2`, see `protocol`).
//!
//! The polling itself is not `oauth2`'s: its RFC 8628 loop runs until the code is approved
//! or expires, with no way to stop it when the user cancels, nor to poll at once when they
//! click "I've entered the code", and it treats a transport error as a reason to keep
//! polling. Here each poll is one request and the session decides what comes next.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client::{DeviceDialect, OAuthClient};
use super::protocol::{exchange_code, token_error, tokens_from};
use crate::error::{Error, Result};
use crate::http::{Body, Http};
use crate::secret::{SecretJson, Sensitive};

/// A device code being approved.
pub struct DeviceGrant {
    /// RFC 8628 `device_code`, or OpenAI's `device_auth_id`.
    device_code: Sensitive<String>,
    pub user_code: String,
    pub verification_url: String,
    /// The verification page with the code filled in, when the provider gives one.
    pub verification_url_complete: Option<String>,
    pub interval: Duration,
    pub expires_at: Instant,
}

impl DeviceGrant {
    /// The page to open: with the code filled in when the provider gives one.
    pub fn page(&self) -> &str {
        self.verification_url_complete
            .as_deref()
            .unwrap_or(&self.verification_url)
    }
}

/// A verification page the provider named, if it is one Switchboard may open: `https`
/// (plain `http` only on this computer). Anything else is never opened.
fn safe_page(url: String) -> Option<String> {
    crate::http::checked_url(&url).ok().map(|_| url)
}

/// One poll's outcome.
pub enum Poll {
    Pending,
    /// Poll less often (RFC 8628 `slow_down`: five seconds more).
    SlowDown,
    Approved(SecretJson),
}

const OPENAI_DEVICE_LIFETIME: Duration = Duration::from_secs(15 * 60);

pub fn start(http: &Http, client: &OAuthClient) -> Result<DeviceGrant> {
    let (dialect, url) = match (client.device_dialect, &client.device_code_url) {
        (Some(d), Some(u)) => (d, u),
        _ => {
            return Err(Error::NotAllowed(format!(
                "{} has no device sign-in.",
                client.provider.display_name()
            )))
        }
    };
    let context = "asking for a device code";
    let reply = match dialect {
        DeviceDialect::Rfc8628 => http.post(
            url,
            Body::Form(vec![
                ("client_id", client.client_id.clone()),
                ("scope", client.scopes.clone()),
            ]),
            context,
        )?,
        DeviceDialect::OpenAi => http.post(
            url,
            Body::Json(json!({ "client_id": client.client_id })),
            context,
        )?,
    };
    if !reply.ok() {
        return Err(if reply.status == 404 || reply.status == 403 {
            Error::NotAllowed(format!(
                "{} refused a device code ({}). For Codex, turn on device sign-in in ChatGPT's security settings, or sign in with the browser.",
                client.provider.display_name(),
                reply.oauth_error().1
            ))
        } else {
            token_error(client, &reply, context)
        });
    }
    let text = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| reply.json.get(*n).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let number = |name: &str| {
        reply.json.get(name).and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
    };
    let missing = || Error::ProviderError {
        provider: client.provider,
        context: context.into(),
        detail: "the answer held no device code".into(),
    };
    let (device_code, verification_url, lifetime) = match dialect {
        DeviceDialect::Rfc8628 => (
            text(&["device_code"]).ok_or_else(missing)?,
            text(&["verification_uri", "verification_url"])
                .or_else(|| client.device_verification_url.clone())
                .ok_or_else(missing)?,
            Duration::from_secs(number("expires_in").unwrap_or(900).clamp(30, 3600)),
        ),
        DeviceDialect::OpenAi => (
            text(&["device_auth_id"]).ok_or_else(missing)?,
            client.device_verification_url.clone().ok_or_else(missing)?,
            OPENAI_DEVICE_LIFETIME,
        ),
    };
    let verification_url = safe_page(verification_url).ok_or_else(|| Error::ProviderError {
        provider: client.provider,
        context: context.into(),
        detail:
            "the page to enter the code on is not an https address, so Switchboard will not open it"
                .into(),
    })?;
    Ok(DeviceGrant {
        device_code: Sensitive::new(device_code),
        user_code: text(&["user_code", "usercode"]).ok_or_else(missing)?,
        verification_url,
        verification_url_complete: text(&["verification_uri_complete"]).and_then(safe_page),
        interval: Duration::from_secs(number("interval").unwrap_or(5).clamp(1, 60)),
        expires_at: Instant::now() + lifetime,
    })
}

pub fn poll(http: &Http, client: &OAuthClient, grant: &DeviceGrant) -> Result<Poll> {
    if Instant::now() >= grant.expires_at {
        return Err(Error::SignInExpired(client.provider));
    }
    let context = "waiting for the device sign-in";
    match client.device_dialect {
        Some(DeviceDialect::OpenAi) => {
            let url = client
                .device_token_url
                .as_deref()
                .ok_or_else(|| Error::NotAllowed("no device token endpoint".into()))?;
            let reply = http.post(
                url,
                Body::Json(json!({
                    "device_auth_id": grant.device_code.expose(),
                    "user_code": grant.user_code,
                })),
                context,
            )?;
            if reply.status == 403 || reply.status == 404 {
                return Ok(Poll::Pending);
            }
            if !reply.ok() {
                return Err(token_error(client, &reply, context));
            }
            let field = |name: &str| reply.json.get(name).and_then(Value::as_str);
            let (Some(code), Some(verifier)) =
                (field("authorization_code"), field("code_verifier"))
            else {
                return Err(Error::ProviderError {
                    provider: client.provider,
                    context: context.into(),
                    detail: "the answer held no authorization code".into(),
                });
            };
            let redirect = client
                .device_redirect_uri
                .as_deref()
                .ok_or_else(|| Error::NotAllowed("no device redirect URI".into()))?;
            exchange_code(http, client, code, redirect, verifier, "").map(Poll::Approved)
        }
        _ => {
            let url = client
                .device_token_url
                .as_deref()
                .unwrap_or(&client.token_url);
            let mut fields = vec![
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:device_code".to_owned(),
                ),
                ("device_code", grant.device_code.expose().clone()),
                ("client_id", client.client_id.clone()),
            ];
            if let Some(secret) = &client.client_secret {
                fields.push(("client_secret", secret.clone()));
            }
            let reply = http.post(url, Body::Form(fields), context)?;
            if reply.ok() {
                return tokens_from(client, reply, context).map(Poll::Approved);
            }
            match reply.oauth_error().0 {
                Some("authorization_pending") => Ok(Poll::Pending),
                Some("slow_down") => Ok(Poll::SlowDown),
                Some("expired_token") => Err(Error::SignInExpired(client.provider)),
                _ => Err(token_error(client, &reply, context)),
            }
        }
    }
}
