//! Grok: xAI device-code sign-in and xAI API keys. Efforts depend on the model.

use serde_json::{json, Value};

use super::files::{api_key, base_url, file, key, read_json, string, Active, FoundLogin};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
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
            authorize: Some("https://auth.x.ai/oauth2/authorize"),
            token: Some("https://auth.x.ai/oauth2/token"),
            device: Some("https://auth.x.ai/oauth2/device/code"),
            userinfo: Some("https://auth.x.ai/oauth2/userinfo"),
            revoke: None,
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
