//! Opencode: an OpenRouter key, written as opencode's `openrouter` auth entry.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::common::{
    api_key, bearer_probe, file, key, key_provider, key_variable, number, read_json, usage_object,
};
use super::{Active, Fetch, FoundLogin, Probe, Provider, UsageCredential};
use crate::catalog::{AccountKind, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::limits::{Limits, UsageFailure, UsageWindow};
use crate::secret::Sensitive;

/// Where opencode keeps its data (on macOS too).
const DATA_HOME_VAR: &str = "XDG_DATA_HOME";

/// `$XDG_DATA_HOME/opencode`, default `~/.local/share/opencode`.
fn opencode_dir(paths: &CliPaths) -> PathBuf {
    paths.dir_or_home(DATA_HOME_VAR, ".local/share").join("opencode")
}


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
        let mut auth = file(opencode_dir(paths).join("auth.json"), Format::Json);
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
        let auth = read_json(&opencode_dir(paths).join("auth.json"))?;
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
        vec![opencode_dir(paths).join("auth.json")]
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[DATA_HOME_VAR]
    }

    fn exec_variables(&self, dir: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![(DATA_HOME_VAR, dir.join("data"))]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        key_variable(active, "OPENROUTER_API_KEY")
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(bearer_probe(format!("{base}/key"), key))
    }

    fn reports_usage(&self, kind: AccountKind) -> bool {
        kind == AccountKind::ApiKey
    }

    /// The key's own limit and what it has used, from OpenRouter's `/key` (USAGE-AND-LIFECYCLE
    /// §1.5).
    fn read_limits(
        &self,
        credential: &UsageCredential<'_>,
        fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        let UsageCredential::Key { key, api_base } = credential else {
            return None;
        };
        let url = format!("{api_base}/key");
        let request = bearer_probe(url.clone(), key);
        Some(
            fetch
                .fetch(&request)
                .and_then(|body| openrouter_limits(&body, &url)),
        )
    }
}

/// OpenRouter's key report: a window when the key has a limit, a note of what it used when
/// it has none.
fn openrouter_limits(body: &Value, url: &str) -> Result<Limits, UsageFailure> {
    let data = usage_object(body, url)?
        .get("data")
        .filter(|d| d.is_object())
        .ok_or_else(|| super::common::garbled(url))?;
    let usage = number(data, "/usage").unwrap_or(0.0);
    let plan = (data.get("is_free_tier").and_then(Value::as_bool) == Some(true))
        .then(|| "free tier".to_owned());
    let Some(limit) = number(data, "/limit").filter(|l| *l > 0.0) else {
        return Ok(Limits {
            plan,
            note: Some(format!("No limit is set on this key; ${usage:.2} used.")),
            ..Limits::default()
        });
    };
    let used = match number(data, "/limit_remaining") {
        Some(left) => limit - left,
        None => usage,
    };
    let name = match data.get("limit_reset").and_then(Value::as_str) {
        Some("daily") => "Daily key limit",
        Some("weekly") => "Weekly key limit",
        Some("monthly") => "Monthly key limit",
        _ => "Key limit",
    };
    Ok(Limits {
        plan,
        windows: vec![UsageWindow::new(name, used / limit * 100.0, None)],
        note: Some(format!("${used:.2} of ${limit:.2} used.")),
        ..Limits::default()
    })
}
