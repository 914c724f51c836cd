//! Gemini CLI: Google OAuth and Gemini API keys (optional base URL and API version).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::common::{
    api_key, base_url, default_presets, expiry_ms, file, garbled, instant_ms, jwt_claims, key,
    key_provider, number, read_json, string, text, usage_object,
};
use super::{Active, Fetch, FoundLogin, Probe, Provider, UsageCredential};
use crate::catalog::{AccountKind, ModelOption, PasteKind, ProviderId, ProviderInfo, SignInMethod};
use crate::files::{key_path, Document};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::limits::{Limits, UsageFailure, UsageWindow};
use crate::secret::{SecretJson, Sensitive};
use crate::signin::client::OAuthClient;
use crate::vault::AccountSecret;

/// The variable that replaces the home Gemini CLI resolves `.gemini` against.
const HOME_VAR: &str = "GEMINI_CLI_HOME";

/// The home Gemini CLI resolves `.gemini` against: `$GEMINI_CLI_HOME` or the home.
fn gemini_home(paths: &CliPaths) -> PathBuf {
    paths
        .var(HOME_VAR)
        .map_or_else(|| paths.home.clone(), Path::to_path_buf)
}

/// `~/.gemini`, or `.gemini` under `$GEMINI_CLI_HOME`.
fn gemini_dir(paths: &CliPaths) -> PathBuf {
    gemini_home(paths).join(".gemini")
}


pub struct Gemini;

