//! Claude Code: Anthropic subscription OAuth, Anthropic API keys and AWS Bedrock.

use serde_json::Value;

use super::files::{base_url, file, helper_command, key, read_json, string, Active, FoundLogin};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::vault::AccountSecret;

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Claude,
        display_name: "Claude Code",
        cli_command: "claude",
        account_kinds: vec![
            AccountKind::Oauth,
            AccountKind::ApiKey,
            AccountKind::Bedrock,
        ],
        key_name: "Anthropic API key",
        key_prefixes: vec!["sk-ant-api03-"],
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints {
            api_base: "https://api.anthropic.com",
            authorize: Some("https://claude.ai/oauth/authorize"),
            token: Some("https://platform.claude.com/v1/oauth/token"),
            device: None,
            userinfo: Some("https://api.anthropic.com/api/oauth/profile"),
            revoke: None,
        },
        takes_api_version: false,
        models: ["opus", "sonnet", "haiku"]
            .into_iter()
            .map(|id| ModelOption {
                id,
                efforts: vec![],
                default_effort: None,
            })
            .collect(),
        efforts: Effort::ALL.to_vec(),
    }
}

/// Claude Code reads `.credentials.json` (subscription tokens), `oauthAccount` in
/// `.claude.json` (identity) and `settings.json`. Keys never go into a file: `apiKeyHelper`
/// and `awsCredentialExport` run `switchboard credential ...` instead. Only a Bedrock API key
/// must sit in `settings.json` (`AWS_BEARER_TOKEN_BEDROCK`), as Claude Code has no helper for it.
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
    let mut credentials = file(paths.claude_dir().join(".credentials.json"), Format::Json);
    let mut identity = file(paths.claude_json(), Format::Json);
    let mut settings = file(paths.claude_dir().join("settings.json"), Format::Json);
    if let Some(active) = active {
        let account = active.account;
        let region = account.region.as_deref().unwrap_or("us-east-1");
        match active.secret {
            AccountSecret::ApiKey(_) => {
                settings = settings.set(
                    key(&["apiKeyHelper"]),
                    string(&helper_command(
                        active.helper_exe,
                        &["credential", "claude"],
                    )),
                );
                if let Some(url) = base_url(active) {
                    settings = settings.set(key(&["env", "ANTHROPIC_BASE_URL"]), string(url));
                }
            }
            AccountSecret::BedrockAccessKeys { .. } => {
                settings = settings
                    .set(key(&["env", "CLAUDE_CODE_USE_BEDROCK"]), string("1"))
                    .set(key(&["env", "AWS_REGION"]), string(region))
                    .set(
                        key(&["awsCredentialExport"]),
                        string(&helper_command(
                            active.helper_exe,
                            &["credential", "claude"],
                        )),
                    );
            }
            AccountSecret::OAuthTokens(_) => {
                if let Some(tokens) = active.secret.oauth_tokens() {
                    credentials = credentials.set(key(&["claudeAiOauth"]), tokens);
                }
                if active.identity.as_object().is_some_and(|o| !o.is_empty()) {
                    identity = identity.set(key(&["oauthAccount"]), active.identity.clone());
                }
            }
            AccountSecret::BedrockApiKey(bedrock_key) => {
                settings = settings
                    .set(key(&["env", "CLAUDE_CODE_USE_BEDROCK"]), string("1"))
                    .set(key(&["env", "AWS_REGION"]), string(region))
                    .set(
                        key(&["env", "AWS_BEARER_TOKEN_BEDROCK"]),
                        string(bedrock_key.expose()),
                    );
            }
        }
        if account.kind == AccountKind::Bedrock {
            if let Some(url) = base_url(active) {
                settings = settings.set(key(&["env", "ANTHROPIC_BEDROCK_BASE_URL"]), string(url));
            }
        }
        if let Some(model) = &account.model {
            settings = settings.set(key(&["model"]), string(model));
        }
    }
    vec![credentials, identity, settings]
}

/// A subscription login: tokens in `.credentials.json`, identity in `.claude.json`.
pub(super) fn read_login(paths: &CliPaths) -> Option<FoundLogin> {
    let tokens = read_json(&paths.claude_dir().join(".credentials.json"))?
        .get("claudeAiOauth")?
        .clone();
    tokens
        .get("refreshToken")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())?;
    let identity = read_json(&paths.claude_json())
        .and_then(|v| v.get("oauthAccount").cloned())
        .unwrap_or_else(|| Value::Object(Default::default()));
    Some(FoundLogin {
        provider: ProviderId::Claude,
        kind: AccountKind::Oauth,
        email: identity
            .get("emailAddress")
            .and_then(Value::as_str)
            .map(str::to_owned),
        plan: tokens
            .get("subscriptionType")
            .and_then(Value::as_str)
            .map(str::to_owned),
        identity,
        secret: AccountSecret::OAuthTokens(Sensitive::new(tokens.to_string())),
    })
}
