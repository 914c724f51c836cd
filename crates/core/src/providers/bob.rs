//! IBM Bob Shell: Bob API keys. There is no Bob sign-in here: Bob Shell's SSO endpoints are
//! not published, and its tokens live in the OS keychain (or a file encrypted with a key
//! derived from the host name; USAGE-AND-LIFECYCLE §5), so a login can be neither made with
//! known endpoints nor carried from one place to another. The guessed endpoints that were
//! here are gone.

use super::common::{api_key, bearer_probe, file, key, key_provider, string};
use super::{Active, Probe, Provider};
use crate::catalog::{AccountKind, ProviderId, ProviderInfo};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::secret::Sensitive;

pub struct Bob;

impl Provider for Bob {
    fn id(&self) -> ProviderId {
        ProviderId::Bob
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            account_kinds: vec![AccountKind::ApiKey],
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
        let mut credentials = file(paths.home.join(".bob/credentials.json"), Format::Json);
        if let Some(api_key) = active.and_then(api_key) {
            credentials = credentials.set(key(&["apiKey"]), string(api_key));
        } else if let Some(tokens) = active.and_then(|a| a.secret.oauth_tokens()) {
            credentials = credentials.set_fields_of(tokens);
        }
        vec![credentials]
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
