//! Opencode: an OpenRouter key, written as opencode's `openrouter` auth entry.

use serde_json::{json, Value};

use super::files::{api_key, file, key, read_json, Active, FoundLogin};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::vault::AccountSecret;

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
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
        sign_in_methods: vec![],
        paste: None,
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

/// The `openrouter` key in opencode's `auth.json`.
pub(super) fn read_login(paths: &CliPaths) -> Option<FoundLogin> {
    let auth = read_json(&paths.opencode_dir().join("auth.json"))?;
    let entry = auth
        .get("openrouter")
        .filter(|e| e.get("type").and_then(Value::as_str) == Some("api"))?;
    let key = entry
        .get("key")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())?;
    Some(FoundLogin {
        provider: ProviderId::Opencode,
        kind: AccountKind::ApiKey,
        email: None,
        plan: None,
        identity: json!({}),
        secret: AccountSecret::ApiKey(Sensitive::from(key)),
    })
}
