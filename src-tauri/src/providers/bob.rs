//! IBM Bob Shell: browser sign-in through the Bob backend and Bob API keys (least verified).

use super::files::{api_key, file, key, string, Active};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};

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

/// `~/.bob/credentials.json` with `apiKey`. Bob Shell's own storage is the least known of all
/// the CLIs (it documents `BOB_API_KEY`); this shape is data here, easy to correct. [unverified]
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut credentials = file(paths.bob_dir().join("credentials.json"), Format::Json);
    if let Some(api_key) = active.and_then(api_key) {
        credentials = credentials.set(key(&["apiKey"]), string(api_key));
    }
    vec![credentials]
}
