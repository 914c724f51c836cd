//! Codex: ChatGPT OAuth, OpenAI API keys and Responses-compatible custom endpoints.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::common::{
    api_key, base_url, bearer_probe, custom, file, garbled, instant_ms, jwt_claims, key,
    key_provider, key_variable, number, provider_default, read_json, string, text, usage_object,
    window_name,
};
use super::{Active, Fetch, FoundLogin, Probe, Provider, UsageCredential};
use crate::catalog::{
    AccountKind, Effort, EndpointPreset, PresetOption, ProviderId, ProviderInfo, SignInMethod,
};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::limits::{Limits, UsageFailure, UsageWindow};
use crate::secret::{SecretJson, Sensitive};
use crate::signin::client::{DeviceDialect, LoopbackHost, OAuthClient};
use crate::vault::AccountSecret;

/// The name of the model provider Switchboard writes into `config.toml` for custom endpoints.
pub const CODEX_PROVIDER_NAME: &str = "switchboard";

/// LM Studio's default server address.
pub const LOCAL_RESPONSES_URL: &str = "http://localhost:1234/v1";
/// The Azure OpenAI API version Codex's docs use for the Responses API.
pub const AZURE_DEFAULT_API_VERSION: &str = "2025-04-01-preview";

/// Codex's endpoint types.
fn presets() -> Vec<PresetOption> {
    vec![
        provider_default(),
        PresetOption {
            preset: EndpointPreset::ResponsesHosted,
            label: "Responses-compatible hosted (e.g. LiteLLM)",
            placeholder: "https://litellm.example.com/v1",
            needs_url: true,
            default_api_version: None,
            note: None,
        },
        PresetOption {
            preset: EndpointPreset::LocalResponses,
            label: "Local Responses-compatible (LM Studio)",
            placeholder: LOCAL_RESPONSES_URL,
            needs_url: false,
            default_api_version: None,
            note: None,
        },
        PresetOption {
            preset: EndpointPreset::AzureOpenai,
            label: "Azure OpenAI",
            placeholder: "https://my-resource.openai.azure.com",
            needs_url: true,
            default_api_version: Some(AZURE_DEFAULT_API_VERSION),
            note: Some(
                "Rewritten to https://<resource>.openai.azure.com/openai for the Responses API.",
            ),
        },
        custom(),
    ]
}

/// The variable that moves Codex's home.
const HOME_VAR: &str = "CODEX_HOME";

/// `~/.codex` or `$CODEX_HOME`.
fn codex_dir(paths: &CliPaths) -> PathBuf {
    paths.dir_or_home(HOME_VAR, ".codex")
}


pub struct Codex;

