//! Claude Code: Anthropic subscription OAuth, Anthropic API keys and AWS Bedrock.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::common::{
    base_url, default_presets, expiry_ms, file, garbled, helper_command, instant_ms, key,
    key_provider, number, read_json, string, text, usage_object,
};
use super::{Active, Fetch, FoundLogin, Probe, Provider, UsageCredential};
use crate::catalog::{
    AccountKind, Effort, ModelOption, PasteKind, ProviderId, ProviderInfo, SignInMethod,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::limits::{Limits, UsageFailure, UsageWindow};
use crate::secret::{SecretJson, Sensitive};
use crate::signin::client::{BodyEncoding, LoopbackHost, OAuthClient};
use crate::vault::AccountSecret;

/// The AWS region a Bedrock account uses when none is given.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The variable that moves Claude Code's config dir (and its `.claude.json` into it).
const CONFIG_DIR_VAR: &str = "CLAUDE_CONFIG_DIR";

/// `~/.claude` or `$CLAUDE_CONFIG_DIR`.
fn claude_dir(paths: &CliPaths) -> PathBuf {
    paths.dir_or_home(CONFIG_DIR_VAR, ".claude")
}

/// `~/.claude.json`, or `.claude.json` inside `$CLAUDE_CONFIG_DIR`.
fn claude_json(paths: &CliPaths) -> PathBuf {
    match paths.var(CONFIG_DIR_VAR) {
        Some(dir) => dir.join(".claude.json"),
        None => paths.home.join(".claude.json"),
    }
}

pub struct Claude;

impl Provider for Claude {
    fn id(&self) -> ProviderId {
        ProviderId::Claude
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![
                AccountKind::Oauth,
                AccountKind::ApiKey,
                AccountKind::Bedrock,
            ],
            models: ["opus", "sonnet", "haiku"]
                .into_iter()
                .map(|id| ModelOption {
                    id,
                    efforts: vec![],
                    default_effort: None,
                })
                .collect(),
            efforts: Effort::ALL.to_vec(),
            endpoint_presets: default_presets(),
            default_region: Some(DEFAULT_REGION),
            ..key_provider(
                ProviderId::Claude,
                "Anthropic API key",
                &["sk-ant-api03-"],
                "https://api.anthropic.com",
            )
        }
    }

    /// Claude Code reads `.credentials.json` (subscription tokens), `oauthAccount` in
    /// `.claude.json` (identity) and `settings.json`. Keys never go into a file: `apiKeyHelper`
    /// and `awsCredentialExport` run `switchboard credential ...` instead. Only a Bedrock API key
    /// must sit in `settings.json` (`AWS_BEARER_TOKEN_BEDROCK`), as Claude Code has no helper for it.
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut credentials = file(claude_dir(paths).join(".credentials.json"), Format::Json);
        let mut identity = file(claude_json(paths), Format::Json);
        let mut settings = file(claude_dir(paths).join("settings.json"), Format::Json);
        if let Some(active) = active {
            let account = active.account;
            let region = account.region.as_deref().unwrap_or(DEFAULT_REGION);
            let helper_args = active.helper_args();
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
                        credentials = credentials.set_secret(key(&["claudeAiOauth"]), tokens);
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
                    settings =
                        settings.set(key(&["env", "ANTHROPIC_BEDROCK_BASE_URL"]), string(url));
                }
            }
            if let Some(model) = &account.model {
                settings = settings.set(key(&["model"]), string(model));
            }
            // The variable, not `effortLevel`: claude 2.1 ignores `effortLevel` in print
            // mode and never keeps `max` there, and honours the variable for every level
            // (checked against the real CLI's requests in tests/tests/effort.rs).
            if let Some(effort) = account.effort {
                settings = settings.set(
                    key(&["env", "CLAUDE_CODE_EFFORT_LEVEL"]),
                    string(effort.as_str()),
                );
            }
        }
        vec![credentials, identity, settings]
    }

    /// A subscription login: tokens in `.credentials.json`, identity in `.claude.json`.
    fn read_login(&self, paths: &CliPaths) -> Option<FoundLogin> {
        let file = read_json(&claude_dir(paths).join(".credentials.json"))?;
        let tokens = file.get("claudeAiOauth")?;
        tokens
            .get("refreshToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())?;
        let identity = read_json(&claude_json(paths))
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
            secret: AccountSecret::OAuthTokens(SecretJson::text_of(tokens)),
        })
    }

    fn login_files(&self, paths: &CliPaths) -> Vec<PathBuf> {
        vec![
            claude_dir(paths).join(".credentials.json"),
            claude_json(paths),
        ]
    }

    fn token_freshness(&self, tokens: &Value) -> Option<i64> {
        tokens.get("expiresAt").and_then(Value::as_i64)
    }

    /// The profile answer names the account under `account`.
    fn profile_email(&self, profile: &Value) -> Option<String> {
        text(Some(profile), "/account/email").map(str::to_owned)
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[SignInMethod::Browser, SignInMethod::Paste]
    }

    fn paste_kind(&self) -> PasteKind {
        PasteKind::CodeAndState
    }

    fn needs_profile(&self) -> bool {
        true
    }

    fn access_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/accessToken").map(str::to_owned)
    }

    fn refresh_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/refreshToken").map(str::to_owned)
    }

    fn expires_at(&self, tokens: &Value) -> Option<i64> {
        tokens.get("expiresAt").and_then(Value::as_i64)
    }

    /// `refreshTokenExpiresAt` (Unix ms), which newer Claude Code files carry.
    fn refresh_token_expires_at(&self, tokens: &Value) -> Option<i64> {
        tokens.get("refreshTokenExpiresAt").and_then(Value::as_i64)
    }

    /// `claudeAiOauth` with the new tokens; plan, tier and scopes stay.
    fn refreshed(&self, stored: &Value, response: &Value) -> Option<Value> {
        let mut tokens = stored.clone();
        tokens["accessToken"] = Value::from(text(Some(response), "/access_token")?);
        if let Some(refresh) = text(Some(response), "/refresh_token") {
            if tokens.get("refreshToken").and_then(Value::as_str) != Some(refresh) {
                // A new refresh token: the old one's expiry no longer holds.
                if let Some(fields) = tokens.as_object_mut() {
                    fields.remove("refreshTokenExpiresAt");
                }
            }
            tokens["refreshToken"] = Value::from(refresh);
        }
        if let Some(seconds) = response
            .get("refresh_token_expires_in")
            .and_then(Value::as_i64)
        {
            let seconds = seconds.clamp(0, crate::time::MAX_REFRESH_LIFETIME_SECS);
            tokens["refreshTokenExpiresAt"] =
                Value::from(crate::time::now_ms().saturating_add(seconds * 1000));
        }
        tokens["expiresAt"] = Value::from(expiry_ms(response, 8 * 3600));
        Some(tokens)
    }

    /// Claude Code's public OAuth client [RE]. The loopback redirect is
    /// `http://localhost:<any port>/callback`; the paste-back page shows `code#state`.
    fn oauth_client(&self) -> Option<OAuthClient> {
        Some(OAuthClient {
            token_body: BodyEncoding::Json,
            loopback_host: LoopbackHost::Localhost,
            paste_redirect_uri: Some("https://platform.claude.com/oauth/code/callback".into()),
            userinfo_url: Some("https://api.anthropic.com/api/oauth/profile".into()),
            usage_url: Some("https://api.anthropic.com/api/oauth/usage".into()),
            ..OAuthClient::new(
                ProviderId::Claude,
                "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
                "https://claude.ai/oauth/authorize",
                "https://platform.claude.com/v1/oauth/token",
                "org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload",
            )
            .with_params(&[("code", "true")])
        })
    }

    /// A subscription sign-in as Claude Code keeps it: `claudeAiOauth` tokens (with the plan)
    /// and the `oauthAccount` identity, from the token response's `account`/`organization` and
    /// the profile endpoint.
    fn login_from_tokens(&self, tokens: &Value, profile: Option<&Value>) -> Option<FoundLogin> {
        let access = text(Some(tokens), "/access_token")?;
        let refresh = text(Some(tokens), "/refresh_token")?;
        let scopes: Vec<&str> = text(Some(tokens), "/scope")
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let plan = text(profile, "/organization/organization_type")
            .map(|t| t.strip_prefix("claude_").unwrap_or(t).to_owned());
        let mut oauth = SecretJson::new(serde_json::json!({
            "accessToken": access,
            "refreshToken": refresh,
            "expiresAt": expiry_ms(tokens, 8 * 3600),
            "scopes": scopes,
        }));
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
            text(Some(tokens), "/organization/uuid")
                .or_else(|| text(profile, "/organization/uuid")),
        );
        put(
            "organizationName",
            text(Some(tokens), "/organization/name")
                .or_else(|| text(profile, "/organization/name")),
        );
        put("displayName", text(profile, "/account/display_name"));
        put("billingType", text(profile, "/organization/billing_type"));
        Some(FoundLogin {
            provider: ProviderId::Claude,
            kind: AccountKind::Oauth,
            email,
            plan,
            identity: Value::Object(identity),
            secret: AccountSecret::OAuthTokens(oauth.to_text()),
        })
    }

    fn relocation(&self, paths: &CliPaths) -> Option<(&'static str, PathBuf)> {
        Some((CONFIG_DIR_VAR, claude_dir(paths)))
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[CONFIG_DIR_VAR]
    }

    fn exec_variables(&self, dir: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![(CONFIG_DIR_VAR, dir.join("claude"))]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        let value = |text: &str| Sensitive::from(text);
        let region = active.account.region.as_deref().unwrap_or(DEFAULT_REGION);
        let mut vars = match active.secret {
            AccountSecret::OAuthTokens(_) => return Vec::new(),
            AccountSecret::ApiKey(key) => vec![("ANTHROPIC_API_KEY", value(key.expose()))],
            AccountSecret::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
            } => vec![
                ("CLAUDE_CODE_USE_BEDROCK", value("1")),
                ("AWS_REGION", value(region)),
                ("AWS_ACCESS_KEY_ID", value(access_key_id.expose())),
                ("AWS_SECRET_ACCESS_KEY", value(secret_access_key.expose())),
            ],
            AccountSecret::BedrockApiKey(key) => vec![
                ("CLAUDE_CODE_USE_BEDROCK", value("1")),
                ("AWS_REGION", value(region)),
                ("AWS_BEARER_TOKEN_BEDROCK", value(key.expose())),
            ],
        };
        if let Some(url) = base_url(active) {
            let name = if active.account.kind == AccountKind::Bedrock {
                "ANTHROPIC_BEDROCK_BASE_URL"
            } else {
                "ANTHROPIC_BASE_URL"
            };
            vars.push((name, value(url)));
        }
        vars
    }

    /// `apiKeyHelper` gets the key, `awsCredentialExport` the AWS credentials as JSON.
    fn helper_credential(&self, secret: &AccountSecret) -> Option<Sensitive<String>> {
        match secret {
            AccountSecret::ApiKey(key) => Some(key.clone()),
            AccountSecret::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
            } => {
                let credentials = SecretJson::new(json!({
                    "Credentials": {
                        "AccessKeyId": access_key_id.expose(),
                        "SecretAccessKey": secret_access_key.expose(),
                    }
                }));
                Some(credentials.to_text())
            }
            _ => None,
        }
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(Probe::Get(
            format!("{base}/v1/models"),
            vec![
                ("x-api-key", key.to_owned()),
                ("anthropic-version", "2023-06-01".into()),
            ],
        ))
    }

    /// The subscription's windows from the OAuth usage endpoint (USAGE-AND-LIFECYCLE §1.1).
    /// It wants the OAuth beta header, and a `claude-code/…` User-Agent: without one the
    /// requests land in a bucket that stays on HTTP 429.
    fn read_limits(
        &self,
        credential: &UsageCredential<'_>,
        fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        let (tokens, _, url) = credential.sign_in()?;
        let access = self.access_token(tokens)?;
        let request = Probe::Get(
            url.to_owned(),
            vec![
                ("Authorization", format!("Bearer {access}")),
                ("anthropic-beta", "oauth-2025-04-20".to_owned()),
                ("User-Agent", "claude-code/2.1.0".to_owned()),
            ],
        );
        Some(
            fetch
                .fetch(&request)
                .and_then(|body| claude_limits(&body, url)),
        )
    }
}

