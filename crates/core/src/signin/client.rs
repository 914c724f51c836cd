//! Each provider's OAuth client: endpoints, client id, scopes, redirect URIs and protocol
//! dialect. Defaults live in the provider modules; a `SWITCHBOARD_ENDPOINTS` file may
//! override any field per provider (gateways, FedStart hosts, and the tests' fake provider).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::catalog::ProviderId;
use crate::error::{Error, Result};

/// How a token endpoint wants its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    Json,
    Form,
}

/// Which device-authorization protocol a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceDialect {
    /// RFC 8628: `device_code` + polling the token endpoint (xAI).
    Rfc8628,
    /// OpenAI's `deviceauth` endpoints, ending in an authorization code (Codex).
    OpenAi,
}

/// The host name a loopback redirect URI uses; the listener always binds 127.0.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopbackHost {
    Localhost,
    #[serde(rename = "127.0.0.1")]
    Ip,
}

impl LoopbackHost {
    pub fn as_str(self) -> &'static str {
        match self {
            LoopbackHost::Localhost => "localhost",
            LoopbackHost::Ip => "127.0.0.1",
        }
    }
}

/// A provider's sign-in client, resolved (defaults plus overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthClient {
    pub provider: ProviderId,
    pub client_id: String,
    /// A public installed-app secret (Google's), not a real secret.
    pub client_secret: Option<String>,
    pub authorize_url: String,
    pub token_url: String,
    pub token_body: BodyEncoding,
    pub scopes: String,
    pub extra_authorize_params: Vec<(String, String)>,
    /// Whether the authorize request carries an OpenID `nonce` (xAI wants one).
    pub nonce: bool,
    /// Loopback redirect: host name, path and the ports the client is registered for
    /// (empty: any free port).
    pub loopback_host: LoopbackHost,
    pub loopback_path: String,
    pub loopback_ports: Vec<u16>,
    /// The provider's page that shows a code to paste back (Claude's `code#state` page,
    /// Google's authcode page); `None` when paste-back means pasting the redirected URL.
    pub paste_redirect_uri: Option<String>,
    pub userinfo_url: Option<String>,
    pub revoke_url: Option<String>,
    /// Where a sign-in's usage and limits are read (read-only: it spends and rotates nothing).
    pub usage_url: Option<String>,
    pub device_dialect: Option<DeviceDialect>,
    pub device_code_url: Option<String>,
    /// Where a device sign-in is polled (RFC 8628: the token endpoint).
    pub device_token_url: Option<String>,
    /// The page where the user types the code, when the provider does not say.
    pub device_verification_url: Option<String>,
    /// The redirect URI an OpenAI device code is exchanged with.
    pub device_redirect_uri: Option<String>,
}

impl OAuthClient {
    /// A client with a form-encoded token endpoint, a `127.0.0.1` loopback on any port at
    /// `/callback`, and nothing else; providers set the rest.
    pub fn new(
        provider: ProviderId,
        client_id: &str,
        authorize_url: &str,
        token_url: &str,
        scopes: &str,
    ) -> Self {
        Self {
            provider,
            client_id: client_id.to_owned(),
            client_secret: None,
            authorize_url: authorize_url.to_owned(),
            token_url: token_url.to_owned(),
            token_body: BodyEncoding::Form,
            scopes: scopes.to_owned(),
            extra_authorize_params: Vec::new(),
            nonce: false,
            loopback_host: LoopbackHost::Ip,
            loopback_path: "/callback".to_owned(),
            loopback_ports: Vec::new(),
            paste_redirect_uri: None,
            userinfo_url: None,
            revoke_url: None,
            usage_url: None,
            device_dialect: None,
            device_code_url: None,
            device_token_url: None,
            device_verification_url: None,
            device_redirect_uri: None,
        }
    }

    pub fn with_params(mut self, params: &[(&str, &str)]) -> Self {
        self.extra_authorize_params = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self
    }
}

/// Per-provider overrides, every field optional; unknown fields are an error so a typo
/// never silently falls back to the real endpoint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientOverride {
    client_id: Option<String>,
    client_secret: Option<String>,
    authorize_url: Option<String>,
    token_url: Option<String>,
    scopes: Option<String>,
    loopback_ports: Option<Vec<u16>>,
    paste_redirect_uri: Option<String>,
    userinfo_url: Option<String>,
    revoke_url: Option<String>,
    usage_url: Option<String>,
    device_code_url: Option<String>,
    device_token_url: Option<String>,
    device_verification_url: Option<String>,
    device_redirect_uri: Option<String>,
    /// The provider's API base (what `switchboard test` talks to).
    api_base: Option<String>,
}

