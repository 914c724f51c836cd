//! Claude Code: Anthropic subscription OAuth, Anthropic API keys and AWS Bedrock.

use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Claude,
        display_name: "Claude Code",
        cli_command: "claude",
        account_kinds: vec![
            AccountKind::Oauth,
            AccountKind::ApiKey,
            AccountKind::Bedrock,
        ],
        key_name: "Anthropic API key",
        key_prefixes: vec!["sk-ant-api03-"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://api.anthropic.com",
            authorize: Some("https://claude.ai/oauth/authorize"),
            token: Some("https://platform.claude.com/v1/oauth/token"),
            device: None,
            userinfo: Some("https://api.anthropic.com/api/oauth/profile"),
            revoke: None,
        },
        takes_api_version: false,
        models: ["opus", "sonnet", "haiku"]
            .into_iter()
            .map(|id| ModelOption {
                id,
                efforts: vec![],
                default_effort: None,
            })
            .collect(),
        efforts: Effort::ALL.to_vec(),
    }
}
