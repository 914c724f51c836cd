//! Claude Code: Anthropic subscription OAuth, Anthropic API keys and AWS Bedrock.

use serde_json::Value;

use super::files::{base_url, file, helper_command, key, read_json, string, Active, FoundLogin};
use super::sign_in::{expiry_ms, text};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, ProviderId, ProviderInfo,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::signin::client::{BodyEncoding, LoopbackHost, OAuthClient};
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
        sign_in_methods: vec![],
        paste: None,
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
        let helper_args = active.helper_args("claude");
        let helper_args: Vec<&str> = helper_args.iter().map(String::as_str).collect();
        let helper = helper_command(active.helper_exe, &helper_args);
        match active.secret {
            AccountSecret::ApiKey(_) => {
                settings = settings.set(key(&["apiKeyHelper"]), string(&helper));
                if let Some(url) = base_url(active) {
                    settings = settings.set(key(&["env", "ANTHROPIC_BASE_URL"]), string(url));
                }
            }
            AccountSecret::BedrockAccessKeys { .. } => {
                settings = settings
                    .set(key(&["env", "CLAUDE_CODE_USE_BEDROCK"]), string("1"))
                    .set(key(&["env", "AWS_REGION"]), string(region))
                    .set(key(&["awsCredentialExport"]), string(&helper));
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

/// Claude Code's public OAuth client [RE]. The loopback redirect is
/// `http://localhost:<any port>/callback`; the paste-back page shows `code#state`.
pub(super) fn oauth_client() -> OAuthClient {
    OAuthClient {
        token_body: BodyEncoding::Json,
        loopback_host: LoopbackHost::Localhost,
        paste_redirect_uri: Some("https://platform.claude.com/oauth/code/callback".into()),
        userinfo_url: Some("https://api.anthropic.com/api/oauth/profile".into()),
        ..OAuthClient::new(
            ProviderId::Claude,
            "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
            "https://claude.ai/oauth/authorize",
            "https://platform.claude.com/v1/oauth/token",
            "org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload",
        )
        .with_params(&[("code", "true")])
    }
}

/// A subscription sign-in as Claude Code keeps it: `claudeAiOauth` tokens (with the plan)
/// and the `oauthAccount` identity, from the token response's `account`/`organization` and
/// the profile endpoint.
pub(super) fn signed_in(tokens: &Value, profile: Option<&Value>) -> Option<FoundLogin> {
    let access = text(Some(tokens), "/access_token")?;
    let refresh = text(Some(tokens), "/refresh_token")?;
    let scopes: Vec<&str> = text(Some(tokens), "/scope")
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let plan = text(profile, "/organization/organization_type")
        .map(|t| t.strip_prefix("claude_").unwrap_or(t).to_owned());
    let mut oauth = serde_json::json!({
        "accessToken": access,
        "refreshToken": refresh,
        "expiresAt": expiry_ms(tokens, 8 * 3600),
        "scopes": scopes,
    });
    if let Some(plan) = &plan {
        oauth["subscriptionType"] = Value::from(plan.as_str());
    }
    if let Some(tier) = text(profile, "/organization/rate_limit_tier") {
        oauth["rateLimitTier"] = Value::from(tier);
    }
    let email = text(Some(tokens), "/account/email_address")
        .or_else(|| text(profile, "/account/email"))
        .map(str::to_owned);
    let mut identity = serde_json::Map::new();
    let mut put = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            identity.insert(name.to_owned(), Value::from(value));
        }
    };
    put(
        "accountUuid",
        text(Some(tokens), "/account/uuid").or_else(|| text(profile, "/account/uuid")),
    );
    put("emailAddress", email.as_deref());
    put(
        "organizationUuid",
        text(Some(tokens), "/organization/uuid").or_else(|| text(profile, "/organization/uuid")),
    );
    put(
        "organizationName",
        text(Some(tokens), "/organization/name").or_else(|| text(profile, "/organization/name")),
    );
    put("displayName", text(profile, "/account/display_name"));
    put("billingType", text(profile, "/organization/billing_type"));
    Some(FoundLogin {
        provider: ProviderId::Claude,
        kind: AccountKind::Oauth,
        email,
        plan,
        identity: Value::Object(identity),
        secret: AccountSecret::OAuthTokens(Sensitive::new(oauth.to_string())),
    })
}