/// The overrides of every provider, read from the `SWITCHBOARD_ENDPOINTS` file.
#[derive(Debug, Clone, Default)]
pub struct EndpointOverrides {
    by_provider: BTreeMap<ProviderId, ClientOverride>,
}

impl EndpointOverrides {
    /// Reads a JSON file `{ "<provider>": { "<field>": ... } }`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        Self::parse(&text).map_err(|message| {
            Error::InvalidInput(format!(
                "SWITCHBOARD_ENDPOINTS file {}: {message}",
                path.display()
            ))
        })
    }

    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let raw: BTreeMap<String, ClientOverride> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut by_provider = BTreeMap::new();
        for (name, client) in raw {
            let provider = ProviderId::parse(&name)
                .ok_or_else(|| format!("unknown provider \u{201c}{name}\u{201d}"))?;
            by_provider.insert(provider, client);
        }
        Ok(Self { by_provider })
    }

    /// The providers whose endpoints this file changes.
    pub fn providers(&self) -> Vec<ProviderId> {
        self.by_provider.keys().copied().collect()
    }

    /// Where this file sends `provider`'s credentials, as a short fingerprint: the endpoints
    /// that receive a token or a key (token, revoke, profile, usage, API base); `default`
    /// when it changes none of them.
    pub fn credential_endpoints(&self, provider: ProviderId) -> String {
        use sha2::{Digest, Sha256};
        let Some(o) = self.by_provider.get(&provider) else {
            return "default".to_owned();
        };
        let fields = [
            &o.token_url,
            &o.revoke_url,
            &o.userinfo_url,
            &o.usage_url,
            &o.api_base,
        ];
        if fields.iter().all(|f| f.is_none()) {
            return "default".to_owned();
        }
        let mut hash = Sha256::new();
        for field in fields {
            hash.update(field.as_deref().unwrap_or("-").as_bytes());
            hash.update([0]);
        }
        hash.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The provider's API base from this file, if it sets one.
    pub fn api_base(&self, provider: ProviderId) -> Option<&str> {
        self.by_provider.get(&provider)?.api_base.as_deref()
    }

    /// `client` with this file's overrides applied.
    pub fn apply(&self, mut client: OAuthClient) -> OAuthClient {
        let Some(o) = self.by_provider.get(&client.provider).cloned() else {
            return client;
        };
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = o.$field { client.$field = v; } )* };
        }
        macro_rules! set_some {
            ($($field:ident),*) => { $( if let Some(v) = o.$field { client.$field = Some(v); } )* };
        }
        set!(client_id, authorize_url, token_url, scopes, loopback_ports);
        set_some!(
            client_secret,
            paste_redirect_uri,
            userinfo_url,
            revoke_url,
            usage_url,
            device_code_url,
            device_token_url,
            device_verification_url,
            device_redirect_uri
        );
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OAuthClient {
        OAuthClient {
            loopback_ports: vec![56121],
            device_dialect: Some(DeviceDialect::Rfc8628),
            ..OAuthClient::new(
                ProviderId::Grok,
                "real",
                "https://auth.x.ai/oauth2/authorize",
                "https://auth.x.ai/oauth2/token",
                "openid",
            )
        }
    }

    #[test]
    fn overrides_replace_only_the_fields_they_name() {
        let overrides = EndpointOverrides::parse(
            r#"{"grok": {"token_url": "http://127.0.0.1:9/token", "loopback_ports": [0]}}"#,
        )
        .unwrap();
        let client = overrides.apply(sample());
        assert_eq!(client.token_url, "http://127.0.0.1:9/token");
        assert_eq!(client.loopback_ports, vec![0]);
        assert_eq!(client.authorize_url, sample().authorize_url);
        assert_eq!(client.client_id, "real");
    }

    #[test]
    fn a_misspelt_field_or_provider_is_an_error() {
        assert!(EndpointOverrides::parse(r#"{"grok": {"tokn_url": "x"}}"#)
            .unwrap_err()
            .contains("tokn_url"));
        assert!(EndpointOverrides::parse(r#"{"grook": {}}"#)
            .unwrap_err()
            .contains("grook"));
    }

    #[test]
    fn other_providers_are_untouched() {
        let overrides = EndpointOverrides::parse(r#"{"claude": {"client_id": "x"}}"#).unwrap();
        assert_eq!(overrides.apply(sample()), sample());
    }
}
