//! The providers behind one contract, [`Provider`]: each module knows its catalog entry, its
//! sign-in client, how its tokens become an identity, the files its CLI reads (rendered and
//! read back), its exec environment and its test probe. The rest of Switchboard asks the
//! provider and never matches on a provider id. Adding a provider is one new module and one
//! line in `REGISTRY` (plus its id and names in `catalog`).

mod bob;
mod claude;
mod codex;
mod common;
mod cursor;
mod gemini;
mod grok;
mod opencode;
#[cfg(test)]
mod usage_tests;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::account::Account;
use crate::catalog::{AccountKind, PasteKind, ProviderId, ProviderInfo, SignInMethod};
use crate::files::{CliPaths, DesiredFile};
use crate::limits::{Limits, UsageFailure};
use crate::secret::Sensitive;
use crate::signin::client::OAuthClient;
use crate::vault::AccountSecret;

/// Every provider, in display order (the order of [`ProviderId::ALL`]).
const REGISTRY: [&dyn Provider; 7] = [
    &claude::Claude,
    &codex::Codex,
    &gemini::Gemini,
    &grok::Grok,
    &bob::Bob,
    &opencode::Opencode,
    &cursor::Cursor,
];

/// The provider with this id.
pub fn get(id: ProviderId) -> &'static dyn Provider {
    REGISTRY
        .into_iter()
        .find(|p| p.id() == id)
        .unwrap_or_else(|| unreachable!("the registry lists every provider id"))
}

/// The catalog entry of one provider (built once).
pub fn info(id: ProviderId) -> &'static ProviderInfo {
    use std::sync::OnceLock;
    static CATALOG: OnceLock<Vec<ProviderInfo>> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| {
        ProviderId::ALL
            .into_iter()
            .map(|id| {
                let provider = get(id);
                let mut info = provider.info();
                info.sign_in_methods = provider.sign_in_methods().to_vec();
                info.paste = (!info.sign_in_methods.is_empty()).then(|| provider.paste_kind());
                info
            })
            .collect()
    });
    &catalog[id as usize]
}

/// The CLI paths of `home` with every variable a provider's CLI reads (see
/// [`Provider::cli_variables`]) as this process's environment has it.
pub fn cli_paths_from_env(home: PathBuf) -> CliPaths {
    CliPaths::from_env(
        home,
        REGISTRY.into_iter().flat_map(|p| p.cli_variables().iter().copied()),
    )
}

/// The CLI paths of a per-account `exec` dir: a home of its own, and every CLI moved into
/// `dir` by its own variables.
pub fn exec_paths(dir: &Path) -> CliPaths {
    REGISTRY
        .into_iter()
        .flat_map(|p| p.exec_variables(dir))
        .fold(CliPaths::under_home(dir.join("home")), |paths, (name, value)| {
            paths.with_var(name, value)
        })
}

/// Every provider's catalog entry, in display order.
pub fn all() -> Vec<&'static ProviderInfo> {
    ProviderId::ALL.into_iter().map(info).collect()
}

/// What one provider knows. Methods with a default are the ones a key-only provider (or one
/// whose CLI keeps nothing Switchboard can read back) does not need.
pub trait Provider: Sync {
    fn id(&self) -> ProviderId;

    /// The catalog entry (sign-in methods and paste kind are filled in from this trait).
    fn info(&self) -> ProviderInfo;

    // --- Sign-in -------------------------------------------------------------------------

    /// The OAuth client with its real endpoints; `None` for key-only providers.
    fn oauth_client(&self) -> Option<OAuthClient> {
        None
    }

