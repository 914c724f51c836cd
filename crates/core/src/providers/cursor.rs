//! Cursor agent: a Cursor API key (`crsr_`), exchanged by the CLI for tokens.

use super::files::{api_key, file, key, string, Active};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Cursor,
        display_name: "Cursor agent",
        cli_command: "cursor-agent",
        account_kinds: vec![AccountKind::ApiKey],
        key_name: "Cursor API key",
        key_prefixes: vec!["crsr_"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://api2.cursor.sh",
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
        sign_in_methods: vec![],
        paste: None,
    }
}

/// `cursor-agent` keeps its login in `~/.config/cursor/auth.json` on Linux; an API key goes
/// in its `apiKey` field, which the agent exchanges for tokens. [RE]
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut auth = file(paths.cursor_dir().join("auth.json"), Format::Json);
    if let Some(api_key) = active.and_then(api_key) {
        auth = auth.set(key(&["apiKey"]), string(api_key));
    }
    vec![auth]
}
