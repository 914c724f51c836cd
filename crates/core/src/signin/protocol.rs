//! The authorization-code half of OAuth as each provider speaks it: the authorize URL and
//! the code exchange, with token-endpoint errors turned into errors a user can act on.

use crate::secret::SecretJson;
use serde_json::{json, Value};

use super::client::{BodyEncoding, OAuthClient};
use crate::error::{Error, Result};
use crate::http::{Body, Http, Reply};

/// The authorize URL for one redirect URI. `state` and the PKCE challenge tie the answer
/// to this sign-in.
pub fn authorize_url(
    client: &OAuthClient,
    redirect_uri: &str,
    state: &str,
    challenge: &str,
) -> Result<String> {
    let mut url = crate::http::checked_url(&client.authorize_url)?;
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in &client.extra_authorize_params {
            query.append_pair(name, value);
        }
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &client.scopes)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("state", state);
    }
    Ok(url.to_string())
}

/// Exchanges an authorization code for tokens (the raw token response): through the
/// `oauth2` crate (RFC 6749 form, PKCE verifier), except for Claude, whose token endpoint
/// takes JSON and wants the `state` back, which `oauth2` cannot send.
pub fn exchange_code(
    http: &Http,
    client: &OAuthClient,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
    state: &str,
) -> Result<SecretJson> {
    const CONTEXT: &str = "exchanging the sign-in code";
    if client.token_body == BodyEncoding::Form {
        return exchange_code_form(http, client, code, redirect_uri, verifier);
    }
    let body = Body::Json(json!({
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client.client_id,
        "code_verifier": verifier,
        "state": state,
    }));
    let reply = http.post(&client.token_url, body, CONTEXT)?;
    tokens_from(client, reply, CONTEXT)
}

fn exchange_code_form(
    http: &Http,
    client: &OAuthClient,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<SecretJson> {
    const CONTEXT: &str = "exchanging the sign-in code";
    let invalid = |message: String| Error::InvalidInput(message);
    let redirect = oauth2::RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|e| invalid(format!("the redirect URI is not a URL: {e}")))?;
    let transport = crate::signin::oauth::Transport::new(http, CONTEXT);
    let answer = crate::signin::oauth::client(client)
        .map_err(invalid)?
        .exchange_code(oauth2::AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier.to_owned()))
        .set_redirect_uri(std::borrow::Cow::Owned(redirect))
        .request(&|request| transport.call(request));
    match answer {
        Ok(tokens) => serde_json::to_value(&tokens)
            .map(SecretJson::new)
            .map_err(|_| Error::ProviderError {
                provider: client.provider,
                context: CONTEXT.into(),
                detail: "the answer could not be read".into(),
            }),
        Err(err) => match transport.reply_to(err) {
            Ok(reply) => Err(token_error(client, &reply, CONTEXT)),
            Err(err) => Err(err),
        },
    }
}

/// A token response's JSON, or the error it means.
pub fn tokens_from(client: &OAuthClient, reply: Reply, context: &str) -> Result<SecretJson> {
    if reply.ok() {
        let has_tokens = reply
            .json
            .get("access_token")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty());
        if !has_tokens {
            return Err(Error::ProviderError {
                provider: client.provider,
                context: context.to_owned(),
                detail: "the answer held no access token".into(),
            });
        }
        return Ok(reply.into_json());
    }
    Err(token_error(client, &reply, context))
}

/// The error a failed token-endpoint answer means.
pub fn token_error(client: &OAuthClient, reply: &Reply, context: &str) -> Error {
    let (code, detail) = reply.oauth_error();
    match code {
        Some("access_denied") => Error::AccessDenied {
            provider: client.provider,
            detail,
        },
        Some("invalid_grant" | "expired_token" | "invalid_request")
            if (400..500).contains(&reply.status) =>
        {
            Error::CodeRejected {
                provider: client.provider,
                detail,
            }
        }
        _ if reply.status == 400 || reply.status == 401 => Error::CodeRejected {
            provider: client.provider,
            detail,
        },
        _ => Error::ProviderError {
            provider: client.provider,
            context: context.to_owned(),
            detail,
        },
    }
}

/// An `error` the provider sent to the redirect (the user declined, or the client is
/// misconfigured).
pub fn redirect_error(client: &OAuthClient, error: &str, description: Option<&str>) -> Error {
    let detail = match description {
        Some(d) => crate::text::from_provider(&format!("{error}: {d}")),
        None => crate::text::from_provider(error),
    };
    if error == "access_denied" {
        Error::AccessDenied {
            provider: client.provider,
            detail,
        }
    } else {
        Error::ProviderError {
            provider: client.provider,
            context: "signing in".into(),
            detail,
        }
    }
}
