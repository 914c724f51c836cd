//! What the active account looks like in each CLI's files: the owned keys and their values,
//! per provider. An account kind a provider's files cannot express yet writes nothing.

use std::path::Path;

use serde_json::{json, Value};

use crate::account::{Account, EndpointPreset};
use crate::catalog::{AccountKind, ProviderId};
use crate::files::{CliPaths, DesiredFile, Format};
use crate::vault::AccountSecret;

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
    pub fn helper_args(&self, provider: &'static str) -> Vec<String> {
        let mut args = vec!["credential".to_owned(), provider.to_owned()];
        if self.pinned {
            args.extend(["--account".to_owned(), self.account.id.clone()]);
        }
        args
    }
}

/// Every file the provider's CLI reads, with the owned keys it should hold (none when
/// `active` is `None`: the provider is cleared).
pub fn desired_files(
    provider: ProviderId,
    paths: &CliPaths,
    active: Option<&Active<'_>>,
) -> Vec<DesiredFile> {
    match provider {
        ProviderId::Claude => super::claude::files(paths, active),
        ProviderId::Codex => super::codex::files(paths, active),
        ProviderId::Gemini => super::gemini::files(paths, active),
        ProviderId::Grok => super::grok::files(paths, active),
        ProviderId::Bob => super::bob::files(paths, active),
        ProviderId::Opencode => super::opencode::files(paths, active),
        ProviderId::Cursor => super::cursor::files(paths, active),
    }
}

/// A login found in a CLI's own files, to import as an account.
pub struct FoundLogin {
    pub provider: ProviderId,
    pub kind: AccountKind,
    pub email: Option<String>,
    pub plan: Option<String>,
    /// The provider's identity record (not secret), written back with the tokens.
    pub identity: Value,
    pub secret: AccountSecret,
}

/// The login each CLI's files hold now, if any.
pub fn read_login(provider: ProviderId, paths: &CliPaths) -> Option<FoundLogin> {
    match provider {
        ProviderId::Claude => super::claude::read_login(paths),
        ProviderId::Codex => super::codex::read_login(paths),
        ProviderId::Gemini => super::gemini::read_login(paths),
        ProviderId::Opencode => super::opencode::read_login(paths),
        ProviderId::Grok => super::grok::read_login(paths),
        ProviderId::Bob | ProviderId::Cursor => None,
    }
}

/// The files whose changes may mean a new login or refreshed tokens.
pub fn login_files(provider: ProviderId, paths: &CliPaths) -> Vec<std::path::PathBuf> {
    match provider {
        ProviderId::Claude => vec![
            paths.claude_dir().join(".credentials.json"),
            paths.claude_json(),
        ],
        ProviderId::Codex => vec![paths.codex_dir().join("auth.json")],
        ProviderId::Gemini => vec![
            paths.gemini_dir().join("oauth_creds.json"),
            paths.gemini_dir().join(".env"),
        ],
        ProviderId::Opencode => vec![paths.opencode_dir().join("auth.json")],
        ProviderId::Grok => vec![paths.grok_dir().join("auth.json")],
        ProviderId::Bob | ProviderId::Cursor => Vec::new(),
    }
}

/// How fresh a sign-in account's tokens are (Unix ms of expiry or last refresh): a token is
/// only ever replaced by a fresher one.
pub fn token_freshness(provider: ProviderId, tokens: &Value) -> Option<i64> {
    match provider {
        ProviderId::Claude => tokens.get("expiresAt").and_then(Value::as_i64),
        ProviderId::Gemini => tokens.get("expiry_date").and_then(Value::as_i64),
        ProviderId::Codex => {
            let text = tokens.get("last_refresh").and_then(Value::as_str)?;
            let at =
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .ok()?;
            i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
        }
        // Grok's `expires_at` format is not confirmed: epoch (s or ms) or RFC 3339.
        ProviderId::Grok => match tokens.get("expires_at")? {
            Value::Number(n) => n
                .as_i64()
                .map(|v| if v < 100_000_000_000 { v * 1000 } else { v }),
            Value::String(text) => {
                let at = time::OffsetDateTime::parse(
                    text,
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()?;
                i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
            }
            _ => None,
        },
        ProviderId::Bob => tokens.get("expiresAt").and_then(Value::as_i64),
        ProviderId::Opencode | ProviderId::Cursor => None,
    }
}

/// A JSON file's content, or `None` when it is missing or unreadable. A file half-written by
/// a CLI (Codex and Gemini write in place) fails to parse and is read again once.
pub fn read_json(path: &Path) -> Option<Value> {
    for attempt in 0..2 {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                return Some(value);
            }
        }
        if attempt == 0 {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    None
}

/// The claims of a JSON Web Token (its payload, not verified: it comes from the CLI's file).
pub fn jwt_claims(token: &str) -> Option<Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// What a user should know after switching: running sessions of some CLIs do not follow.
pub fn switch_caveat(provider: ProviderId) -> Option<&'static str> {
    match provider {
        ProviderId::Gemini => Some("Running gemini sessions keep their old login until restarted: Gemini never re-reads its files."),
        ProviderId::Codex => Some("A running codex session refuses a different account until it is restarted."),
        _ => None,
    }
}

/// A shell command line that runs the helper with `args` (Claude Code runs it with a shell).
pub fn helper_command(exe: &Path, args: &[&str]) -> String {
    let quote = |text: &str| {
        if text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=,".contains(c))
        {
            text.to_owned()
        } else {
            format!("'{}'", text.replace('\'', "'\\''"))
        }
    };
    std::iter::once(quote(&exe.to_string_lossy()))
        .chain(args.iter().map(|a| quote(a)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The account's API key, for providers whose CLI reads it from a file.
pub fn api_key<'a>(active: &Active<'a>) -> Option<&'a str> {
    match active.secret {
        AccountSecret::ApiKey(key) if active.account.kind == AccountKind::ApiKey => {
            Some(key.expose().as_str())
        }
        _ => None,
    }
}

/// The custom base URL of a key account, if it has one.
pub fn base_url<'a>(active: &Active<'a>) -> Option<&'a str> {
    (active.account.endpoint.preset != EndpointPreset::Default)
        .then_some(active.account.endpoint.base_url.as_deref())
        .flatten()
}

pub fn string(value: &str) -> Value {
    json!(value)
}

pub fn file(path: impl AsRef<Path>, format: Format) -> DesiredFile {
    DesiredFile::new(path.as_ref().to_path_buf(), format)
}

pub use crate::files::key_path as key;
