//! Refresh and revocation requests. Refresh goes through the `oauth2` crate
//! ([`crate::signin::oauth`]); Claude's token endpoint takes a JSON body, which `oauth2`
//! cannot send (it speaks RFC 6749's form), so Claude keeps a thin adapter.

use crate::secret::SecretJson;
use oauth2::RefreshToken;
use serde_json::{json, Value};

use super::Failure;
use crate::http::{Body, Http, Reply};
use crate::signin::client::{BodyEncoding, OAuthClient};
use crate::signin::oauth::{client, Transport};

/// Exchanges `refresh_token` for new tokens: the provider's raw token response.
pub fn refresh(
    http: &Http,
    provider: &OAuthClient,
    refresh_token: &str,
) -> Result<SecretJson, Failure> {
    const CONTEXT: &str = "refreshing the sign-in";
    if provider.token_body == BodyEncoding::Json {
        // Claude: JSON body, with the scopes Claude Code asks for (USAGE-AND-LIFECYCLE §2).
        let reply = http
            .post(
                &provider.token_url,
                Body::Json(json!({
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": provider.client_id,
                    "scope": provider.scopes,
                })),
                CONTEXT,
            )
            .map_err(|e| Failure::Offline(e.to_string()))?;
        return tokens_in(reply);
    }
    let transport = Transport::new(http, CONTEXT);
    let token = RefreshToken::new(refresh_token.to_owned());
    let answer = client(provider)
        .map_err(Failure::Config)?
        .exchange_refresh_token(&token)
        .request(&|request| transport.call(request));
    match answer {
        Ok(tokens) => serde_json::to_value(&tokens)
            .map(SecretJson::new)
            .map_err(|_| Failure::Provider("the answer could not be read".into())),
        Err(err) => Err(match transport.reply_to(err) {
            Ok(reply) => Failure::from_reply(&reply),
            Err(err) => Failure::Offline(err.to_string()),
        }),
    }
}

/// The tokens in a successful answer, or what its error means.
fn tokens_in(reply: Reply) -> Result<SecretJson, Failure> {
    let has_access = reply
        .json
        .get("access_token")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.is_empty());
    match (reply.ok(), has_access) {
        (true, true) => Ok(reply.into_json()),
        (true, false) => Err(Failure::Provider("the answer held no access token".into())),
        (false, _) => Err(Failure::from_reply(&reply)),
    }
}

/// Revokes `refresh_token` (RFC 7009: a form POST of `token` and `token_type_hint`);
/// `Ok(false)` when the provider has no endpoint. Not on `oauth2`: it refuses any revocation
/// URL that is not `https`, and Switchboard's rule also allows plain HTTP to this computer
/// (a local gateway, the tests' fake provider); the request itself is the RFC's.
pub fn revoke(http: &Http, provider: &OAuthClient, refresh_token: &str) -> Result<bool, Failure> {
    let Some(url) = &provider.revoke_url else {
        return Ok(false);
    };
    let mut fields = vec![
        ("token", refresh_token.to_owned()),
        ("token_type_hint", "refresh_token".to_owned()),
        ("client_id", provider.client_id.clone()),
    ];
    if let Some(secret) = &provider.client_secret {
        fields.push(("client_secret", secret.clone()));
    }
    let reply = http
        .post(url, Body::Form(fields), "revoking the sign-in")
        .map_err(|e| Failure::Offline(e.to_string()))?;
    if reply.ok() {
        Ok(true)
    } else {
        Err(Failure::from_reply(&reply))
    }
}
