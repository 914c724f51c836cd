//! Cursor agent: a Cursor API key (`crsr_`), exchanged by the CLI for tokens.

use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};

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
            ..DefaultEndpoints::default()
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
    }
}
