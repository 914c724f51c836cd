//! Cursor agent: a Cursor API key (`crsr_`), exchanged by the CLI for tokens.

use super::common::{api_key, file, key, key_provider, key_variable, string};
use super::{Active, Probe, Provider};
use crate::catalog::{ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;

/// Where cursor-agent keeps its config.
const CONFIG_HOME_VAR: &str = "XDG_CONFIG_HOME";

/// `$XDG_CONFIG_HOME/cursor`, default `~/.config/cursor`.
fn cursor_dir(paths: &CliPaths) -> std::path::PathBuf {
    paths.dir_or_home(CONFIG_HOME_VAR, ".config").join("cursor")
}

pub struct Cursor;

impl Provider for Cursor {
    fn id(&self) -> ProviderId {
        ProviderId::Cursor
    }

    fn info(&self) -> ProviderInfo {
        key_provider(
            ProviderId::Cursor,
            "Cursor API key",
            &["crsr_"],
            "https://api2.cursor.sh",
        )
    }

    /// `cursor-agent` keeps its login in `~/.config/cursor/auth.json` on Linux; an API key goes
    /// in its `apiKey` field, which the agent exchanges for tokens. [RE]
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut auth = file(cursor_dir(paths).join("auth.json"), Format::Json);
        if let Some(api_key) = active.and_then(api_key) {
            auth = auth.set(key(&["apiKey"]), string(api_key));
        }
        vec![auth]
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[CONFIG_HOME_VAR]
    }

    fn exec_variables(&self, dir: &std::path::Path) -> Vec<(&'static str, std::path::PathBuf)> {
        vec![(CONFIG_HOME_VAR, dir.join("config"))]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        key_variable(active, "CURSOR_API_KEY")
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(Probe::PostEmpty(
            format!("{base}/auth/exchange_user_api_key"),
            vec![("Authorization", format!("Bearer {key}"))],
        ))
    }
}