    /// The ways it signs in, the one the window offers first first.
    fn sign_in_methods(&self) -> &'static [SignInMethod] {
        &[]
    }

    /// What the user pastes back: the provider's code page's text, or the redirected address.
    fn paste_kind(&self) -> PasteKind {
        PasteKind::RedirectedUrl
    }

    /// Whether identity needs the userinfo/profile endpoint (the others carry an `id_token`).
    fn needs_profile(&self) -> bool {
        false
    }

    /// A login from a token response (and the profile, when fetched), in the shape the
    /// provider's CLI keeps; `None` when the response lacks what the CLI needs.
    fn login_from_tokens(&self, _tokens: &Value, _profile: Option<&Value>) -> Option<FoundLogin> {
        None
    }

    /// The access token inside stored tokens (the CLI's own shape).
    fn access_token(&self, tokens: &Value) -> Option<String> {
        common::text(Some(tokens), "/access_token").map(str::to_owned)
    }

    // --- Keeping a sign-in alive ----------------------------------------------------------

    /// The refresh token inside stored tokens; `None` when these tokens cannot be refreshed.
    fn refresh_token(&self, _tokens: &Value) -> Option<String> {
        None
    }

    /// When the access token in stored tokens expires (Unix ms).
    fn expires_at(&self, _tokens: &Value) -> Option<i64> {
        None
    }

    /// When the refresh token in stored tokens expires (Unix ms), where the provider says.
    fn refresh_token_expires_at(&self, _tokens: &Value) -> Option<i64> {
        None
    }

    /// Stored tokens after a refresh answered `response`: the new access token, and the new
    /// refresh token when one came (otherwise the old one stays, as every CLI does).
    fn refreshed(&self, _stored: &Value, _response: &Value) -> Option<Value> {
        None
    }

    /// How long before expiry Switchboard refreshes. Later than the CLIs do (Claude Code,
    /// Grok and Google's library at 5 min, Codex at expiry or 5 min): a CLI running on the
    /// active account refreshes it first, Switchboard takes the result back and finds it
    /// fresh, so the two never spend the same refresh token.
    fn refresh_margin_ms(&self) -> i64 {
        2 * 60 * 1000
    }

    // --- The CLI's files -----------------------------------------------------------------

    /// Every file the CLI reads, with the owned keys it should hold for `active` (none when
    /// `active` is `None`: the provider is cleared).
    fn files(&self, paths: &CliPaths, active: Option<&Active<'_>>) -> Vec<DesiredFile>;

    /// The login the CLI's files hold now, if any.
    fn read_login(&self, _paths: &CliPaths) -> Option<FoundLogin> {
        None
    }

    /// The CLI's own lock on its credential file, which Switchboard takes too while it reads
    /// and writes that file; `None` when the CLI has none.
    fn cli_lock_file(&self, _paths: &CliPaths) -> Option<PathBuf> {
        None
    }

    /// The files whose changes may mean a new login or refreshed tokens.
    fn login_files(&self, _paths: &CliPaths) -> Vec<PathBuf> {
        Vec::new()
    }

    /// How fresh a sign-in account's tokens are (Unix ms of expiry or last refresh): a token
    /// is only ever replaced by a fresher one.
    fn token_freshness(&self, _tokens: &Value) -> Option<i64> {
        None
    }

    /// How far ahead of now a freshness read from a CLI's file may lie and still be
    /// believed (an expiry: the longest an access token lives, with room; a time of refresh:
    /// clock skew only). A date past it is planted, never fresher than anything.
    fn freshness_horizon_ms(&self) -> i64 {
        2 * 24 * 3600 * 1000
    }

    /// The email in the answer of the provider's profile (userinfo) endpoint: OpenID's
    /// `email` by default.
    fn profile_email(&self, profile: &Value) -> Option<String> {
        profile
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// What a user should know after switching (running sessions that do not follow).
    fn switch_caveat(&self) -> Option<&'static str> {
        None
    }

    // --- Running the CLI -----------------------------------------------------------------

    /// The variable that moves the CLI's config dir, and its value for `paths` (a per-account
    /// `exec` dir); `None` for CLIs without one.
    fn relocation(&self, _paths: &CliPaths) -> Option<(&'static str, PathBuf)> {
        None
    }

    /// The environment variables the CLI reads to find its files (its relocation variable,
    /// an XDG dir): read once at start, into the [`CliPaths`] its files are resolved with.
    fn cli_variables(&self) -> &'static [&'static str] {
        &[]
    }

    /// The variables that put the CLI's files under `dir` (a per-account `exec` dir), with
    /// their values.
    fn exec_variables(&self, _dir: &Path) -> Vec<(&'static str, PathBuf)> {
        Vec::new()
    }

    /// `NAME=value` pairs that hand a key account to the CLI without any file; empty for
    /// sign-in accounts (they live in files).
    fn key_env(&self, _active: &Active<'_>) -> Vec<(&'static str, Sensitive<String>)> {
        Vec::new()
    }

    /// What the CLI's credential helper hook prints for this secret (Claude Code's
    /// `apiKeyHelper` and `awsCredentialExport`); `None` when the CLI has no such hook.
    fn helper_credential(&self, _secret: &AccountSecret) -> Option<Sensitive<String>> {
        None
    }

    // --- Checking a credential -----------------------------------------------------------

    /// The one request that tells whether a sign-in's access token works without spending
    /// or rotating anything: by default its profile (userinfo) endpoint.
    fn sign_in_probe(&self, tokens: &Value, client: &OAuthClient) -> Option<Probe> {
        let access = self.access_token(tokens)?;
        client
            .userinfo_url
            .clone()
            .map(|url| Probe::Get(url, vec![("Authorization", format!("Bearer {access}"))]))
    }

    /// The one request that tells whether a key works without spending or rotating
    /// anything; `None` when there is none (the reason in words).
    fn key_probe(&self, _key: &str, _base: &str) -> Result<Probe, &'static str> {
        Err("this provider has no request that checks a key without spending it")
    }

    // --- Usage and limits ----------------------------------------------------------------

    /// Whether [`Provider::read_limits`] reads anything for accounts of this kind (known
    /// without the secret, so planning never touches the keychain): by default, sign-ins
    /// of a client with a usage endpoint.
    fn reports_usage(&self, kind: AccountKind) -> bool {
        kind == AccountKind::Oauth && self.oauth_client().is_some_and(|c| c.usage_url.is_some())
    }

    /// Reads the account's limits with its own credential, through `fetch` (read-only
    /// requests: nothing spent, nothing refreshed); `None` when the provider reports none
    /// for this kind of account.
    fn read_limits(
        &self,
        _credential: &UsageCredential<'_>,
        _fetch: &dyn Fetch,
    ) -> Option<Result<Limits, UsageFailure>> {
        None
    }
}

