//! Codex: ChatGPT OAuth, OpenAI API keys and Responses-compatible custom endpoints.

use serde_json::json;

use super::files::{api_key, base_url, file, key, string, Active};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Codex,
        display_name: "Codex",
        cli_command: "codex",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "OpenAI API key",
        key_prefixes: vec!["sk-"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://api.openai.com/v1",
            authorize: Some("https://auth.openai.com/oauth/authorize"),
            token: Some("https://auth.openai.com/oauth/token"),
            device: Some("https://auth.openai.com/api/accounts/deviceauth/usercode"),
            userinfo: None,
            revoke: Some("https://auth.openai.com/oauth/revoke"),
        },
        takes_api_version: true,
        models: vec![],
        efforts: vec![],
    }
}

/// The name of the model provider Switchboard writes into `config.toml` for custom endpoints.
pub const CODEX_PROVIDER_NAME: &str = "switchboard";

/// Codex reads `auth.json` and `config.toml`. Switchboard pins the file credential store
/// (Codex's keyring mode would delete `auth.json`) and, for custom endpoints, adds its own
/// Responses-API model provider that uses the key from `auth.json`.
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut auth = file(paths.codex_dir().join("auth.json"), Format::Json);
    let mut config = file(paths.codex_dir().join("config.toml"), Format::Toml);
    if let Some(active) = active {
        if let Some(api_key) = api_key(active) {
            auth = auth
                .set(key(&["auth_mode"]), string("apikey"))
                .set(key(&["OPENAI_API_KEY"]), string(api_key));
            config = config.set(key(&["cli_auth_credentials_store"]), string("file"));
            if let Some(url) = base_url(active) {
                let mut provider = json!({
                    "name": format!("Switchboard: {}", active.account.label),
                    "base_url": url,
                    "wire_api": "responses",
                    "requires_openai_auth": true,
                });
                if let Some(version) = &active.account.endpoint.api_version {
                    provider["query_params"] = json!({ "api-version": version });
                }
                config = config
                    .set(key(&["model_provider"]), string(CODEX_PROVIDER_NAME))
                    .set(key(&["model_providers", CODEX_PROVIDER_NAME]), provider);
            }
            if let Some(model) = &active.account.model {
                config = config.set(key(&["model"]), string(model));
            }
        }
    }
    vec![auth, config]
}
