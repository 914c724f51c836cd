//! Opencode: an OpenRouter key, written as opencode's `openrouter` auth entry.

use serde_json::json;

use super::files::{api_key, file, key, Active};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};

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

/// opencode's `auth.json` is a map by provider id; Switchboard owns only `openrouter`.
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut auth = file(paths.opencode_dir().join("auth.json"), Format::Json);
    if let Some(api_key) = active.and_then(api_key) {
        auth = auth.set(
            key(&["openrouter"]),
            json!({ "type": "api", "key": api_key }),
        );
    }
    vec![auth]
}