impl Provider for Gemini {
    fn id(&self) -> ProviderId {
        ProviderId::Gemini
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
            takes_api_version: true,
            models: ["gemini-2.5-pro", "gemini-2.5-flash"]
                .into_iter()
                .map(|id| ModelOption {
                    id,
                    efforts: vec![],
                    default_effort: None,
                })
                .collect(),
            endpoint_presets: default_presets(),
            ..key_provider(
                ProviderId::Gemini,
                "Gemini API key",
                &["AIza"],
                "https://generativelanguage.googleapis.com",
            )
        }
    }

    /// Gemini CLI reads `GEMINI_API_KEY` (and a gateway base URL) from `~/.gemini/.env`, and
    /// needs `security.auth.selectedType` in `settings.json`, or it prompts.
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let dir = gemini_dir(paths);
        let mut env = file(dir.join(".env"), Format::DotEnv);
        let mut settings = file(dir.join("settings.json"), Format::Json);
        let mut creds = file(dir.join("oauth_creds.json"), Format::Json);
        let mut accounts = file(dir.join("google_accounts.json"), Format::Json);
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
            } else if let Some(tokens) = active.secret.oauth_tokens().filter(|t| t.is_object()) {
                creds = creds.set_fields_of(tokens);
                if let Some(email) = &active.account.email {
                    accounts = accounts.set(key(&["active"]), string(email));
                }
                settings = settings.set(
                    key(&["security", "auth", "selectedType"]),
                    string("oauth-personal"),
                );
            }
        }
        vec![env, settings, creds, accounts]
    }

    /// A Google login (`oauth_creds.json`, email from `google_accounts.json` or the `id_token`)
    /// or a `GEMINI_API_KEY` line in `.env`.
    fn read_login(&self, paths: &CliPaths) -> Option<FoundLogin> {
        let dir = gemini_dir(paths);
        if let Some(creds) =
            read_json(&dir.join("oauth_creds.json")).filter(|c| c.get("refresh_token").is_some())
        {
            let email = read_json(&dir.join("google_accounts.json"))
                .and_then(|a| {
                    a.get("active")
                        .and_then(Value::as_str)
                        .filter(|e| !e.is_empty())
                        .map(str::to_owned)
                })
                .or_else(|| id_token_email(&creds));
            return Some(google_login(&creds, email));
        }
        let text = std::fs::read_to_string(dir.join(".env")).ok()?;
        let env = Document::parse(Format::DotEnv, Some(&text), ".env").ok()?;
        let key = env.get(&key_path(&["GEMINI_API_KEY"]))?;
        let key = key.as_str().filter(|k| !k.is_empty())?;
        Some(FoundLogin::api_key(ProviderId::Gemini, key))
    }

    fn login_files(&self, paths: &CliPaths) -> Vec<PathBuf> {
        vec![
            gemini_dir(paths).join("oauth_creds.json"),
            gemini_dir(paths).join(".env"),
        ]
    }

    fn token_freshness(&self, tokens: &Value) -> Option<i64> {
        tokens.get("expiry_date").and_then(Value::as_i64)
    }

    fn refresh_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/refresh_token").map(str::to_owned)
    }

    fn expires_at(&self, tokens: &Value) -> Option<i64> {
        tokens.get("expiry_date").and_then(Value::as_i64)
    }

    /// `oauth_creds.json` with the new access token (Google does not rotate the refresh
    /// token, but one that comes is kept).
    fn refreshed(&self, stored: &Value, response: &Value) -> Option<Value> {
        let mut creds = stored.clone();
        creds["access_token"] = Value::from(text(Some(response), "/access_token")?);
        for name in ["refresh_token", "id_token"] {
            if let Some(value) = text(Some(response), &format!("/{name}")) {
                creds[name] = Value::from(value);
            }
        }
        creds["expiry_date"] = Value::from(expiry_ms(response, 3600));
        Some(creds)
    }

    fn switch_caveat(&self) -> Option<&'static str> {
        Some("Running gemini sessions keep their old login until restarted: Gemini never re-reads its files.")
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[SignInMethod::Browser, SignInMethod::Paste]
    }

    fn paste_kind(&self) -> PasteKind {
        PasteKind::Code
    }

    fn needs_profile(&self) -> bool {
        true
    }

    /// Gemini CLI's installed-app Google client [SRC: code_assist/oauth2.ts]. Its "secret" is
    /// public by Google's design for installed apps. Unlike the CLI, Switchboard uses PKCE on the
    /// loopback too, and asks for `prompt=consent` so a refresh token always comes back.
    fn oauth_client(&self) -> Option<OAuthClient> {
        Some(OAuthClient {
            client_secret: Some("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".into()),
            loopback_path: "/oauth2callback".into(),
            paste_redirect_uri: Some("https://codeassist.google.com/authcode".into()),
            userinfo_url: Some("https://www.googleapis.com/oauth2/v2/userinfo".into()),
            revoke_url: Some("https://oauth2.googleapis.com/revoke".into()),
            // Code Assist's API root; `:loadCodeAssist` and `:retrieveUserQuota` are appended.
            usage_url: Some("https://cloudcode-pa.googleapis.com/v1internal".into()),
            ..OAuthClient::new(
                ProviderId::Gemini,
                "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
                "https://accounts.google.com/o/oauth2/v2/auth",
                "https://oauth2.googleapis.com/token",
                "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
            )
            .with_params(&[("access_type", "offline"), ("prompt", "consent")])
        })
    }

    /// A Google sign-in as `oauth_creds.json` holds it (google-auth-library's `Credentials`),
    /// the email from userinfo or the `id_token`.
    fn login_from_tokens(&self, tokens: &Value, profile: Option<&Value>) -> Option<FoundLogin> {
        let mut creds = SecretJson::new(json!({
            "access_token": text(Some(tokens), "/access_token")?,
            "refresh_token": text(Some(tokens), "/refresh_token")?,
            "scope": text(Some(tokens), "/scope").unwrap_or_default(),
            "token_type": "Bearer",
            "expiry_date": expiry_ms(tokens, 3600),
        }));
        if let Some(id_token) = text(Some(tokens), "/id_token") {
            creds["id_token"] = Value::from(id_token);
        }
        let email = text(profile, "/email")
            .map(str::to_owned)
            .or_else(|| id_token_email(&creds));
        Some(google_login(&creds, email))
    }

    fn relocation(&self, paths: &CliPaths) -> Option<(&'static str, PathBuf)> {
        Some((HOME_VAR, gemini_home(paths)))
    }

    fn cli_variables(&self) -> &'static [&'static str] {
        &[HOME_VAR]
    }

    fn exec_variables(&self, dir: &Path) -> Vec<(&'static str, PathBuf)> {
        vec![(HOME_VAR, dir.to_path_buf())]
    }

    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        let Some(key) = api_key(active) else {
            return Vec::new();
        };
        let mut vars = vec![("GEMINI_API_KEY", Sensitive::from(key))];
        if let Some(url) = base_url(active) {
            vars.push(("GOOGLE_GEMINI_BASE_URL", Sensitive::from(url)));
        }
        vars
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(Probe::Get(
            format!("{base}/v1beta/models"),
            vec![("x-goog-api-key", key.to_owned())],
        ))
    }

    /// The Code Assist tier and its quota buckets (USAGE-AND-LIFECYCLE §1.3): the tier
    /// first, which also names the project whose quota is read. A tier Gemini CLI no longer
    /// serves (personal accounts, since June 2026) is said in words.
    fn read_limits(
        &self,
        credential: &UsageCredential<'_>,
        fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        let (tokens, _, root) = credential.sign_in()?;
        let headers = vec![(
            "Authorization",
            format!("Bearer {}", self.access_token(tokens)?),
        )];
        let load = Probe::PostJson(
            format!("{root}:loadCodeAssist"),
            headers.clone(),
            json!({"metadata": {"ideType": "GEMINI_CLI", "pluginType": "GEMINI"}}),
        );
        let tier = match fetch.fetch(&load) {
            Ok(tier) => tier,
            Err(UsageFailure::Refused { detail, .. }) if refused_tier(&detail) => {
                return Some(Ok(unusable(&detail)));
            }
            Err(failure) => return Some(Err(failure)),
        };
        if usage_object(&tier, root).is_err() {
            return Some(Err(garbled(root)));
        }
        let plan = text(Some(&tier), "/currentTier/name").map(crate::text::from_provider);
        if plan.is_none() {
            if let Some(reason) = tier
                .pointer("/ineligibleTiers/0")
                .map(|t| text(Some(t), "/reasonMessage").or(text(Some(t), "/reasonCode")))
            {
                return Some(Ok(unusable(reason.unwrap_or("no tier"))));
            }
        }
        let project = text(Some(&tier), "/cloudaicompanionProject")
            .map(|p| json!({ "project": p }))
            .unwrap_or_else(|| json!({}));
        let quota = Probe::PostJson(format!("{root}:retrieveUserQuota"), headers, project);
        Some(fetch.fetch(&quota).and_then(|body| {
            let mut limits = gemini_limits(&body, root)?;
            limits.plan = plan;
            Ok(limits)
        }))
    }
}