impl Provider for Codex {
    fn id(&self) -> ProviderId {
        ProviderId::Codex
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
            takes_api_version: true,
            // `model_reasoning_effort` in config.toml; Codex has no `max`.
            efforts: vec![Effort::Low, Effort::Medium, Effort::High, Effort::Xhigh],
            endpoint_presets: presets(),
            ..key_provider(
                ProviderId::Codex,
                "OpenAI API key",
                &["sk-"],
                "https://api.openai.com/v1",
            )
        }
    }

    /// Codex reads `auth.json` and `config.toml`. Switchboard pins the file credential store
    /// (Codex's keyring mode would delete `auth.json`) and, for custom endpoints, adds its own
    /// Responses-API model provider that uses the key from `auth.json`.
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut auth = file(codex_dir(paths).join("auth.json"), Format::Json).removed_when_empty();
        let mut config = file(codex_dir(paths).join("config.toml"), Format::Toml);
        if let Some(active) = active {
            if let Some(api_key) = api_key(active) {
                auth = auth
                    .set(key(&["auth_mode"]), string("apikey"))
                    .set(key(&["OPENAI_API_KEY"]), string(api_key));
                config = config.set(key(&["cli_auth_credentials_store"]), string("file"));
                if let Some(url) = base_url(active) {
                    let mut provider = json!({
                        "name": format!("Switchboard: {}", active.account.label),
                        "base_url": url,
                        "wire_api": "responses",
                        "requires_openai_auth": true,
                    });
                    if let Some(version) = &active.account.endpoint.api_version {
                        provider["query_params"] = json!({ "api-version": version });
                    }
                    config = config
                        .set(key(&["model_provider"]), string(CODEX_PROVIDER_NAME))
                        .set(key(&["model_providers", CODEX_PROVIDER_NAME]), provider);
                }
            } else if let Some(tokens) = active.secret.oauth_tokens() {
                auth = auth.set(key(&["auth_mode"]), string("chatgpt"));
                for field in ["OPENAI_API_KEY", "tokens", "last_refresh"] {
                    auth = auth.set(
                        key(&[field]),
                        tokens.get(field).cloned().unwrap_or(Value::Null),
                    );
                }
                config = config.set(key(&["cli_auth_credentials_store"]), string("file"));
            }
            if let Some(model) = &active.account.model {
                config = config.set(key(&["model"]), string(model));
            }
            if let Some(effort) = active.account.effort {
                config = config.set(key(&["model_reasoning_effort"]), string(effort.as_str()));
            }
        }
        vec![auth, config]
    }

    /// A ChatGPT login (identity from the `id_token` claims) or an API key in `auth.json`.
    fn read_login(&self, paths: &CliPaths) -> Option<FoundLogin> {
        let auth = read_json(&codex_dir(paths).join("auth.json"))?;
        let tokens = auth
            .get("tokens")
            .filter(|t| t.get("refresh_token").is_some());
        if let Some(tokens) = tokens {
            return Some(chatgpt_login(&auth, tokens));
        }
        let key = auth
            .get("OPENAI_API_KEY")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())?;
        Some(FoundLogin::api_key(ProviderId::Codex, key))
    }

    fn login_files(&self, paths: &CliPaths) -> Vec<PathBuf> {
        vec![codex_dir(paths).join("auth.json")]
    }

    fn token_freshness(&self, tokens: &Value) -> Option<i64> {
        crate::time::parse_rfc3339(tokens.get("last_refresh")?.as_str()?)
    }

    /// `last_refresh` is when codex refreshed: never in the future but for clock skew.
    fn freshness_horizon_ms(&self) -> i64 {
        10 * 60 * 1000
    }

    fn switch_caveat(&self) -> Option<&'static str> {
        Some("A running codex session refuses a different account until it is restarted.")
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[
            SignInMethod::Browser,
            SignInMethod::Paste,
            SignInMethod::Device,
        ]
    }

    fn access_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/tokens/access_token").map(str::to_owned)
    }

    fn refresh_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/tokens/refresh_token").map(str::to_owned)
    }

    /// The access token is a JWT: its `exp`.
    fn expires_at(&self, tokens: &Value) -> Option<i64> {
        let claims = jwt_claims(text(Some(tokens), "/tokens/access_token")?)?;
        crate::providers::common::instant_ms(claims.get("exp")?)
    }

    /// `auth.json` with the new tokens and `last_refresh` now, as `codex` writes it.
    fn refreshed(&self, stored: &Value, response: &Value) -> Option<Value> {
        let mut auth = stored.clone();
        auth["tokens"]["access_token"] = Value::from(text(Some(response), "/access_token")?);
        for name in ["refresh_token", "id_token"] {
            if let Some(value) = text(Some(response), &format!("/{name}")) {
                auth["tokens"][name] = Value::from(value);
            }
        }
        auth["last_refresh"] = Value::from(crate::time::rfc3339(crate::time::now_ms()));
        Some(auth)
    }

    /// Codex's ChatGPT client [SRC: codex-rs/login]: loopback `localhost:1455/auth/callback`
    /// (1457 when busy; no other ports are registered), and OpenAI's device sign-in.
    fn oauth_client(&self) -> Option<OAuthClient> {
        let issuer = "https://auth.openai.com";
        Some(OAuthClient {
            loopback_host: LoopbackHost::Localhost,
            loopback_path: "/auth/callback".into(),
            loopback_ports: vec![1455, 1457],
            revoke_url: Some(format!("{issuer}/oauth/revoke")),
            usage_url: Some("https://chatgpt.com/backend-api/wham/usage".into()),
            device_dialect: Some(DeviceDialect::OpenAi),
            device_code_url: Some(format!("{issuer}/api/accounts/deviceauth/usercode")),
            device_token_url: Some(format!("{issuer}/api/accounts/deviceauth/token")),
            device_verification_url: Some(format!("{issuer}/codex/device")),
            device_redirect_uri: Some(format!("{issuer}/deviceauth/callback")),
            ..OAuthClient::new(
                ProviderId::Codex,
                "app_EMoamEEZ73f0CkXaXp7hrann",
                &format!("{issuer}/oauth/authorize"),
                &format!("{issuer}/oauth/token"),
                "openid profile email offline_access api.connectors.read api.connectors.invoke",
            )
            .with_params(&[
                ("id_token_add_organizations", "true"),
                ("codex_cli_simplified_flow", "true"),
                ("originator", "codex_cli_rs"),
            ])
        })
    }

    /// A ChatGPT sign-in as `auth.json` holds it (`tokens` with the account id from the
    /// `id_token`, `last_refresh` now).
    fn login_from_tokens(&self, response: &Value, _profile: Option<&Value>) -> Option<FoundLogin> {
        let field = |name: &str| {
            response
                .get(name)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
        };
        let id_token = field("id_token")?;
        let account_id = jwt_claims(id_token)
            .and_then(|c| {
                c.pointer("/https:~1~1api.openai.com~1auth/chatgpt_account_id")
                    .cloned()
            })
            .unwrap_or(Value::Null);
        let tokens = SecretJson::new(json!({
            "id_token": id_token,
            "access_token": field("access_token")?,
            "refresh_token": field("refresh_token")?,
            "account_id": account_id,
        }));
        let now = crate::time::rfc3339(crate::time::now_ms());
        let auth = json!({ "OPENAI_API_KEY": null, "last_refresh": now });
        Some(chatgpt_login(&auth, &tokens))
    }

    fn relocation(&self, paths: &CliPaths) -> Option<(&'static str, PathBuf)> {
        Some((HOME_VAR, codex_dir(paths)))
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[HOME_VAR]
    }

    fn exec_variables(&self, dir: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![(HOME_VAR, dir.join("codex"))]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        key_variable(active, "OPENAI_API_KEY")
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(bearer_probe(format!("{base}/models"), key))
    }

    /// ChatGPT sign-ins have no profile endpoint; the usage endpoint reads the limits with
    /// the access token and the account id, spending and rotating nothing
    /// (USAGE-AND-LIFECYCLE §1.2).
    fn sign_in_probe(&self, tokens: &Value, client: &OAuthClient) -> Option<Probe> {
        let access = self.access_token(tokens)?;
        let mut headers = vec![("Authorization", format!("Bearer {access}"))];
        if let Some(account) = text(Some(tokens), "/tokens/account_id") {
            headers.push(("ChatGPT-Account-Id", account.to_owned()));
        }
        Some(Probe::Get(client.usage_url.clone()?, headers))
    }

    /// The ChatGPT plan's windows (five-hour and weekly, and per-model ones) from the same
    /// endpoint the check reads (USAGE-AND-LIFECYCLE §1.2).
    fn read_limits(
        &self,
        credential: &UsageCredential<'_>,
        fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        let UsageCredential::SignIn { tokens, client } = credential else {
            return None;
        };
        let request = self.sign_in_probe(tokens, client)?;
        let url = client.usage_url.clone().unwrap_or_default();
        Some(
            fetch
                .fetch(&request)
                .and_then(|body| codex_limits(&body, &url)),
        )
    }
}

