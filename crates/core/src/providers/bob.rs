//! IBM Bob Shell: browser sign-in through the Bob backend and Bob API keys (least verified).

use serde_json::{json, Value};

use super::common::{api_key, bearer_probe, expiry_ms, file, key, key_provider, string, text};
use super::{Active, FoundLogin, Probe, Provider};
use crate::catalog::{AccountKind, PasteKind, ProviderId, ProviderInfo, SignInMethod};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::signin::client::OAuthClient;
use crate::vault::AccountSecret;

pub struct Bob;

impl Provider for Bob {
    fn id(&self) -> ProviderId {
        ProviderId::Bob
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
            key_may_be_jwt: true,
            ..key_provider(
                ProviderId::Bob,
                "Bob API key",
                &["bob_prod_", "sk-", "pk-"],
                "https://api.us-east.bob.ibm.com",
            )
        }
    }

    /// `~/.bob/credentials.json` with `apiKey`. Bob Shell's own storage is the least known of all
    /// the CLIs (it documents `BOB_API_KEY`); this shape is data here, easy to correct. [unverified]
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
        let mut credentials = file(paths.bob_dir().join("credentials.json"), Format::Json);
        if let Some(api_key) = active.and_then(api_key) {
            credentials = credentials.set(key(&["apiKey"]), string(api_key));
        } else if let Some(Value::Object(tokens)) = active.and_then(|a| a.secret.oauth_tokens()) {
            for (field, value) in tokens {
                credentials = credentials.set(key(&[&field]), value);
            }
        }
        vec![credentials]
    }

    fn token_freshness(&self, tokens: &Value) -> Option<i64> {
        tokens.get("expiresAt").and_then(Value::as_i64)
    }

    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[SignInMethod::Paste]
    }

    fn paste_kind(&self) -> PasteKind {
        PasteKind::Code
    }

    fn needs_profile(&self) -> bool {
        true
    }

    fn access_token(&self, tokens: &Value) -> Option<String> {
        text(Some(tokens), "/accessToken").map(str::to_owned)
    }

    /// Bob's browser sign-in through its backend, with paste-back. **Every value here is a
    /// guess** [INF]: Bob Shell's sign-in is not publicly documented. Each is overridable in
    /// the `SWITCHBOARD_ENDPOINTS` file under `"bob"`.
    fn oauth_client(&self) -> Option<OAuthClient> {
        Some(OAuthClient {
            paste_redirect_uri: Some("https://bob.ibm.com/oauth/code".into()),
            userinfo_url: Some("https://api.us-east.bob.ibm.com/admin/v1/profile".into()),
            ..OAuthClient::new(
                ProviderId::Bob,
                "bob-shell",
                "https://bob.ibm.com/oauth/authorize",
                "https://bob.ibm.com/oauth/token",
                "openid email offline_access",
            )
        })
    }

    /// A Bob sign-in as `credentials.json` fields (`accessToken`, `refreshToken`, `expiresAt`
    /// in Unix ms) [unverified], the email from the profile.
    fn login_from_tokens(&self, tokens: &Value, profile: Option<&Value>) -> Option<FoundLogin> {
        let secret = json!({
            "accessToken": text(Some(tokens), "/access_token")?,
            "refreshToken": text(Some(tokens), "/refresh_token")?,
            "expiresAt": expiry_ms(tokens, 3600),
        });
        let email = text(profile, "/email")
            .or_else(|| text(profile, "/user/email"))
            .map(str::to_owned);
        Some(FoundLogin {
            provider: ProviderId::Bob,
            kind: AccountKind::Oauth,
            email,
            plan: text(profile, "/plan").map(str::to_owned),
            identity: json!({}),
            secret: AccountSecret::OAuthTokens(Sensitive::new(secret.to_string())),
        })
    }

    /// `BOBSHELL_API_KEY` is what Bob Shell reads [RE: USAGE-AND-LIFECYCLE §5]; the older
    /// `BOB_API_KEY` is set beside it for versions that read that one.
    fn key_env(&self, active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        api_key(active)
            .map(|key| {
                vec![
                    ("BOBSHELL_API_KEY", Sensitive::from(key)),
                    ("BOB_API_KEY", Sensitive::from(key)),
                ]
            })
            .unwrap_or_default()
    }

    fn key_probe(&self, key: &str, base: &str) -> Result<Probe, &'static str> {
        Ok(bearer_probe(format!("{base}/admin/v1/profile"), key))
    }
}
