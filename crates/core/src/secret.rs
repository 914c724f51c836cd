//! `Sensitive<T>`: a secret value that cannot be printed, logged or serialised by accident.
//!
//! `Debug` and `Display` print `<redacted>`; there is deliberately no `Serialize` impl, so a
//! secret can never end up in an IPC response, an event or the database. It can be
//! *deserialised* (the UI sends a new key to the backend) and is zeroed when dropped.
//! [`SecretJson`] is the same for JSON that holds secrets (a sign-in's tokens, a CLI file's
//! contents): every string in it is zeroed when it drops.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde_json::Value;

use serde::{Deserialize, Deserializer};
use zeroize::Zeroize;

/// A secret. Read it with [`Sensitive::expose`], only where the raw value is needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The raw value. Every call site is a place a secret leaves this wrapper: keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> Deserialize<'de> for Sensitive<String> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// Overwrites every string in `value`, object keys included, with zeros, and leaves it
/// empty.
pub fn wipe_json(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => {
            items.iter_mut().for_each(wipe_json);
            items.clear();
        }
        Value::Object(map) => {
            for (mut key, mut item) in std::mem::take(map) {
                key.zeroize();
                wipe_json(&mut item);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    *value = Value::Null;
}

/// JSON that holds secrets: read it like a [`Value`]; every string in it is zeroed when it
/// drops. `Debug` redacts, and there is no `Serialize`: [`SecretJson::to_text`] gives the
/// text as a [`Sensitive`].
#[derive(Clone, PartialEq, Default)]
pub struct SecretJson(Value);

impl SecretJson {
    pub fn new(value: Value) -> Self {
        Self(value)
    }

    /// Parses `text`; `None` when it is not JSON. Nothing of `text` is kept elsewhere.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok().map(Self)
    }

    /// The JSON as text, written into a buffer of the exact size (a growing buffer would
    /// leave copies behind in freed memory).
    pub fn to_text(&self) -> Sensitive<String> {
        Self::text_of(&self.0)
    }

    /// `value` (a part of secret JSON) as text, as [`SecretJson::to_text`] writes it.
    pub fn text_of(value: &Value) -> Sensitive<String> {
        let mut counter = ByteCounter(0);
        // Writing JSON into memory fails only for a map with non-string keys, which a
        // `Value` cannot hold.
        let _ = serde_json::to_writer(&mut counter, value);
        let mut bytes = Vec::with_capacity(counter.0);
        let _ = serde_json::to_writer(&mut bytes, value);
        // serde_json writes UTF-8 only.
        Sensitive::new(String::from_utf8(bytes).unwrap_or_default())
    }

    /// The value, for a holder that wipes it itself (a planned CLI file).
    pub(crate) fn into_plain(mut self) -> Value {
        std::mem::take(&mut self.0)
    }
}

struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Deref for SecretJson {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl DerefMut for SecretJson {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.0
    }
}

impl Drop for SecretJson {
    fn drop(&mut self) {
        wipe_json(&mut self.0);
    }
}

impl fmt::Debug for SecretJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let secret = Sensitive::from("sk-ant-api03-canary");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(
            format!("{:?}", Some(&secret)),
            "Some(<redacted>)",
            "redaction must hold inside containers too"
        );
        assert_eq!(secret.expose(), "sk-ant-api03-canary");
    }

    #[test]
    fn deserialises_from_a_json_string() {
        let secret: Sensitive<String> = serde_json::from_str("\"xai-123\"").expect("string");
        assert_eq!(secret.expose(), "xai-123");
    }

    #[test]
    fn secret_json_wipes_every_string_and_writes_its_text_in_one_buffer() {
        let mut value = serde_json::json!({
            "tokens": {"access": "sk-a", "list": ["r1", {"deep": "r2"}]},
            "n": 3, "ok": true
        });
        let json = SecretJson::new(value.clone());
        assert_eq!(json.to_text().expose(), &value.to_string());
        assert_eq!(json["tokens"]["access"], "sk-a");
        assert_eq!(format!("{json:?}"), "<redacted>");
        wipe_json(&mut value);
        assert_eq!(value, Value::Null);
        assert!(SecretJson::parse("{not json").is_none());
    }

    /// Where secrets leave [`Sensitive`] in the product's code, file by file (test modules
    /// not counted). A new call site is a deliberate choice: add it here, in the same change,
    /// and say in review why the raw value is needed there and what wipes any copy of it.
    const EXPOSE_SITES: &[(&str, usize)] = &[
        ("crates/cli/src/commands.rs", 2),
        ("crates/cli/src/exec.rs", 1),
        ("crates/core/src/check.rs", 1),
        ("crates/core/src/cli_files.rs", 1),
        ("crates/core/src/providers/claude.rs", 7),
        ("crates/core/src/providers/common.rs", 1),
        ("crates/core/src/signin/device.rs", 2),
        ("crates/core/src/signin/flow.rs", 2),
        ("crates/core/src/usage/mod.rs", 1),
        ("crates/core/src/validate/mod.rs", 6),
        ("crates/core/src/vault.rs", 13),
    ];

    fn rust_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_expose_call_site_is_a_counted_choice() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["crates/core/src", "crates/cli/src", "src-tauri/src"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 50, "the sources were found: {}", files.len());
        let mut counted: Vec<(String, usize)> = files
            .iter()
            .filter(|path| !path.to_string_lossy().ends_with("_tests.rs"))
            .filter_map(|path| {
                let text = std::fs::read_to_string(path).expect("a source file");
                let product = text.split("\n#[cfg(test)]").next().unwrap_or_default();
                let sites = product.matches(".expose()").count();
                let name = path
                    .strip_prefix(&root)
                    .expect("under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                (sites > 0).then_some((name, sites))
            })
            .collect();
        counted.sort();
        let expected: Vec<(String, usize)> = EXPOSE_SITES
            .iter()
            .map(|(file, n)| ((*file).to_owned(), *n))
            .collect();
        assert_eq!(
            counted, expected,
            "`.expose()` call sites changed; update EXPOSE_SITES deliberately"
        );
    }
}
