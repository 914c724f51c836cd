//! Cursor agent: a Cursor API key (`crsr_`), exchanged by the CLI for tokens.

use super::common::{api_key, file, key, provider_default, string};
use super::{Active, Probe, Provider};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;

pub struct Cursor;

impl Provider for Cursor {
    fn id(&self) -> ProviderId {
        ProviderId::Cursor
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            id: ProviderId::Cursor,
            display_name: ProviderId::Cursor.display_name(),
            cli_command: ProviderId::Cursor.cli_command(),
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
            endpoint_presets: vec![provider_default()],
            default_region: None,
        }
    }

    /// `cursor-agent` keeps its login in `~/.config/cursor/auth.json` on Linux; an API key goes
    /// in its `apiKey` field, which the agent exchanges for tokens. [RE]
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut auth = file(paths.cursor_dir().join("auth.json"), Format::Json);
        if let Some(api_key) = active.and_then(api_key) {
            auth = auth.set(key(&["apiKey"]), string(api_key));
        }
        vec![auth]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        api_key(active)
            .map(|key| vec![("CURSOR_API_KEY", Sensitive::from(key))])
            .unwrap_or_default()
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(Probe::PostEmpty(
            format!("{base}/auth/exchange_user_api_key"),
            vec![("Authorization", format!("Bearer {key}"))],
        ))
    }
}