/// The credential a usage reading is made with.
pub enum UsageCredential<'a> {
    /// A sign-in's stored tokens and its client (with `usage_url`).
    SignIn {
        tokens: &'a Value,
        client: &'a OAuthClient,
    },
    /// A key and the API base it is used with.
    Key { key: &'a str, api_base: &'a str },
}

impl<'a> UsageCredential<'a> {
    /// A sign-in's tokens, its client and its usage URL; `None` for a key, or a client
    /// without one.
    pub fn sign_in(&self) -> Option<(&'a Value, &'a OAuthClient, &'a str)> {
        match self {
            UsageCredential::SignIn { tokens, client } => {
                Some((tokens, client, client.usage_url.as_deref()?))
            }
            UsageCredential::Key { .. } => None,
        }
    }
}

/// Sends one request for a provider and gives the JSON of a 2xx answer; any other answer
/// becomes a [`UsageFailure`]. The usage module implements it over HTTP; tests, over canned
/// answers.
pub trait Fetch {
    fn fetch(&self, request: &Probe) -> Result<Value, UsageFailure>;
}

/// The active account of a provider, with its secret, as the renderers need it.
pub struct Active<'a> {
    pub account: &'a Account,
    pub secret: &'a AccountSecret,
    /// The provider's identity record of a sign-in account (`{}` for keys).
    pub identity: &'a Value,
    /// The `switchboard` executable CLIs run to fetch a secret.
    pub helper_exe: &'a Path,
    /// Whether the helper asks for this account by id (a per-account `exec` dir) rather
    /// than for whichever account is active.
    pub pinned: bool,
}

impl Active<'_> {
    /// The helper's arguments for `provider`'s credential.
    pub fn helper_args(&self) -> Vec<String> {
        let mut args = vec![
            "credential".to_owned(),
            self.account.provider.as_str().to_owned(),
        ];
        if self.pinned {
            args.extend(["--account".to_owned(), self.account.id.clone()]);
        }
        args
    }
}

/// A login found in a CLI's own files or made by a sign-in, to save as an account.
pub struct FoundLogin {
    pub provider: ProviderId,
    pub kind: AccountKind,
    pub email: Option<String>,
    pub plan: Option<String>,
    /// The provider's identity record (not secret), written back with the tokens.
    pub identity: Value,
    pub secret: AccountSecret,
}

impl FoundLogin {
    /// An API key found in a CLI's files.
    pub fn api_key(provider: ProviderId, key: &str) -> Self {
        Self {
            provider,
            kind: AccountKind::ApiKey,
            email: None,
            plan: None,
            identity: Value::Object(Default::default()),
            secret: AccountSecret::ApiKey(Sensitive::from(key)),
        }
    }
}