/// A ChatGPT login from `auth.json`'s fields: identity from the `id_token` claims.
fn chatgpt_login(auth: &Value, tokens: &Value) -> FoundLogin {
    let claims = tokens
        .get("id_token")
        .and_then(Value::as_str)
        .and_then(jwt_claims)
        .unwrap_or(Value::Null);
    let auth_claims = claims.get("https://api.openai.com/auth");
    let email = claims
        .get("email")
        .or_else(|| {
            claims
                .get("https://api.openai.com/profile")
                .and_then(|p| p.get("email"))
        })
        .and_then(Value::as_str)
        .map(str::to_owned);
    let account_id = tokens
        .get("account_id")
        .or_else(|| auth_claims.and_then(|a| a.get("chatgpt_account_id")))
        .cloned()
        .unwrap_or(Value::Null);
    let secret = SecretJson::new(json!({
        "OPENAI_API_KEY": auth.get("OPENAI_API_KEY").cloned().unwrap_or(Value::Null),
        "tokens": tokens,
        "last_refresh": auth.get("last_refresh").cloned().unwrap_or(Value::Null),
    }));
    FoundLogin {
        provider: ProviderId::Codex,
        kind: AccountKind::Oauth,
        email,
        plan: auth_claims
            .and_then(|a| a.get("chatgpt_plan_type"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        identity: json!({ "account_id": account_id }),
        secret: AccountSecret::OAuthTokens(secret.to_text()),
    }
}

/// Codex's usage answer as windows: `rate_limit`'s primary and secondary windows, then each
/// additional (per-model) limit's, named after their length.
fn codex_limits(body: &Value, url: &str) -> Result<Limits, UsageFailure> {
    let object = usage_object(body, url)?;
    if !object.contains_key("rate_limit") && !object.contains_key("plan_type") {
        return Err(garbled(url));
    }
    let windows_of = |limit: Option<&Value>, prefix: &str| -> Vec<UsageWindow> {
        let Some(limit) = limit else {
            return Vec::new();
        };
        let reached = limit.get("limit_reached").and_then(Value::as_bool) == Some(true);
        ["primary_window", "secondary_window"]
            .iter()
            .filter_map(|key| {
                let window = limit.get(*key)?;
                let used = number(window, "/used_percent")?;
                let seconds = number(window, "/limit_window_seconds").unwrap_or(0.0) as i64;
                let resets = window.get("reset_at").and_then(instant_ms);
                let mut window =
                    UsageWindow::new(format!("{prefix}{}", window_name(seconds)), used, resets);
                if reached && used >= 100.0 {
                    window.locked = Some("limit reached".to_owned());
                }
                Some(window)
            })
            .collect()
    };
    let mut windows = windows_of(body.get("rate_limit"), "");
    for extra in body
        .get("additional_rate_limits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(Some(extra), "/limit_name").map(crate::text::from_provider);
        let prefix = name.map(|n| format!("{n} ")).unwrap_or_default();
        windows.extend(windows_of(extra.get("rate_limit"), &prefix));
    }
    let credits = body.get("credits");
    let note = if credits
        .and_then(|c| c.get("unlimited"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        Some("Credits: unlimited.".to_owned())
    } else if credits
        .and_then(|c| c.get("has_credits"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        credits
            .and_then(|c| number(c, "/balance"))
            .map(|balance| format!("Credits: {balance:.2} left."))
    } else {
        None
    };
    Ok(Limits {
        plan: text(Some(body), "/plan_type").map(crate::text::from_provider),
        windows,
        note,
        ..Limits::default()
    })
}
