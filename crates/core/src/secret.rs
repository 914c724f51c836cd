//! `Sensitive<T>`: a secret value that cannot be printed, logged or serialised by accident.
//!
//! `Debug` and `Display` print `<redacted>`; there is deliberately no `Serialize` impl, so a
//! secret can never end up in an IPC response, an event or the database. It can be
//! *deserialised* (the UI sends a new key to the backend) and is zeroed when dropped.

use std::fmt;

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
}
