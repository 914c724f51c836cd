//! Grok: xAI device-code sign-in and xAI API keys. Efforts depend on the model.

use super::files::{api_key, base_url, file, key, string, Active};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};
use crate::files::{CliPaths, DesiredFile, Format};

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

/// The file an xAI key goes to: `user-settings.json` under `~/.grok` (`GROK_HOME`), read by
/// the community `grok-cli` ({apiKey, baseURL}). Grok Build itself takes a key only from
/// `XAI_API_KEY`; its session file (`auth.json`) is for sign-in accounts. [RE, unverified]
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut settings = file(paths.grok_dir().join("user-settings.json"), Format::Json);
    if let Some(active) = active {
        if let Some(api_key) = api_key(active) {
            settings = settings.set(key(&["apiKey"]), string(api_key));
            if let Some(url) = base_url(active) {
                settings = settings.set(key(&["baseURL"]), string(url));
            }
        }
    }
    vec![settings]
}
