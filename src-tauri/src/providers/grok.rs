//! Grok: xAI device-code sign-in and xAI API keys. Efforts depend on the model.

use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};

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
