//! IBM Bob Shell: browser sign-in through the Bob backend and Bob API keys (least verified).

use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Bob,
        display_name: "Bob Shell",
        cli_command: "bob",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "Bob API key",
        key_prefixes: vec!["bob_prod_", "sk-", "pk-"],
        key_may_be_jwt: true,
        endpoints: DefaultEndpoints {
            api_base: "https://api.us-east.bob.ibm.com",
            authorize: None,
            token: None,
            device: None,
            userinfo: Some("https://api.us-east.bob.ibm.com/admin/v1/profile"),
            revoke: None,
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
    }
}