/// A Google login from `oauth_creds.json`'s content.
fn google_login(creds: &Value, email: Option<String>) -> FoundLogin {
    FoundLogin {
        provider: ProviderId::Gemini,
        kind: AccountKind::Oauth,
        email,
        plan: None,
        identity: json!({}),
        secret: AccountSecret::OAuthTokens(SecretJson::text_of(creds)),
    }
}

/// The email claim of the credentials' `id_token`.
fn id_token_email(creds: &Value) -> Option<String> {
    let claims = jwt_claims(creds.get("id_token")?.as_str()?)?;
    claims.get("email")?.as_str().map(str::to_owned)
}

/// Whether Google's refusal says the account's tier may no longer use Gemini CLI.
fn refused_tier(detail: &str) -> bool {
    [
        "UNSUPPORTED_CLIENT",
        "IneligibleTier",
        "INELIGIBLE",
        "Antigravity",
    ]
    .iter()
    .any(|word| detail.contains(word))
}

fn unusable(reason: &str) -> Limits {
    Limits {
        note: Some(format!(
            "Google no longer lets this account use Gemini CLI ({}). Workspace and Code Assist Standard or Enterprise accounts still work.",
            crate::text::from_provider(reason)
        )),
        unusable: true,
        ..Limits::default()
    }
}

/// Quota buckets grouped as Gemini CLI's users know them (Pro, Flash, Flash-Lite), each
/// group at its lowest remaining fraction.
fn gemini_limits(body: &Value, url: &str) -> Result<Limits, UsageFailure> {
    let buckets = usage_object(body, url)?
        .get("buckets")
        .and_then(Value::as_array)
        .ok_or_else(|| garbled(url))?;
    let mut groups: Vec<(&str, f64, Option<i64>)> = Vec::new();
    for bucket in buckets {
        let (Some(model), Some(left)) = (
            text(Some(bucket), "/modelId"),
            number(bucket, "/remainingFraction"),
        ) else {
            continue;
        };
        let group = if model.contains("flash-lite") {
            "Flash-Lite"
        } else if model.contains("flash") {
            "Flash"
        } else if model.contains("pro") {
            "Pro"
        } else {
            continue;
        };
        let resets = bucket.get("resetTime").and_then(instant_ms);
        match groups.iter_mut().find(|(name, _, _)| *name == group) {
            Some(entry) if left < entry.1 => *entry = (group, left, resets),
            Some(_) => {}
            None => groups.push((group, left, resets)),
        }
    }
    let rank = |name: &str| {
        ["Pro", "Flash", "Flash-Lite"]
            .iter()
            .position(|n| *n == name)
    };
    groups.sort_by_key(|(name, _, _)| rank(name));
    Ok(Limits {
        windows: groups
            .into_iter()
            .map(|(name, left, resets)| {
                UsageWindow::new(format!("{name} daily"), (1.0 - left) * 100.0, resets)
            })
            .collect(),
        ..Limits::default()
    })
}
