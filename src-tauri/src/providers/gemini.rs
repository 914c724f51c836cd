//! Gemini CLI: Google OAuth and Gemini API keys (optional base URL and API version).

use super::files::{api_key, base_url, file, key, string, Active};
use crate::catalog::{AccountKind, DefaultEndpoints, ModelOption, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Gemini,
        display_name: "Gemini CLI",
        cli_command: "gemini",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "Gemini API key",
        key_prefixes: vec!["AIza"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://generativelanguage.googleapis.com",
            authorize: Some("https://accounts.google.com/o/oauth2/v2/auth"),
            token: Some("https://oauth2.googleapis.com/token"),
            device: None,
            userinfo: Some("https://www.googleapis.com/oauth2/v2/userinfo"),
            revoke: Some("https://oauth2.googleapis.com/revoke"),
        },
        takes_api_version: true,
        models: ["gemini-2.5-pro", "gemini-2.5-flash"]
            .into_iter()
            .map(|id| ModelOption {
                id,
                efforts: vec![],
                default_effort: None,
            })
            .collect(),
        efforts: vec![],
    }
}

/// Gemini CLI reads `GEMINI_API_KEY` (and a gateway base URL) from `~/.gemini/.env`, and
/// needs `security.auth.selectedType` in `settings.json`, or it prompts.
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let dir = paths.gemini_dir();
    let mut env = file(dir.join(".env"), Format::DotEnv);
    let mut settings = file(dir.join("settings.json"), Format::Json);
    if let Some(active) = active {
        if let Some(api_key) = api_key(active) {
            env = env.set(key(&["GEMINI_API_KEY"]), string(api_key));
            if let Some(url) = base_url(active) {
                env = env.set(key(&["GOOGLE_GEMINI_BASE_URL"]), string(url));
            }
            settings = settings.set(
                key(&["security", "auth", "selectedType"]),
                string("gemini-api-key"),
            );
            if let Some(model) = &active.account.model {
                settings = settings.set(key(&["model", "name"]), string(model));
            }
        }
    }
    vec![env, settings]
}
