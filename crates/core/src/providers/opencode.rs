//! Opencode: an OpenRouter key, written as opencode's `openrouter` auth entry.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::common::{api_key, bearer_probe, file, key, key_provider, key_variable, read_json};
use super::{Active, FoundLogin, Probe, Provider};
use crate::catalog::{ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;

pub struct Opencode;

impl Provider for Opencode {
    fn id(&self) -> ProviderId {
        ProviderId::Opencode
    }

    fn info(&self) -> ProviderInfo {
        key_provider(
            ProviderId::Opencode,
            "OpenRouter key",
            &["sk-or-"],
            "https://openrouter.ai/api/v1",
        )
    }

    /// opencode's `auth.json` is a map by provider id; Switchboard owns only `openrouter`.
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
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
    fn read_login(&self, paths: &CliPaths) -> Option<FoundLogin> {
        let auth = read_json(&paths.opencode_dir().join("auth.json"))?;
        let entry = auth
            .get("openrouter")
            .filter(|e| e.get("type").and_then(Value::as_str) == Some("api"))?;
        let key = entry
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())?;
        Some(FoundLogin::api_key(ProviderId::Opencode, key))
    }

    fn login_files(&self, paths: &CliPaths) -> Vec<PathBuf> {
        vec![paths.opencode_dir().join("auth.json")]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        key_variable(active, "OPENROUTER_API_KEY")
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(bearer_probe(format!("{base}/key"), key))
    }
}