/// The request a credential check makes. Header values may hold the credential: never log.
pub enum Probe {
    Get(String, Vec<(&'static str, String)>),
    PostEmpty(String, Vec<(&'static str, String)>),
    PostJson(String, Vec<(&'static str, String)>, Value),
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (method, url) = match self {
            Probe::Get(url, _) => ("GET", url),
            Probe::PostEmpty(url, _) | Probe::PostJson(url, _, _) => ("POST", url),
        };
        write!(f, "Probe({method} {url}, headers: <redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn an_exec_dir_holds_every_file_of_every_cli_and_the_home_moves_nothing_else() {
        let dir = Path::new("/exec/acct");
        let paths = super::exec_paths(dir);
        for provider in REGISTRY {
            for file in provider.files(&paths, None) {
                assert!(
                    file.path.starts_with(dir),
                    "{:?}: {} is outside the exec dir",
                    provider.id(),
                    file.path.display()
                );
            }
            if let Some((_, value)) = provider.relocation(&paths) {
                assert!(value.starts_with(dir), "{:?}", provider.id());
            }
        }
        // Each CLI's own variable moves it (Claude's takes `.claude.json` along).
        let moved = CliPaths::under_home("/h")
            .with_var("CLAUDE_CONFIG_DIR", "/c")
            .with_var("CODEX_HOME", "/x")
            .with_var("GEMINI_CLI_HOME", "/g");
        let paths_of = |id: ProviderId| -> Vec<std::path::PathBuf> {
            get(id).files(&moved, None).into_iter().map(|f| f.path.clone()).collect()
        };
        assert!(paths_of(ProviderId::Claude).contains(&"/c/.claude.json".into()));
        assert!(paths_of(ProviderId::Claude).contains(&"/c/.credentials.json".into()));
        assert!(paths_of(ProviderId::Codex).contains(&"/x/auth.json".into()));
        assert!(paths_of(ProviderId::Gemini).iter().all(|p| p.starts_with("/g/.gemini")));
        // Under a plain home, each CLI's files are under the home.
        let home = CliPaths::under_home("/h");
        for provider in REGISTRY {
            for file in provider.files(&home, None) {
                assert!(file.path.starts_with("/h"), "{}", file.path.display());
            }
        }
    }

    use super::*;
    use crate::catalog::Effort;

    #[test]
    fn the_registry_follows_the_ids_and_their_order() {
        for (index, id) in ProviderId::ALL.into_iter().enumerate() {
            assert_eq!(id as usize, index);
            assert_eq!(REGISTRY[index].id(), id);
            assert_eq!(info(id).id, id);
            assert_eq!(info(id).display_name, id.display_name());
            assert!(info(id).takes(AccountKind::ApiKey), "{id:?} takes a key");
        }
    }

    #[test]
    fn only_claude_takes_bedrock_and_key_only_providers_have_no_oauth() {
        let bedrock: Vec<_> = all()
            .into_iter()
            .filter(|p| p.takes(AccountKind::Bedrock))
            .map(|p| p.id)
            .collect();
        assert_eq!(bedrock, vec![ProviderId::Claude]);
        for id in ProviderId::ALL {
            let signs_in = get(id).oauth_client().is_some();
            assert_eq!(info(id).takes(AccountKind::Oauth), signs_in, "{id:?}");
            assert_eq!(!info(id).sign_in_methods.is_empty(), signs_in, "{id:?}");
        }
    }

    #[test]
    fn claude_efforts_run_from_low_to_max() {
        let claude = info(ProviderId::Claude);
        assert_eq!(claude.efforts_for(Some("opus")), &Effort::ALL);
        assert_eq!(claude.efforts_for(None), &Effort::ALL);
    }

    #[test]
    fn grok_efforts_depend_on_the_model() {
        let grok = info(ProviderId::Grok);
        assert_eq!(
            grok.efforts_for(Some("grok-4.3")),
            &[Effort::Low, Effort::Medium, Effort::High]
        );
        assert_eq!(
            grok.efforts_for(Some("grok-4.20-multi-agent-0309")),
            &[Effort::Low, Effort::Medium, Effort::High, Effort::Xhigh]
        );
        let default = grok
            .models
            .iter()
            .find(|m| m.id == "grok-4.3")
            .and_then(|m| m.default_effort);
        assert_eq!(default, Some(Effort::Low));
        assert!(grok.efforts_for(Some("some-future-model")).is_empty());
    }

    #[test]
    fn absurd_lifetimes_from_a_provider_are_clamped_never_a_panic() {
        let limit = crate::time::now_ms() + (crate::time::MAX_LIFETIME_SECS + 60) * 1000;
        for expires in [
            serde_json::json!(i64::MAX),
            serde_json::json!(i64::MIN),
            serde_json::json!(1e300),
            serde_json::json!("soon"),
        ] {
            for id in ProviderId::ALL {
                let tokens = serde_json::json!({
                    "access_token": "access", "refresh_token": "refresh", "expires_in": expires,
                });
                let Some(login) = get(id).login_from_tokens(&tokens, None) else {
                    continue;
                };
                let stored = login.secret.oauth_tokens().expect("tokens");
                if let Some(fresh) = get(id).token_freshness(&stored) {
                    assert!(fresh <= limit, "{id:?}: {fresh}");
                }
            }
        }
    }

    #[test]
    fn a_probe_never_prints_its_headers() {
        let probe = Probe::Get(
            "https://api.example/v1/models".into(),
            vec![("Authorization", "Bearer sk-secret".into())],
        );
        let printed = format!("{probe:?}");
        assert!(!printed.contains("sk-secret"), "{printed}");
    }
}
