//! Requests to a provider: HTTPS everywhere but loopback, redirects never followed, bounded
//! time and size, and errors that name the host and never quote a body. One pair of
//! `reqwest` clients per process (proxied, and direct for this computer), on the process's
//! one runtime (see [`crate::runtime`]), so connections are reused and the synchronous
//! domain code can make a request from anywhere.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::catalog::ProviderId;
use crate::error::{Error, Result};

/// A request body. Form values may hold codes and tokens: never log a `Body`.
pub enum Body {
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

/// A body carries refresh tokens, codes and keys: wiped once it is sent (the copy handed to
/// the HTTP stack is its own).
impl Drop for Body {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        match self {
            Body::Json(value) => crate::secret::wipe_json(value),
            Body::Form(fields) => fields.iter_mut().for_each(|(_, value)| value.zeroize()),
        }
    }
}

impl Reply {
    /// The answer's JSON, still wiped when it drops.
    pub fn into_json(mut self) -> crate::secret::SecretJson {
        crate::secret::SecretJson::new(std::mem::take(&mut self.json))
    }

    /// The JSON of an answer that holds no secret (a profile, a usage reading).
    pub fn into_public_json(mut self) -> Value {
        std::mem::take(&mut self.json)
    }
}

/// An answer holds tokens: its JSON is wiped when it drops.
impl Drop for Reply {
    fn drop(&mut self) {
        crate::secret::wipe_json(&mut self.json);
    }
}

/// A provider's answer: the status and the JSON body, if it was JSON. Holds tokens, so it
/// has no `Debug`.
pub struct Reply {
    pub status: u16,
    pub json: Value,
    /// `Retry-After` in seconds, when the provider sent one.
    pub retry_after: Option<u64>,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `error` / `error_description` (OAuth's error fields, never tokens), for messages.
    pub fn oauth_error(&self) -> (Option<&str>, String) {
        let code = self
            .json
            .get("error")
            .and_then(Value::as_str)
            .or_else(|| self.json.pointer("/error/code").and_then(Value::as_str));
        let description = self
            .json
            .get("error_description")
            .and_then(Value::as_str)
            .or_else(|| self.json.pointer("/error/message").and_then(Value::as_str));
        let detail = match (code, description) {
            (Some(c), Some(d)) => format!("{c}: {d}"),
            (Some(c), None) => c.to_owned(),
            (None, Some(d)) => d.to_owned(),
            (None, None) => format!("HTTP {}", self.status),
        };
        (code, crate::text::from_provider(&detail))
    }
}

/// The most a provider's answer may be.
const MAX_BODY: usize = 1024 * 1024;
/// How long one request may take in all.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The clients every request of the process uses.
struct Clients {
    /// For the provider's hosts: through the proxy the environment names, if any.
    proxied: reqwest::Client,
    /// For this computer (a local gateway, the tests' fake provider): never through a proxy,
    /// which would carry a key sent in plain HTTP off the machine, and `localhost` always
    /// resolved to the loopback addresses.
    direct: reqwest::Client,
}

impl Clients {
    /// Built once per process; a client that cannot be built with these rules is an error,
    /// never a client without them.
    fn shared() -> Result<&'static Clients> {
        static CLIENTS: std::sync::OnceLock<std::result::Result<Clients, String>> =
            std::sync::OnceLock::new();
        CLIENTS
            .get_or_init(|| {
                install_crypto();
                let builder = || {
                    reqwest::Client::builder()
                        .redirect(reqwest::redirect::Policy::none())
                        .timeout(TIMEOUT)
                        .connect_timeout(Duration::from_secs(10))
                        .pool_idle_timeout(POOL_IDLE)
                        .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
                };
                let loopback = [
                    std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                    std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
                ];
                Ok(Clients {
                    proxied: builder().build().map_err(|e| e.to_string())?,
                    direct: builder()
                        .no_proxy()
                        .resolve_to_addrs("localhost", &loopback)
                        .build()
                        .map_err(|e| e.to_string())?,
                })
            })
            .as_ref()
            .map_err(|message| Error::Io {
                context: "setting up the HTTP client".into(),
                message: message.clone(),
            })
    }
}

/// How long an idle connection to a provider is kept for the next request.
const POOL_IDLE: Duration = Duration::from_secs(30);

/// One provider's requests, on the process's clients.
pub struct Http {
    clients: &'static Clients,
    provider: ProviderId,
}

impl Http {
    /// The requests of `provider`; an error only if the process's HTTP client cannot be
    /// set up at all.
    pub fn new(provider: ProviderId) -> Result<Self> {
        Ok(Self {
            clients: Clients::shared()?,
            provider,
        })
    }

    /// The client for `target`: direct for this computer, the proxied one elsewhere.
    fn client_for(&self, target: &Url) -> &reqwest::Client {
        if is_loopback(target) {
            &self.clients.direct
        } else {
            &self.clients.proxied
        }
    }

