//! Requests to a provider's sign-in endpoints: HTTPS everywhere but loopback, redirects
//! never followed, bounded time, and errors that name the host and never quote a body.

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

/// A provider's answer: the status and the JSON body, if it was JSON. Holds tokens, so it
/// has no `Debug`.
pub struct Reply {
    pub status: u16,
    pub json: Value,
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

/// The one HTTP client of sign-in.
pub struct Http {
    agent: ureq::Agent,
    provider: ProviderId,
}

impl Http {
    pub fn new(provider: ProviderId) -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .https_only(false) // checked per URL below: plain HTTP only to loopback
            .timeout_global(Some(Duration::from_secs(30)))
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self { agent, provider }
    }

    pub fn post(&self, url: &str, body: Body, context: &str) -> Result<Reply> {
        let target = checked_url(url)?;
        let request = with_headers(self.agent.post(target.as_str()), &[]);
        let sent = match body {
            Body::Json(value) => request.send_json(&value),
            Body::Form(fields) => request.send_form(fields.iter().map(|(k, v)| (*k, v.as_str()))),
        };
        self.read(sent, &target, context)
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
        let request = with_headers(self.agent.get(target.as_str()), headers);
        self.read(request.call(), &target, context)
    }

    /// A POST of `{}` with these headers.
    pub fn post_empty(&self, url: &str, headers: &[(&str, &str)], context: &str) -> Result<Reply> {
        let target = checked_url(url)?;
        let request = with_headers(self.agent.post(target.as_str()), headers);
        self.read(request.send_json(serde_json::json!({})), &target, context)
    }

    fn read(
        &self,
        sent: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        target: &Url,
        context: &str,
    ) -> Result<Reply> {
        let host = target.host_str().unwrap_or("the provider").to_owned();
        let mut response = sent.map_err(|e| Error::Network {
            host: host.clone(),
            context: context.to_owned(),
            message: describe(&e),
        })?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            return Err(Error::ProviderError {
                provider: self.provider,
                context: context.to_owned(),
                detail: format!("{host} answered with a redirect (HTTP {status}), which Switchboard does not follow"),
            });
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(1024 * 1024)
            .read_to_string()
            .map_err(|e| Error::Network {
                host: host.clone(),
                context: context.to_owned(),
                message: describe(&e),
            })?;
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply { status, json })
    }
}

/// `Accept: application/json` and `headers` on a request.
fn with_headers<B>(
    request: ureq::RequestBuilder<B>,
    headers: &[(&str, &str)],
) -> ureq::RequestBuilder<B> {
    headers.iter().fold(
        request.header("Accept", "application/json"),
        |r, (name, value)| r.header(*name, *value),
    )
}

/// A URL Switchboard may send codes and tokens to: `https`, or `http` on a loopback host.
pub fn checked_url(url: &str) -> Result<Url> {
    let parsed = Url::parse(url).map_err(|e| {
        Error::InvalidInput(format!(
            "The endpoint \u{201c}{url}\u{201d} is not a URL: {e}"
        ))
    })?;
    let loopback = matches!(
        parsed.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || matches!(parsed.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || parsed.host_str() == Some("localhost");
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(Error::InvalidInput(format!(
            "The endpoint \u{201c}{url}\u{201d} is not HTTPS. Switchboard sends codes and tokens only over HTTPS (plain HTTP only to this computer)."
        ))),
    }
}

/// A transport error in words, without the URL's query (which never holds secrets here,
/// but need not be repeated).
fn describe(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Timeout(_) => "no answer in time".to_owned(),
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        other => other.to_string(),
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
        };
        let (code, detail) = reply.oauth_error();
        assert_eq!(code, Some("invalid_grant"));
        assert_eq!(detail, "invalid_grant: Code expired");
        let bare = Reply {
            status: 502,
            json: Value::Null,
        };
        assert_eq!(bare.oauth_error().1, "HTTP 502");
    }
}
