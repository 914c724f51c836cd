//! Checking that an account's credential still works: one cheap request to the provider
//! (list models, read the profile), never a refresh — a refresh would rotate tokens a CLI may
//! be holding. A key is sent only in the header its API expects, over HTTPS.

use serde::Serialize;
use ts_rs::TS;

use crate::account::{Account, EndpointPreset};
use crate::error::{Error, Result};
use crate::http::{Http, Reply};
use crate::providers::{self, Probe};
use crate::signin::client::EndpointOverrides;
use crate::vault::AccountSecret;

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckVerdict {
    /// The provider accepted the credential.
    Works,
    /// The provider refused it (revoked, wrong, or a sign-in whose access token expired and
    /// whose CLI has not refreshed it yet).
    Refused,
}

/// The outcome of checking one account.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CheckResult {
    pub account_id: String,
    pub verdict: CheckVerdict,
    /// In words, with the host asked and its answer; never the credential.
    pub detail: String,
}

/// Checks `account` with its `secret`.
pub fn check(
    account: &Account,
    secret: &AccountSecret,
    overrides: &EndpointOverrides,
) -> Result<CheckResult> {
    let provider = account.provider;
    let probe = probe(account, secret, overrides)?;
    let http = Http::new(provider)?;
    let context = "checking the credential";
    let reply = send(&http, &probe, context)?;
    Ok(verdict(account, &host_of(&probe), &reply))
}

/// Whose sign-in some tokens are, by the provider's own profile endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The account's own email.
    Same,
    /// Someone else's (the email the provider names).
    Other(String),
    /// The provider refused the tokens (HTTP 401 or 403): not a working sign-in.
    Refused,
    /// Nothing to compare, or no answer: no endpoint, no email on either side, the network.
    Unknown,
}

/// Asks the provider whose sign-in `tokens` are, and compares with `account`'s email.
pub fn owner_of(account: &Account, tokens: &AccountSecret, overrides: &EndpointOverrides) -> Owner {
    let Some(expected) = account.email.as_deref() else {
        return Owner::Unknown;
    };
    let source = providers::get(account.provider);
    let Ok(probe) = probe(account, tokens, overrides) else {
        return Owner::Unknown;
    };
    let reply = match Http::new(account.provider)
        .and_then(|http| send(&http, &probe, "confirming whose sign-in it is"))
    {
        Ok(reply) => reply,
        Err(err) => {
            tracing::info!("could not ask whose sign-in some tokens are: {err}");
            return Owner::Unknown;
        }
    };
    match reply.status {
        200..=299 => match source.profile_email(&reply.json) {
            Some(email) if email.eq_ignore_ascii_case(expected) => Owner::Same,
            Some(email) => Owner::Other(crate::text::from_provider(&email)),
            None => Owner::Unknown,
        },
        401 | 403 => Owner::Refused,
        _ => Owner::Unknown,
    }
}

/// Sends `probe` (its headers may hold the credential: never logged).
pub fn send(http: &Http, probe: &Probe, context: &str) -> Result<Reply> {
    match probe {
        Probe::Get(url, headers) => http.get(url, &pairs(headers), context),
        Probe::PostEmpty(url, headers) => http.post_empty(url, &pairs(headers), context),
        Probe::PostJson(url, headers, body) => http.post_json(url, &pairs(headers), body, context),
    }
}

/// The host a probe asks.
pub fn host_of(probe: &Probe) -> String {
    let (Probe::Get(url, _) | Probe::PostEmpty(url, _) | Probe::PostJson(url, _, _)) = probe;
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

fn pairs<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    headers.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn verdict(account: &Account, host: &str, reply: &Reply) -> CheckResult {
    let (verdict, detail) = match reply.status {
        200..=299 => (
            CheckVerdict::Works,
            format!("{host} accepted it (HTTP {})", reply.status),
        ),
        401 | 403 => (
            CheckVerdict::Refused,
            format!(
                "{host} refused it (HTTP {}: {}){}",
                reply.status,
                reply.oauth_error().1,
                if account.kind == crate::catalog::AccountKind::Oauth {
                    "; if the access token just expired, the CLI refreshes it on its next run — otherwise sign in again"
                } else {
                    "; the key is wrong or was revoked"
                }
            ),
        ),
        status => {
            return CheckResult {
                account_id: account.id.clone(),
                verdict: CheckVerdict::Refused,
                detail: format!("{host} answered HTTP {status}: {}", reply.oauth_error().1),
            }
        }
    };
    CheckResult {
        account_id: account.id.clone(),
        verdict,
        detail,
    }
}

/// The API base: the account's custom endpoint, the override file's, or the default.
pub fn api_base(account: &Account, overrides: &EndpointOverrides) -> String {
    let custom = (account.endpoint.preset != EndpointPreset::Default)
        .then(|| account.endpoint.base_url.clone())
        .flatten();
    custom
        .or_else(|| overrides.api_base(account.provider).map(str::to_owned))
        .unwrap_or_else(|| {
            providers::info(account.provider)
                .endpoints
                .api_base
                .to_owned()
        })
        .trim_end_matches('/')
        .to_owned()
}

/// The request that checks this credential: the provider's sign-in probe for a sign-in (the
/// profile, or Codex's usage endpoint), its key probe for a key.
fn probe(
    account: &Account,
    secret: &AccountSecret,
    overrides: &EndpointOverrides,
) -> Result<Probe> {
    let provider = providers::get(account.provider);
    let not_checked = |why: String| Err(Error::NotAllowed(why));
    match secret {
        AccountSecret::OAuthTokens(_) => {
            let tokens = secret.oauth_tokens().unwrap_or_default();
            let client = provider.oauth_client().map(|c| overrides.apply(c));
            match client.and_then(|c| provider.sign_in_probe(&tokens, &c)) {
                Some(probe) => Ok(probe),
                None => not_checked(format!(
                    "{} sign-ins have no endpoint to check them with that does not spend or rotate anything; run `{} login status` instead.",
                    account.provider.display_name(),
                    account.provider.cli_command()
                )),
            }
        }
        AccountSecret::ApiKey(key) => provider
            .key_probe(key.expose(), &api_base(account, overrides))
            .or_else(|why| not_checked(format!("{}: {why}.", account.provider.display_name()))),
        AccountSecret::BedrockAccessKeys { .. } | AccountSecret::BedrockApiKey(_) => not_checked(
            "AWS Bedrock credentials are not checked here (it needs AWS request signing); run `claude` once to see.".to_owned(),
        ),
    }
}
