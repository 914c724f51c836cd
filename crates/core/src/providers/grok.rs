//! Grok: xAI device-code sign-in and xAI API keys. Efforts depend on the model.

use serde_json::{json, Value};

use super::files::jwt_claims;
use super::files::{api_key, base_url, file, key, read_json, string, Active, FoundLogin};
use super::sign_in::{expiry_ms, text};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::signin::client::{DeviceDialect, OAuthClient};
use crate::vault::AccountSecret;

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Grok,
        display_name: "Grok",
        cli_command: "grok",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "xAI API key",
        key_prefixes: vec!["xai-"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://api.x.ai/v1",
        },
        takes_api_version: false,
        models: vec![
            ModelOption {
                id: "grok-4.3",
                efforts: vec![Effort::Low, Effort::Medium, Effort::High],
                default_effort: Some(Effort::Low),
            },
            ModelOption {
                id: "grok-4.20-multi-agent-0309",
                efforts: vec![Effort::Low, Effort::Medium, Effort::High, Effort::Xhigh],
                default_effort: None,
            },
        ],
        efforts: vec![],
        sign_in_methods: vec![],
        paste: None,
    }
}

/// Grok's own session file keys each login by `<issuer>::<client id>`.
pub const DEFAULT_SESSION_KEY: &str = "https://auth.x.ai::b1a00492-073a-47ea-816f-4c329264a828";

/// The file an xAI key goes to: `user-settings.json` under `~/.grok` (`GROK_HOME`), read by
/// the community `grok-cli` ({apiKey, baseURL}). Grok Build itself takes a key only from
/// `XAI_API_KEY`; its session file (`auth.json`) is for sign-in accounts. [RE, unverified]
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut settings = file(paths.grok_dir().join("user-settings.json"), Format::Json);
    let mut sessions = file(paths.grok_dir().join("auth.json"), Format::Json);
    if let Some(tokens) = active.and_then(|a| a.secret.oauth_tokens()) {
        let session_key = active
            .and_then(|a| a.identity.get("session_key"))
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_SESSION_KEY);
        sessions = sessions.set(key(&[session_key]), tokens);
    }
    if let Some(active) = active {
        if let Some(api_key) = api_key(active) {
            settings = settings.set(key(&["apiKey"]), string(api_key));
            if let Some(url) = base_url(active) {
                settings = settings.set(key(&["baseURL"]), string(url));
            }
        }
    }
    vec![settings, sessions]
}

/// A Grok Build sign-in in `~/.grok/auth.json`: the first session with a refresh token.
pub(super) fn read_login(paths: &CliPaths) -> Option<FoundLogin> {
    let sessions = read_json(&paths.grok_dir().join("auth.json"))?;
    let (session_key, session) = sessions.as_object()?.iter().find(|(k, v)| {
        k.contains("::")
            && v.get("refresh_token")
                .and_then(Value::as_str)
                .is_some_and(|t| !t.is_empty())
    })?;
    Some(FoundLogin {
        provider: ProviderId::Grok,
        kind: AccountKind::Oauth,
        email: session
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_owned),
        plan: None,
        identity: json!({ "session_key": session_key, "user_id": session.get("user_id") }),
        secret: AccountSecret::OAuthTokens(Sensitive::new(session.to_string())),
    })
}

/// The Grok CLI's xAI client [RE: CLIProxyAPI, opencode]: device code, or the browser with
/// the registered loopback `127.0.0.1:56121/callback` (PKCE, `nonce`, `plan=generic`).
pub(super) fn oauth_client() -> OAuthClient {
    OAuthClient {
        nonce: true,
        loopback_ports: vec![56121],
        userinfo_url: Some("https://auth.x.ai/oauth2/userinfo".into()),
        device_dialect: Some(DeviceDialect::Rfc8628),
        device_code_url: Some("https://auth.x.ai/oauth2/device/code".into()),
        ..OAuthClient::new(
            ProviderId::Grok,
            "b1a00492-073a-47ea-816f-4c329264a828",
            "https://auth.x.ai/oauth2/authorize",
            "https://auth.x.ai/oauth2/token",
            "openid profile email offline_access grok-cli:access api:access",
        )
        .with_params(&[("plan", "generic")])
    }
}

/// An xAI sign-in as a Grok session entry (`key`, `refresh_token`, identity from the
/// `id_token`). `expires_at` is written as RFC 3339 [format unverified].
pub(super) fn signed_in(tokens: &Value) -> Option<FoundLogin> {
    let claims = text(Some(tokens), "/id_token").and_then(jwt_claims);
    let email = text(claims.as_ref(), "/email").map(str::to_owned);
    let user_id = text(claims.as_ref(), "/sub").map(str::to_owned);
    let expires_at = time::OffsetDateTime::from_unix_timestamp(expiry_ms(tokens, 3600) / 1000)
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()?;
    let mut session = json!({
        "key": text(Some(tokens), "/access_token")?,
        "auth_mode": "oidc",
        "refresh_token": text(Some(tokens), "/refresh_token")?,
        "expires_at": expires_at,
    });
    if let Some(email) = &email {
        session["email"] = Value::from(email.as_str());
    }
    if let Some(user_id) = &user_id {
        session["user_id"] = Value::from(user_id.as_str());
    }
    if let Some(team) = text(claims.as_ref(), "/team_id") {
        session["team_id"] = Value::from(team);
    }
    Some(FoundLogin {
        provider: ProviderId::Grok,
        kind: AccountKind::Oauth,
        email,
        plan: None,
        identity: json!({ "session_key": DEFAULT_SESSION_KEY, "user_id": user_id }),
        secret: AccountSecret::OAuthTokens(Sensitive::new(session.to_string())),
    })
}
