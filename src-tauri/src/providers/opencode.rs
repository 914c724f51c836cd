//! Opencode: an OpenRouter key, written as opencode's `openrouter` auth entry.

use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Opencode,
        display_name: "Opencode",
        cli_command: "opencode",
        account_kinds: vec![AccountKind::ApiKey],
        key_name: "OpenRouter key",
        key_prefixes: vec!["sk-or-"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://openrouter.ai/api/v1",
            ..DefaultEndpoints::default()
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
    }
}