/// Claude's usage answer as windows: every object with a numeric `utilization` (the
/// codenamed ones come and go), then the per-model weekly caps of `limits[]` not already
/// there. The five-hour and seven-day windows come first.
fn claude_limits(body: &Value, url: &str) -> Result<Limits, UsageFailure> {
    let object = usage_object(body, url)?;
    if !["five_hour", "seven_day", "limits"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return Err(garbled(url));
    }
    let mut windows: Vec<UsageWindow> = Vec::new();
    for (key, value) in object {
        let Some(used) = number(value, "/utilization") else {
            continue;
        };
        let resets = value.get("resets_at").and_then(instant_ms);
        let mut window = UsageWindow::new(claude_window_name(key), used, resets);
        window.locked = text(Some(value), "/locked_reason").map(crate::text::from_provider);
        windows.push(window);
    }
    for limit in body
        .get("limits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(model) = text(Some(limit), "/scope/model/display_name") else {
            continue;
        };
        let name = format!("7-day {}", crate::text::from_provider(model));
        if let (Some(used), false) = (
            number(limit, "/percent"),
            windows.iter().any(|w| w.name == name),
        ) {
            let resets = limit.get("resets_at").and_then(instant_ms);
            windows.push(UsageWindow::new(name, used, resets));
        }
    }
    let rank = |name: &str| match name {
        "5-hour" => 0,
        "7-day" => 1,
        _ => 2,
    };
    windows.sort_by(|a, b| rank(&a.name).cmp(&rank(&b.name)).then(a.name.cmp(&b.name)));
    Ok(Limits {
        windows,
        note: extra_usage(body.get("extra_usage")),
        ..Limits::default()
    })
}

