//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): one entry per account under the configured service name. This is the only
//! place secrets are stored; with no usable keychain nothing is stored at all.

use serde_json::{json, Value};

use crate::account::KeyCredential;
use crate::error::{Error, Result};
use crate::secret::Sensitive;

/// What the keychain holds for one account.
#[derive(Debug, Clone)]
pub enum AccountSecret {
    ApiKey(Sensitive<String>),
    BedrockAccessKeys {
        access_key_id: Sensitive<String>,
        secret_access_key: Sensitive<String>,
    },
    BedrockApiKey(Sensitive<String>),
    /// A sign-in account's tokens, as the provider's CLI keeps them (Claude's `claudeAiOauth`
    /// object, Codex's `tokens` and `last_refresh`, Gemini's `oauth_creds.json`), as JSON.
    OAuthTokens(Sensitive<String>),
}

impl AccountSecret {
    pub fn from_credential(credential: &KeyCredential) -> Self {
        use crate::validate::trimmed;
        match credential {
            KeyCredential::ApiKey { key } => AccountSecret::ApiKey(trimmed(key)),
            KeyCredential::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
                ..
            } => AccountSecret::BedrockAccessKeys {
                access_key_id: trimmed(access_key_id),
                secret_access_key: trimmed(secret_access_key),
            },
            KeyCredential::BedrockApiKey { api_key, .. } => {
                AccountSecret::BedrockApiKey(trimmed(api_key))
            }
        }
    }

    /// A sign-in account's tokens as JSON, for writing them into the CLI's files; `None` for
    /// keys. The value is a secret: write it to the CLI file and drop it.
    pub fn oauth_tokens(&self) -> Option<Value> {
        match self {
            AccountSecret::OAuthTokens(text) => serde_json::from_str(text.expose()).ok(),
            _ => None,
        }
    }

    /// The part of the secret a masked hint is made from.
    pub fn hint_source(&self) -> &str {
        match self {
            AccountSecret::ApiKey(key) | AccountSecret::BedrockApiKey(key) => key.expose(),
            AccountSecret::BedrockAccessKeys { access_key_id, .. } => access_key_id.expose(),
            AccountSecret::OAuthTokens(tokens) => tokens.expose(),
        }
    }

    /// A salted SHA-256 of a key (or an AWS access key id), to find the account a key in a
    /// CLI's file belongs to without reading the keychain; `None` for sign-in tokens, which
    /// rotate (those are matched by identity).
    pub fn fingerprint(&self, salt: &str) -> Option<String> {
        use sha2::{Digest, Sha256};
        let tag = match self {
            AccountSecret::ApiKey(_) => "api_key",
            AccountSecret::BedrockApiKey(_) => "bedrock_api_key",
            AccountSecret::BedrockAccessKeys { .. } => "bedrock_access_keys",
            AccountSecret::OAuthTokens(_) => return None,
        };
        let mut hash = Sha256::new();
        for part in [salt, tag, self.hint_source()] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        Some(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    fn encode(&self) -> Sensitive<String> {
        let value = match self {
            AccountSecret::ApiKey(key) => json!({"v": 1, "type": "api_key", "key": key.expose()}),
            AccountSecret::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
            } => json!({
                "v": 1, "type": "bedrock_access_keys",
                "access_key_id": access_key_id.expose(), "secret_access_key": secret_access_key.expose(),
            }),
            AccountSecret::BedrockApiKey(key) => {
                json!({"v": 1, "type": "bedrock_api_key", "key": key.expose()})
            }
            AccountSecret::OAuthTokens(tokens) => {
                json!({"v": 1, "type": "oauth_tokens", "tokens": tokens.expose()})
            }
        };
        Sensitive::new(value.to_string())
    }

    fn decode(raw: &Sensitive<String>) -> Result<Self> {
        let malformed = || Error::Keychain {
            context: "reading an account secret".into(),
            message: "the keychain entry is not in Switchboard's format".into(),
        };
        let value: Value = serde_json::from_str(raw.expose()).map_err(|_| malformed())?;
        let field = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_str)
                .map(Sensitive::from)
                .ok_or_else(malformed)
        };
        match value.get("type").and_then(Value::as_str) {
            Some("api_key") => Ok(AccountSecret::ApiKey(field("key")?)),
            Some("bedrock_api_key") => Ok(AccountSecret::BedrockApiKey(field("key")?)),
            Some("oauth_tokens") => Ok(AccountSecret::OAuthTokens(field("tokens")?)),
            Some("bedrock_access_keys") => Ok(AccountSecret::BedrockAccessKeys {
                access_key_id: field("access_key_id")?,
                secret_access_key: field("secret_access_key")?,
            }),
            _ => Err(malformed()),
        }
    }
}

pub struct Vault {
    service: String,
}

impl Vault {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn store(&self, account_id: &str, secret: &AccountSecret) -> Result<()> {
        let encoded = secret.encode();
        self.call(account_id, |entry| entry.set_password(encoded.expose()))
            .map_err(|e| map_keyring("saving a secret", e))
    }

    pub fn load(&self, account_id: &str) -> Result<AccountSecret> {
        let raw = self
            .call(account_id, keyring::Entry::get_password)
            .map(Sensitive::new)
            .map_err(|e| map_keyring("reading a secret", e))?;
        AccountSecret::decode(&raw)
    }

