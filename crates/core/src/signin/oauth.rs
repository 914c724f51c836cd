//! The `oauth2` crate wired to Switchboard: its requests go through the one HTTP client
//! ([`Http::execute`]), so HTTPS-but-loopback, no redirects and bounded time hold, and token
//! responses keep every field the CLIs need. PKCE, the authorization-code exchange and
//! refresh use it; see [`crate::signin::device`] and [`crate::lifecycle::requests`] for the
//! requests that do not, and why.

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
use serde_json::{Map, Value};

use crate::error::Error;
use crate::http::{Http, Reply};
use crate::signin::client::OAuthClient;

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

pub type Client = oauth2::Client<
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
pub fn client(provider: &OAuthClient) -> Result<Client, String> {
    let token_url = TokenUrl::new(provider.token_url.clone())
        .map_err(|e| format!("the token endpoint is not a URL: {e}"))?;
    let client = oauth2::Client::new(ClientId::new(provider.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(token_url);
    Ok(match &provider.client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
        None => client,
    })
}

/// Sends `oauth2`'s requests through Switchboard's HTTP client, keeping the last answer so a
/// failure is classified from what the provider said (`oauth2` drops the status of an error
/// body it cannot parse, and OpenAI's errors are not RFC 6749's shape).
pub struct Transport<'a> {
    http: &'a Http,
    context: &'static str,
    last: RefCell<Option<Reply>>,
}

impl<'a> Transport<'a> {
    pub fn new(http: &'a Http, context: &'static str) -> Self {
        Self {
            http,
            context,
            last: RefCell::new(None),
        }
    }

    /// One request (the `oauth2` crate's HTTP client).
    pub fn call(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, Error> {
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

    /// The provider's answer an `oauth2` error came with, or the transport's own error.
    pub fn reply_to<TE>(&self, err: oauth2::RequestTokenError<Error, TE>) -> Result<Reply, Error>
    where
        TE: oauth2::ErrorResponse + 'static,
    {
        match (err, self.last.take()) {
            (oauth2::RequestTokenError::Request(e), _) => Err(e),
            (_, Some(reply)) => Ok(reply),
            (other, None) => Err(Error::Io {
                context: self.context.to_owned(),
                message: other.to_string(),
            }),
        }
    }
}
