//! Helpers the provider modules share: reading the CLIs' JSON, JWT claims, the helper
//! command line, and the small builders the renderers use.

use std::path::Path;

use serde_json::{json, Value};

use super::{Active, Probe};
use crate::account::EndpointPreset;
use crate::catalog::{AccountKind, DefaultEndpoints, PresetOption, ProviderId, ProviderInfo};
use crate::files::{DesiredFile, Format};
use crate::secret::{SecretJson, Sensitive};
use crate::vault::AccountSecret;

pub use crate::files::key_path as key;

/// A JSON file's content, or `None` when it is missing or unreadable. A file half-written by
/// a CLI (Codex and Gemini write in place) fails to parse and is read again once.
/// The file holds tokens and keys: its text and its JSON are wiped when they drop.
pub fn read_json(path: &Path) -> Option<SecretJson> {
    for attempt in 0..2 {
        if let Ok(text) = std::fs::read_to_string(path).map(zeroize::Zeroizing::new) {
            if let Some(value) = SecretJson::parse(&text) {
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

/// A non-empty string at `pointer` in `value`.
pub fn text<'a>(value: Option<&'a Value>, pointer: &str) -> Option<&'a str> {
    value?
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Unix ms `expires_in` seconds from now (`default_secs` when the response has none),
/// clamped: an absurd lifetime never overflows.
pub fn expiry_ms(tokens: &Value, default_secs: i64) -> i64 {
    let seconds = tokens
        .get("expires_in")
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
        .unwrap_or(default_secs);
    crate::time::ms_after(seconds)
}

/// An instant in a CLI's file: Unix seconds or ms as a number, or RFC 3339 text.
pub fn instant_ms(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().map(|v| {
            if v < 100_000_000_000 {
                v.saturating_mul(1000)
            } else {
                v
            }
        }),
        Value::String(text) => crate::time::parse_rfc3339(text),
        _ => None,
    }
}

/// The endpoint types every provider with a custom base URL offers.
pub fn default_presets() -> Vec<PresetOption> {
    vec![provider_default(), custom()]
}

pub fn provider_default() -> PresetOption {
    PresetOption {
        preset: EndpointPreset::Default,
        label: "Default provider endpoint",
        placeholder: "",
        needs_url: false,
        default_api_version: None,
        note: None,
    }
}

pub fn custom() -> PresetOption {
    PresetOption {
        preset: EndpointPreset::Custom,
        label: "Custom endpoint",
        placeholder: "",
        needs_url: true,
        default_api_version: None,
        note: None,
    }
}

/// A catalog entry for a provider that takes an API key (`key_name`, keys starting with one
/// of `key_prefixes`) against `api_base`, and nothing else yet: the provider sets the rest
/// with struct update syntax.
pub fn key_provider(
    id: ProviderId,
    key_name: &'static str,
    key_prefixes: &[&'static str],
    api_base: &'static str,
) -> ProviderInfo {
    ProviderInfo {
        id,
        display_name: id.display_name(),
        cli_command: id.cli_command(),
        account_kinds: vec![AccountKind::ApiKey],
        key_name,
        key_prefixes: key_prefixes.to_vec(),
        key_may_be_jwt: false,
        endpoints: DefaultEndpoints { api_base },
        takes_api_version: false,
        models: Vec::new(),
        efforts: Vec::new(),
        sign_in_methods: Vec::new(),
        paste: None,
        endpoint_presets: vec![provider_default()],
        default_region: None,
    }
}

/// The one variable that hands a key account to its CLI (`OPENAI_API_KEY=...`); none for
/// sign-ins.
pub fn key_variable(
    active: &Active<'_>,
    name: &'static str,
) -> Vec<(&'static str, Sensitive<String>)> {
    api_key(active)
        .map(|key| vec![(name, Sensitive::from(key))])
        .unwrap_or_default()
}

/// A GET of `url` with the key as a bearer token.
pub fn bearer_probe(url: String, key: &str) -> Probe {
    Probe::Get(url, vec![("Authorization", format!("Bearer {key}"))])
}

/// A number at `pointer`, from a JSON number or numeric text.
pub fn number(value: &Value, pointer: &str) -> Option<f64> {
    match value.pointer(pointer)? {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// A window's length in words: "5-hour" for 18 000 s, "7-day" for 604 800 s.
pub fn window_name(seconds: i64) -> String {
    const HOUR: i64 = 3600;
    const DAY: i64 = 24 * HOUR;
    // A provider's number: anything past a year is no window length (and would overflow).
    match seconds.clamp(0, 366 * DAY) {
        s if s >= DAY && s % DAY == 0 => format!("{}-day", s / DAY),
        s if s >= HOUR => format!("{}-hour", (s + HOUR / 2) / HOUR),
        s if s > 0 => format!("{}-minute", (s + 30) / 60),
        _ => "Window".to_owned(),
    }
}

/// What a provider's answer must be to read as usage: a JSON object, or the reading is
/// garbled (named by the host of `url`).
pub fn usage_object<'a>(
    body: &'a Value,
    url: &str,
) -> Result<&'a serde_json::Map<String, Value>, crate::limits::UsageFailure> {
    body.as_object().ok_or_else(|| garbled(url))
}

/// The failure of an answer that is not a usage report, named by the host of `url`.
pub fn garbled(url: &str) -> crate::limits::UsageFailure {
    crate::limits::UsageFailure::Garbled {
        host: url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// A provider's window length, whatever the number, gets a name (no overflow).
        #[test]
        fn a_window_of_any_length_gets_a_name(seconds in any::<i64>()) {
            prop_assert!(!super::window_name(seconds).is_empty());
        }
    }

    #[test]
    fn the_edges_of_i64_get_a_name() {
        for edge in [
            i64::MIN,
            -1,
            0,
            59,
            3600,
            18_000,
            604_800,
            i64::MAX - 1,
            i64::MAX,
        ] {
            assert!(!super::window_name(edge).is_empty(), "{edge}");
        }
        assert_eq!(super::window_name(18_000), "5-hour");
        assert_eq!(super::window_name(604_800), "7-day");
    }
}
