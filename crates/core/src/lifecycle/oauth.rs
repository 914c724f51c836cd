//! Refresh and revocation requests on the `oauth2` crate, sent through Switchboard's one
//! HTTP client ([`Http::execute`]) so its rules hold. Claude's token endpoint takes a JSON
//! body, which `oauth2` cannot send (it speaks RFC 6749's form): Claude keeps a thin adapter.

use std::cell::RefCell;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, ClientId, ClientSecret, EndpointNotSet, RefreshToken,
    StandardRevocableToken, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::Failure;
use crate::error::Error;
use crate::http::{Body, Http, Reply};
use crate::signin::client::{BodyEncoding, OAuthClient};

/// A token response with every field the provider sent (the CLIs keep `id_token` and
/// friends), which `oauth2`'s standard response would drop.
#[derive(Clone, Deserialize, Serialize)]
pub struct RawTokens {
    access_token: AccessToken,
    /// Optional here: not every provider names it, and it is always `Bearer`.
    #[serde(default = "bearer")]
    token_type: BasicTokenType,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

impl std::fmt::Debug for RawTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawTokens(<redacted>)")
    }
}

impl TokenResponse for RawTokens {
    type TokenType = BasicTokenType;
    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        self.rest
            .get("expires_in")
            .and_then(Value::as_u64)
            .map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<oauth2::Scope>> {
        None
    }
}

type Client = oauth2::Client<
    BasicErrorResponse,
    RawTokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    oauth2::EndpointSet,
>;

/// The provider's client as `oauth2` wants it: credentials in the body (Google's public
/// installed-app secret included), never in a Basic header.
fn client(provider: &OAuthClient) -> Result<Client, Failure> {
    let token_url = TokenUrl::new(provider.token_url.clone())
        .map_err(|e| Failure::Config(format!("the token endpoint is not a URL: {e}")))?;
    let client = oauth2::Client::new(ClientId::new(provider.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(token_url);
    Ok(match &provider.client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
        None => client,
    })
}

/// Sends `oauth2`'s requests through `http`, keeping the last answer for [`Failure`]s.
struct Transport<'a> {
    http: &'a Http,
    context: &'static str,
    last: RefCell<Option<Reply>>,
}

impl Transport<'_> {
    fn call(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, Error> {
        let response = self.http.execute(request, self.context)?;
        self.last.replace(Some(Reply {
            status: response.status().as_u16(),
            json: serde_json::from_slice(response.body()).unwrap_or(Value::Null),
            retry_after: response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
        }));
        Ok(response)
    }

    /// What an `oauth2` error means, from the answer it came with.
    fn failure<RE, TE>(&self, err: oauth2::RequestTokenError<RE, TE>) -> Failure
    where
        RE: std::error::Error + 'static,
        TE: oauth2::ErrorResponse + 'static,
    {
        match (err, self.last.take()) {
            (oauth2::RequestTokenError::Request(e), _) => Failure::Offline(e.to_string()),
            (_, Some(reply)) => Failure::from_reply(&reply),
            (other, None) => Failure::Offline(other.to_string()),
        }
    }
}

/// Exchanges `refresh_token` for new tokens: the provider's raw token response.
pub fn refresh(http: &Http, provider: &OAuthClient, refresh_token: &str) -> Result<Value, Failure> {
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
    let transport = Transport {
        http,
        context: CONTEXT,
        last: RefCell::new(None),
    };
    let token = RefreshToken::new(refresh_token.to_owned());
    let answer = client(provider)?
        .exchange_refresh_token(&token)
        .request(&|request| transport.call(request));
    match answer {
        Ok(tokens) => serde_json::to_value(&tokens)
            .map_err(|_| Failure::Provider("the answer could not be read".into())),
        Err(err) => Err(transport.failure(err)),
    }
}

/// The tokens in a successful answer, or what its error means.
fn tokens_in(reply: Reply) -> Result<Value, Failure> {
    let has_access = reply
        .json
        .get("access_token")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.is_empty());
    match (reply.ok(), has_access) {
        (true, true) => Ok(reply.json),
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
