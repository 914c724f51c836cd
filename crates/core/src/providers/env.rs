//! The environment variables that hand a key account to its CLI without any file
//! (`switchboard env`, and `exec` for the CLIs without a relocatable config dir).

use super::files::{base_url, Active};
use crate::catalog::{AccountKind, ProviderId};
use crate::secret::Sensitive;
use crate::vault::AccountSecret;

/// `NAME=value` pairs for a key account; empty for sign-in accounts (they live in files).
pub fn key_env(
    provider: ProviderId,
    active: &Active<'_>,
) -> Vec<(&'static str, Sensitive<String>)> {
    let value = |text: &str| Sensitive::from(text);
    let region = active.account.region.as_deref().unwrap_or("us-east-1");
    let mut vars = match (provider, active.secret) {
        (_, AccountSecret::OAuthTokens(_)) => return Vec::new(),
        (ProviderId::Claude, AccountSecret::ApiKey(key)) => {
            vec![("ANTHROPIC_API_KEY", value(key.expose()))]
        }
        (
            ProviderId::Claude,
            AccountSecret::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
            },
        ) => vec![
            ("CLAUDE_CODE_USE_BEDROCK", value("1")),
            ("AWS_REGION", value(region)),
            ("AWS_ACCESS_KEY_ID", value(access_key_id.expose())),
            ("AWS_SECRET_ACCESS_KEY", value(secret_access_key.expose())),
        ],
        (ProviderId::Claude, AccountSecret::BedrockApiKey(key)) => vec![
            ("CLAUDE_CODE_USE_BEDROCK", value("1")),
            ("AWS_REGION", value(region)),
            ("AWS_BEARER_TOKEN_BEDROCK", value(key.expose())),
        ],
        (ProviderId::Codex, AccountSecret::ApiKey(key)) => {
            vec![("OPENAI_API_KEY", value(key.expose()))]
        }
        (ProviderId::Gemini, AccountSecret::ApiKey(key)) => {
            vec![("GEMINI_API_KEY", value(key.expose()))]
        }
        (ProviderId::Grok, AccountSecret::ApiKey(key)) => {
            vec![("XAI_API_KEY", value(key.expose()))]
        }
        (ProviderId::Bob, AccountSecret::ApiKey(key)) => {
            vec![("BOB_API_KEY", value(key.expose()))]
        }
        (ProviderId::Opencode, AccountSecret::ApiKey(key)) => {
            vec![("OPENROUTER_API_KEY", value(key.expose()))]
        }
        (ProviderId::Cursor, AccountSecret::ApiKey(key)) => {
            vec![("CURSOR_API_KEY", value(key.expose()))]
        }
        _ => Vec::new(),
    };
    if let Some(url) = base_url(active) {
        let name = match (provider, active.account.kind) {
            (ProviderId::Claude, AccountKind::Bedrock) => Some("ANTHROPIC_BEDROCK_BASE_URL"),
            (ProviderId::Claude, _) => Some("ANTHROPIC_BASE_URL"),
            (ProviderId::Gemini, _) => Some("GOOGLE_GEMINI_BASE_URL"),
            (ProviderId::Grok, _) => Some("GROK_BASE_URL"),
            _ => None,
        };
        if let Some(name) = name {
            vars.push((name, value(url)));
        }
    }
    vars
}

/// The variable that moves a CLI's config dir, for those that have one.
pub fn config_dir_var(provider: ProviderId) -> Option<&'static str> {
    match provider {
        ProviderId::Claude => Some("CLAUDE_CONFIG_DIR"),
        ProviderId::Codex => Some("CODEX_HOME"),
        ProviderId::Gemini => Some("GEMINI_CLI_HOME"),
        ProviderId::Grok => Some("GROK_HOME"),
        ProviderId::Bob | ProviderId::Opencode | ProviderId::Cursor => None,
    }
}
