//! IBM Bob Shell: browser sign-in through the Bob backend and Bob API keys (least verified).

use serde_json::{json, Value};

use super::files::{api_key, file, key, string, Active, FoundLogin};
use super::sign_in::{expiry_ms, text};
use crate::catalog::{AccountKind, DefaultEndpoints, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;
use crate::signin::client::OAuthClient;
use crate::vault::AccountSecret;

pub(super) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Bob,
        display_name: "Bob Shell",
        cli_command: "bob",
        account_kinds: vec![AccountKind::Oauth, AccountKind::ApiKey],
        key_name: "Bob API key",
        key_prefixes: vec!["bob_prod_", "sk-", "pk-"],
        key_may_be_jwt: true,
        endpoints: DefaultEndpoints {
            api_base: "https://api.us-east.bob.ibm.com",
        },
        takes_api_version: false,
        models: vec![],
        efforts: vec![],
        sign_in_methods: vec![],
        paste: None,
    }
}

/// `~/.bob/credentials.json` with `apiKey`. Bob Shell's own storage is the least known of all
/// the CLIs (it documents `BOB_API_KEY`); this shape is data here, easy to correct. [unverified]
pub(super) fn files(paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile> {
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

/// Bob's browser sign-in through its backend, with paste-back. **Every value here is a
/// guess** [INF]: Bob Shell's sign-in is not publicly documented. Each is overridable in
/// the `SWITCHBOARD_ENDPOINTS` file under `"bob"`.
pub(super) fn oauth_client() -> OAuthClient {
    OAuthClient {
        paste_redirect_uri: Some("https://bob.ibm.com/oauth/code".into()),
        userinfo_url: Some("https://api.us-east.bob.ibm.com/admin/v1/profile".into()),
        ..OAuthClient::new(
            ProviderId::Bob,
            "bob-shell",
            "https://bob.ibm.com/oauth/authorize",
            "https://bob.ibm.com/oauth/token",
            "openid email offline_access",
        )
    }
}

/// A Bob sign-in as `credentials.json` fields (`accessToken`, `refreshToken`, `expiresAt`
/// in Unix ms) [unverified], the email from the profile.
pub(super) fn signed_in(tokens: &Value, profile: Option<&Value>) -> Option<FoundLogin> {
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
