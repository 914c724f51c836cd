//! Codex: ChatGPT OAuth, OpenAI API keys and Responses-compatible custom endpoints.

use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};

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