    /// Runs one keychain call on the entry `name`, once more on a fresh connection when the
    /// keychain service failed (not when it answered "no such entry"). gnome-keyring-daemon
    /// aborts now and then when a client disconnects right after a request (an upstream
    /// race, GNOME/gnome-keyring#196), and D-Bus starts a new one on the next call; a call in
    /// flight at that moment fails with "disconnected without replying" or "the session
    /// wrapping the secret does not exist". A daemon that has just been started may answer
    /// "no such entry" before it has loaded its keyring from disk, so after a failure that
    /// answer is checked once more a moment later. Every call here is idempotent (a store
    /// replaces, a delete of a missing entry is fine), so repeating it is safe.
    fn call<T>(
        &self,
        name: &str,
        operation: impl Fn(&keyring::Entry) -> keyring::Result<T>,
    ) -> keyring::Result<T> {
        let entry = keyring::Entry::new(&self.service, name)?;
        match operation(&entry) {
            Err(keyring::Error::PlatformFailure(first)) => {
                tracing::warn!(
                    error = first_line(&first.to_string()),
                    "the keychain service failed; trying once more"
                );
                match operation(&keyring::Entry::new(&self.service, name)?) {
                    Err(keyring::Error::NoEntry) => {
                        std::thread::sleep(std::time::Duration::from_millis(300));
                        operation(&keyring::Entry::new(&self.service, name)?)
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Keeps the original of a CLI file. Originals can hold the user's own tokens, so they
    /// are backed up in the keychain, never in a plain file.
    pub fn store_backup(&self, path: &std::path::Path, contents: &str) -> Result<()> {
        let payload = json!({"v": 1, "type": "file_backup", "path": path.to_string_lossy(), "contents": contents});
        let payload = Sensitive::new(payload.to_string());
        self.call(&backup_entry_name(path), |entry| {
            entry.set_password(payload.expose())
        })
        .map_err(|e| map_keyring("backing up a CLI file", e))
    }

    /// The backed-up original of a CLI file.
    pub fn load_backup(&self, path: &std::path::Path) -> Result<Sensitive<String>> {
        let raw = self
            .call(&backup_entry_name(path), keyring::Entry::get_password)
            .map(Sensitive::new)
            .map_err(|e| match e {
                keyring::Error::NoEntry => Error::Keychain {
                    context: "reading a CLI file backup".into(),
                    message: format!(
                        "the original of {} is missing from the keychain; nothing was restored",
                        path.display()
                    ),
                },
                other => map_keyring("reading a CLI file backup", other),
            })?;
        let value: Value = serde_json::from_str(raw.expose()).map_err(|_| Error::Keychain {
            context: "reading a CLI file backup".into(),
            message: "the keychain entry is not in Switchboard's format".into(),
        })?;
        // A backup without its contents is an error, never an empty file.
        let contents = value
            .get("contents")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Keychain {
                context: "reading a CLI file backup".into(),
                message: format!(
                    "the backup of {} has no contents; nothing was restored",
                    path.display()
                ),
            })?;
        Ok(Sensitive::new(contents.to_owned()))
    }

    pub fn delete_backup(&self, path: &std::path::Path) -> Result<()> {
        match self.call(&backup_entry_name(path), keyring::Entry::delete_credential) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring("deleting a CLI file backup", e)),
        }
    }

    /// Deletes the account's entry; an entry that is already gone is not an error.
    pub fn delete(&self, account_id: &str) -> Result<()> {
        match self.call(account_id, keyring::Entry::delete_credential) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring("deleting a secret", e)),
        }
    }
}

/// The keychain user name of a file's backup: `backup:` and a hash of its path.
pub fn backup_entry_name(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("backup:{hex}")
}

/// Turns keyring's errors into ours. "No keychain at all" gets its own code and a message
/// that names the fix. keyring's messages never contain the secret.
fn map_keyring(context: &str, err: keyring::Error) -> Error {
    match err {
        keyring::Error::NoEntry => Error::not_found("The account's secret in the keychain"),
        keyring::Error::PlatformFailure(inner) => Error::KeychainUnavailable {
            detail: format!(
                "the keychain service could not be reached ({})",
                first_line(&inner.to_string())
            ),
        },
        keyring::Error::NoStorageAccess(inner) => Error::KeychainUnavailable {
            detail: format!(
                "the keychain is locked or has no default collection ({})",
                first_line(&inner.to_string())
            ),
        },
        other => Error::Keychain {
            context: context.to_owned(),
            message: first_line(&other.to_string()),
        },
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_through_the_keychain_encoding() {
        let secret = AccountSecret::BedrockAccessKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG".into(),
        };
        let decoded = AccountSecret::decode(&secret.encode()).expect("decodes");
        match decoded {
            AccountSecret::BedrockAccessKeys {
                access_key_id,
                secret_access_key,
            } => {
                assert_eq!(access_key_id.expose(), "AKIAIOSFODNN7EXAMPLE");
                assert_eq!(secret_access_key.expose(), "wJalrXUtnFEMI/K7MDENG");
            }
            other => panic!("wrong variant {other:?}"),
        }
    }

    #[test]
    fn a_foreign_entry_is_an_error_without_its_content() {
        let err =
            AccountSecret::decode(&Sensitive::from("plain-canary-value")).expect_err("not json");
        assert!(!err.to_string().contains("canary"), "{err}");
    }
}
