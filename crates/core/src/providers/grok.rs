//! Grok: xAI device-code sign-in and xAI API keys. Efforts depend on the model.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::common::{
    api_key, base_url, bearer_probe, default_presets, expiry_ms, file, garbled, instant_ms,
    jwt_claims, key, key_provider, number, read_json, string, text, usage_object,
};
use super::{Active, Fetch, FoundLogin, Probe, Provider, UsageCredential};
use crate::catalog::{AccountKind, Effort, ModelOption, ProviderId, ProviderInfo, SignInMethod};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::limits::{Limits, UsageFailure, UsageWindow};
use crate::secret::{SecretJson, Sensitive};
use crate::signin::client::{DeviceDialect, OAuthClient};
use crate::vault::AccountSecret;

/// Grok's own session file keys each login by `<issuer>::<client id>`.
pub const DEFAULT_SESSION_KEY: &str = "https://auth.x.ai::b1a00492-073a-47ea-816f-4c329264a828";

/// The variable that moves Grok's home.
const HOME_VAR: &str = "GROK_HOME";

/// `~/.grok` or `$GROK_HOME`.
fn grok_dir(paths: &CliPaths) -> PathBuf {
    paths.dir_or_home(HOME_VAR, ".grok")
}


pub struct Grok;

impl Provider for Grok {
    fn id(&self) -> ProviderId {
        ProviderId::Grok
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
            models: vec![
                ModelOption {
                    id: "grok-4.3",
                    efforts: vec![Effort::Low, Effort::Medium, Effort::High],
                    default_effort: Some(Effort::Low),
                },
                ModelOption {
                    id: "grok-4.20-multi-agent-0309",
                    efforts: vec![Effort::Low, Effort::Medium, Effort::High, Effort::Xhigh],
                    default_effort: None,
                },
            ],
            endpoint_presets: default_presets(),
            ..key_provider(
                ProviderId::Grok,
                "xAI API key",
                &["xai-"],
                "https://api.x.ai/v1",
            )
        }
    }

    /// The file an xAI key goes to: `user-settings.json` under `~/.grok` (`GROK_HOME`), read by
    /// the community `grok-cli` ({apiKey, baseURL}). Grok Build itself takes a key only from
    /// `XAI_API_KEY`; its session file (`auth.json`) is for sign-in accounts. [RE, unverified]
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut settings = file(grok_dir(paths).join("user-settings.json"), Format::Json);
        let mut sessions = file(grok_dir(paths).join("auth.json"), Format::Json);
        let mut config = file(grok_dir(paths).join("config.toml"), Format::Toml);
        // Grok Build reads the effort from `[models] default_reasoning_effort` [SRC docs].
        if let Some(effort) = active.and_then(|a| a.account.effort) {
            config = config.set(
                key(&["models", "default_reasoning_effort"]),
                string(effort.as_str()),
            );
        }
        if let Some(tokens) = active.and_then(|a| a.secret.oauth_tokens()) {
            let session_key = active
                .and_then(|a| a.identity.get("session_key"))
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_SESSION_KEY);
            sessions = sessions.set_secret(key(&[session_key]), tokens);
        }
        if let Some(active) = active {
            if let Some(api_key) = api_key(active) {
                settings = settings.set(key(&["apiKey"]), string(api_key));
                if let Some(url) = base_url(active) {
                    settings = settings.set(key(&["baseURL"]), string(url));
                }
            }
        }
        vec![settings, sessions, config]
    }

    /// A Grok Build sign-in in `~/.grok/auth.json`: the first session with a refresh token.
    fn read_login(&self, paths: &CliPaths) -> Option<FoundLogin> {
        let sessions = read_json(&grok_dir(paths).join("auth.json"))?;
        let (session_key, session) = sessions.as_object()?.iter().find(|(k, v)| {
            k.contains("::")
                && v.get("refresh_token")
                    .and_then(Value::as_str)
                    .is_some_and(|t| !t.is_empty())
        })?;
        Some(FoundLogin {
            provider: ProviderId::Grok,
            kind: AccountKind::Oauth,
            email: session
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_owned),
            plan: None,
            identity: json!({ "session_key": session_key, "user_id": session.get("user_id") }),
            secret: AccountSecret::OAuthTokens(SecretJson::text_of(session)),
        })
    }

    fn login_files(&self, paths: &CliPaths) -> Vec<PathBuf> {
        vec![grok_dir(paths).join("auth.json")]
    }

    /// Grok Build takes `auth.json.lock` around every refresh and write of `auth.json`
    /// (USAGE-AND-LIFECYCLE §2): Switchboard takes it too, so neither writes over the other.
    fn cli_lock_file(&self, paths: &CliPaths) -> Option<PathBuf> {
        Some(grok_dir(paths).join("auth.json.lock"))
    }

    fn token_freshness(&self, tokens: &Value) -> Option<i64> {
        instant_ms(tokens.get("expires_at")?)
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[SignInMethod::Device, SignInMethod::Browser]
    }

    fn access_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/key").map(str::to_owned)
    }

    fn refresh_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/refresh_token").map(str::to_owned)
    }

    fn expires_at(&self, tokens: &Value) -> Option<i64> {
        instant_ms(tokens.get("expires_at")?)
    }

    /// The session with the new `key`, as the Grok CLI writes it after a refresh.
    fn refreshed(&self, stored: &Value, response: &Value) -> Option<Value> {
        let mut session = stored.clone();
        session["key"] = Value::from(text(Some(response), "/access_token")?);
        if let Some(refresh) = text(Some(response), "/refresh_token") {
            session["refresh_token"] = Value::from(refresh);
        }
        session["expires_at"] = Value::from(crate::time::rfc3339(expiry_ms(response, 3600)));
        Some(session)
    }

    /// The Grok CLI's xAI client [RE: CLIProxyAPI, opencode]: device code, or the browser with
    /// the registered loopback `127.0.0.1:56121/callback` (PKCE, `nonce`, `plan=generic`).
    fn oauth_client(&self) -> Option<OAuthClient> {
        Some(OAuthClient {
            nonce: true,
            loopback_ports: vec![56121],
            userinfo_url: Some("https://auth.x.ai/oauth2/userinfo".into()),
            device_dialect: Some(DeviceDialect::Rfc8628),
            device_code_url: Some("https://auth.x.ai/oauth2/device/code".into()),
            // `revocation_endpoint` of xAI's OpenID configuration (USAGE-AND-LIFECYCLE §3).
            revoke_url: Some("https://auth.x.ai/oauth2/revoke".into()),
            usage_url: Some("https://cli-chat-proxy.grok.com/v1/billing?format=credits".into()),
            ..OAuthClient::new(
                ProviderId::Grok,
                "b1a00492-073a-47ea-816f-4c329264a828",
                "https://auth.x.ai/oauth2/authorize",
                "https://auth.x.ai/oauth2/token",
                "openid profile email offline_access grok-cli:access api:access",
            )
            .with_params(&[("plan", "generic")])
        })
    }

    /// An xAI sign-in as a Grok session entry (`key`, `refresh_token`, identity from the
    /// `id_token`). `expires_at` is RFC 3339, as grok-build writes it [SRC: USAGE-AND-LIFECYCLE §5].
    fn login_from_tokens(&self, tokens: &Value, _profile: Option<&Value>) -> Option<FoundLogin> {
        let claims = text(Some(tokens), "/id_token").and_then(jwt_claims);
        let email = text(claims.as_ref(), "/email").map(str::to_owned);
        let user_id = text(claims.as_ref(), "/sub").map(str::to_owned);
        let expires_at = crate::time::rfc3339(expiry_ms(tokens, 3600));
        let mut session = SecretJson::new(json!({
            "key": text(Some(tokens), "/access_token")?,
            "auth_mode": "oidc",
            "refresh_token": text(Some(tokens), "/refresh_token")?,
            "expires_at": expires_at,
        }));
        if let Some(email) = &email {
            session["email"] = Value::from(email.as_str());
        }
        if let Some(user_id) = &user_id {
            session["user_id"] = Value::from(user_id.as_str());
        }
        if let Some(team) = text(claims.as_ref(), "/team_id") {
            session["team_id"] = Value::from(team);
        }
        Some(FoundLogin {
            provider: ProviderId::Grok,
            kind: AccountKind::Oauth,
            email,
            plan: None,
            identity: json!({ "session_key": DEFAULT_SESSION_KEY, "user_id": user_id }),
            secret: AccountSecret::OAuthTokens(session.to_text()),
        })
    }

    fn relocation(&self, paths: &CliPaths) -> Option<(&'static str, PathBuf)> {
        Some((HOME_VAR, grok_dir(paths)))
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[HOME_VAR]
    }

    fn exec_variables(&self, dir: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![(HOME_VAR, dir.join("grok"))]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        let Some(key) = api_key(active) else {
            return Vec::new();
        };
        let mut vars = vec![("XAI_API_KEY", Sensitive::from(key))];
        if let Some(url) = base_url(active) {
            vars.push(("GROK_BASE_URL", Sensitive::from(url)));
        }
        vars
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(bearer_probe(format!("{base}/models"), key))
    }

    /// The subscription's credits of the current period, from the CLI's own billing
    /// endpoint (USAGE-AND-LIFECYCLE §1.4).
    fn read_limits(
        &self,
        credential: &UsageCredential<'_>,
        fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        let (tokens, _, url) = credential.sign_in()?;
        let request = Probe::Get(
            url.to_owned(),
            vec![
                (
                    "Authorization",
                    format!("Bearer {}", self.access_token(tokens)?),
                ),
                ("X-XAI-Token-Auth", "xai-grok-cli".to_owned()),
            ],
        );
        Some(
            fetch
                .fetch(&request)
                .and_then(|body| grok_limits(&body, url)),
        )
    }
}

