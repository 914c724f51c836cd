//! Gemini CLI: Google OAuth and Gemini API keys (optional base URL and API version).

use crate::catalog::{AccountKind, DefaultEndpoints, ModelOption, ProviderId, ProviderInfo};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Gemini,
        display_name: "Gemini CLI",
        cli_command: "gemini",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "Gemini API key",
        key_prefixes: vec!["AIza"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://generativelanguage.googleapis.com",
            authorize: Some("https://accounts.google.com/o/oauth2/v2/auth"),
            token: Some("https://oauth2.googleapis.com/token"),
            device: None,
            userinfo: Some("https://www.googleapis.com/oauth2/v2/userinfo"),
            revoke: Some("https://oauth2.googleapis.com/revoke"),
        },
        takes_api_version: true,
        models: ["gemini-2.5-pro", "gemini-2.5-flash"]
            .into_iter()
            .map(|id| ModelOption {
                id,
                efforts: vec![],
                default_effort: None,
            })
            .collect(),
        efforts: vec![],
    }
}