/// Extra usage (pay as you go past the plan), in words, when it is on: money comes in minor
/// units. Not a window: reaching it never stops the plan's own use.
fn extra_usage(extra: Option<&Value>) -> Option<String> {
    let extra = extra.filter(|e| e.get("is_enabled").and_then(Value::as_bool) == Some(true))?;
    let places = number(extra, "/decimal_places")
        .unwrap_or(2.0)
        .clamp(0.0, 6.0);
    let scale = 10f64.powf(places);
    let currency = text(Some(extra), "/currency")
        .map(crate::text::from_provider)
        .unwrap_or_else(|| "USD".to_owned());
    let used = number(extra, "/used_credits").unwrap_or(0.0) / scale;
    let places = places as usize;
    Some(match number(extra, "/monthly_limit") {
        Some(limit) => format!(
            "Extra usage: {used:.places$} of {:.places$} {currency} this month.",
            limit / scale
        ),
        None => format!("Extra usage: {used:.places$} {currency} this month."),
    })
}

/// `five_hour` → "5-hour", `seven_day_opus` → "7-day Opus", `nimbus_quill` → "Nimbus quill".
fn claude_window_name(key: &str) -> String {
    let words = |rest: &str| {
        let mut text = rest.replace('_', " ");
        if let Some(first) = text.get(..1) {
            text.replace_range(..1, &first.to_uppercase());
        }
        text
    };
    match key {
        "five_hour" => "5-hour".to_owned(),
        "seven_day" => "7-day".to_owned(),
        _ => match key.strip_prefix("seven_day_") {
            Some(rest) => format!("7-day {}", words(rest)),
            None => words(key),
        },
    }
}