/// Grok's billing answer as one window: `creditUsagePercent`, else on-demand use over its
/// cap, else 0% for a period with no figure; it resets when the period ends.
fn grok_limits(body: &Value, url: &str) -> Result<Limits, UsageFailure> {
    let config = usage_object(body, url)?
        .get("config")
        .filter(|c| c.is_object())
        .ok_or_else(|| garbled(url))?;
    let cents = |pointer: &str| number(config, &format!("{pointer}/val")).unwrap_or(0.0);
    let used = number(config, "/creditUsagePercent").or_else(|| {
        let cap = cents("/onDemandCap");
        (cap > 0.0).then(|| cents("/onDemandUsed") / cap * 100.0)
    });
    let period = text(Some(config), "/currentPeriod/type").unwrap_or_default();
    let name = match period {
        "USAGE_PERIOD_TYPE_WEEKLY" => "Weekly credits",
        "USAGE_PERIOD_TYPE_MONTHLY" => "Monthly credits",
        _ => "Credits",
    };
    let resets = config.pointer("/currentPeriod/end").and_then(instant_ms);
    if used.is_none() && resets.is_none() {
        return Err(garbled(url));
    }
    Ok(Limits {
        windows: vec![UsageWindow::new(name, used.unwrap_or(0.0), resets)],
        ..Limits::default()
    })
}