    pub fn post(&self, url: &str, body: Body, context: &str) -> Result<Reply> {
        let target = checked_url(url)?;
        let request = self.client_for(&target).post(target.as_str());
        let request = match &body {
            Body::Json(value) => request
                .header("Content-Type", "application/json")
                .body(value.to_string()),
            Body::Form(fields) => request
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form(fields)),
        };
        drop(body);
        self.send(request, &[], &target, context)
    }

    pub fn get_with_bearer(&self, url: &str, token: &str, context: &str) -> Result<Reply> {
        self.get(
            url,
            &[("Authorization", &format!("Bearer {token}"))],
            context,
        )
    }

    /// A GET with these headers (which may carry a key: never log them).
    pub fn get(&self, url: &str, headers: &[(&str, &str)], context: &str) -> Result<Reply> {
        let target = checked_url(url)?;
        self.send(
            self.client_for(&target).get(target.as_str()),
            headers,
            &target,
            context,
        )
    }

    /// A POST of `{}` with these headers.
    pub fn post_empty(&self, url: &str, headers: &[(&str, &str)], context: &str) -> Result<Reply> {
        let target = checked_url(url)?;
        let request = self
            .client_for(&target)
            .post(target.as_str())
            .header("Content-Type", "application/json")
            .body("{}");
        self.send(request, headers, &target, context)
    }

    /// A POST of `body` as JSON with these headers.
    pub fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &Value,
        context: &str,
    ) -> Result<Reply> {
        let target = checked_url(url)?;
        let request = self
            .client_for(&target)
            .post(target.as_str())
            .header("Content-Type", "application/json")
            .body(body.to_string());
        self.send(request, headers, &target, context)
    }

    /// Sends a request `oauth2` built, under the same rules; the answer's body unread.
    pub fn execute(
        &self,
        request: http::Request<Vec<u8>>,
        context: &str,
    ) -> std::result::Result<http::Response<Vec<u8>>, Error> {
        let target = checked_url(&request.uri().to_string())?;
        let (parts, body) = request.into_parts();
        let mut builder = self
            .client_for(&target)
            .request(parts.method, target.as_str())
            .body(body);
        for (name, value) in &parts.headers {
            builder = builder.header(name, value);
        }
        let host = host_of(&target);
        let context = context.to_owned();
        crate::runtime::block_on(async move {
            let response = builder
                .send()
                .await
                .map_err(|e| network(&host, &context, &e))?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = read_limited(response, &host, &context).await?;
            let mut answer = http::Response::new(bytes);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })?
    }

    fn send(
        &self,
        request: reqwest::RequestBuilder,
        headers: &[(&str, &str)],
        target: &Url,
        context: &str,
    ) -> Result<Reply> {
        let request = headers.iter().fold(
            request.header("Accept", "application/json"),
            |r, (name, value)| r.header(*name, *value),
        );
        let host = host_of(target);
        let context = context.to_owned();
        let provider = self.provider;
        crate::runtime::block_on(async move {
            let response = request
                .send()
                .await
                .map_err(|e| network(&host, &context, &e))?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                return Err(Error::ProviderError {
                    provider,
                    context: context.clone(),
                    detail: format!("{host} answered with a redirect (HTTP {status}), which Switchboard does not follow"),
                });
            }
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok());
            let bytes = zeroize::Zeroizing::new(read_limited(response, &host, &context).await?);
            let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            Ok(Reply {
                status,
                json,
                retry_after,
            })
        })?
    }
}

/// rustls's crypto (ring), chosen once per process: reqwest is built without a default, so
/// anything in the process that makes a reqwest client (Tauri too) needs this first.
pub fn install_crypto() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // Fails only when another part of the process installed one first: that one serves.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A form body.
fn form(fields: &[(&'static str, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
        .finish()
}

fn host_of(target: &Url) -> String {
    target.host_str().unwrap_or("the provider").to_owned()
}

/// The body, refusing more than [`MAX_BODY`].
async fn read_limited(
    mut response: reqwest::Response,
    host: &str,
    context: &str,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| network(host, context, &e))?
    {
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(Error::Network {
                host: host.to_owned(),
                context: context.to_owned(),
                message: "the answer was larger than 1 MiB".into(),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A transport error in words, without the URL (reqwest would print it).
fn network(host: &str, context: &str, err: &reqwest::Error) -> Error {
    let message = if err.is_timeout() {
        "no answer in time".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        // The source chain in words, without the URL reqwest puts in its own text.
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(err);
        let mut words = Vec::new();
        while let Some(c) = cause {
            words.push(c.to_string());
            cause = c.source();
        }
        if words.is_empty() {
            "the request failed".to_owned()
        } else {
            crate::text::from_provider(&words.join(": "))
        }
    };
    Error::Network {
        host: host.to_owned(),
        context: context.to_owned(),
        message,
    }
}

/// Whether `url` names this computer: a loopback address, or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A URL Switchboard may send codes and tokens to: `https`, or `http` on a loopback host.
pub fn checked_url(url: &str) -> Result<Url> {
    let parsed = Url::parse(url).map_err(|e| {
        Error::InvalidInput(format!(
            "The endpoint \u{201c}{url}\u{201d} is not a URL: {e}"
        ))
    })?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        _ => Err(Error::InvalidInput(format!(
            "The endpoint \u{201c}{url}\u{201d} is not HTTPS. Switchboard sends codes and tokens only over HTTPS (plain HTTP only to this computer)."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert!(checked_url("https://auth.x.ai/oauth2/token").is_ok());
        assert!(checked_url("http://127.0.0.1:8080/token").is_ok());
        assert!(checked_url("http://localhost:8080/token").is_ok());
        assert!(checked_url("http://[::1]:8080/token").is_ok());
        let err = checked_url("http://auth.x.ai/oauth2/token").unwrap_err();
        assert!(err.to_string().contains("not HTTPS"), "{err}");
        assert!(checked_url("ftp://127.0.0.1/x").is_err());
        assert!(checked_url("not a url").is_err());
    }

    #[test]
    fn oauth_errors_are_described_from_their_fields_only() {
        let reply = Reply {
            status: 400,
            json: serde_json::json!({"error": "invalid_grant", "error_description": "Code expired", "refresh_token": "rt-secret"}),
            retry_after: None,
        };
        let (code, detail) = reply.oauth_error();
        assert_eq!(code, Some("invalid_grant"));
        assert_eq!(detail, "invalid_grant: Code expired");
        let bare = Reply {
            status: 502,
            json: Value::Null,
            retry_after: None,
        };
        assert_eq!(bare.oauth_error().1, "HTTP 502");
    }
}
