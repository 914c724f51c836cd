//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): one entry per account under the configured service name. This is the only
//! place secrets are stored; with no usable keychain nothing is stored at all.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::account::KeyCredential;
use crate::error::{Error, Result};
use crate::secret::{SecretJson, Sensitive};
use crate::secret_store::{Keyring, SecretStore, StoreError};

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
    /// keys. Its strings are wiped when it drops.
    pub fn oauth_tokens(&self) -> Option<SecretJson> {
        match self {
            AccountSecret::OAuthTokens(text) => SecretJson::parse(text.expose()),
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
        let value = SecretJson::new(match self {
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
        });
        value.to_text()
    }

    fn decode(raw: &Sensitive<String>) -> Result<Self> {
        let malformed = || Error::Keychain {
            context: "reading an account secret".into(),
            message: "the keychain entry is not in Switchboard's format".into(),
        };
        let value = SecretJson::parse(raw.expose()).ok_or_else(malformed)?;
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

/// The account secrets and CLI-file backups, encoded, in a [`SecretStore`]: the OS keychain
/// in the apps, memory in tests of the domain.
#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
}

impl Vault {
    /// The OS keychain under `service`.
    pub fn new(service: impl Into<String>) -> Self {
        Self::with_store(Arc::new(Keyring::new(service)))
    }

    /// Secrets kept in `store` (an in-memory one, say).
    pub fn with_store(store: Arc<dyn SecretStore>) -> Self {
        Self { store }
    }

    /// Whether the store is locked, where it can tell without prompting (see
    /// [`SecretStore::is_locked`]).
    pub fn is_locked(&self) -> Option<bool> {
        self.store.is_locked()
    }

    pub fn store(&self, account_id: &str, secret: &AccountSecret) -> Result<()> {
        let encoded = secret.encode();
        self.store
            .set(account_id, encoded.expose())
            .map_err(|e| map_store("saving a secret", e))
    }

    pub fn load(&self, account_id: &str) -> Result<AccountSecret> {
        let raw = self
            .store
            .get(account_id)
            .map_err(|e| map_store("reading a secret", e))?;
        AccountSecret::decode(&raw)
    }

    /// Keeps the original of a CLI file. Originals can hold the user's own tokens, so they
    /// are backed up in the keychain, never in a plain file.
    pub fn store_backup(&self, path: &std::path::Path, contents: &str) -> Result<()> {
        let payload = SecretJson::new(
            json!({"v": 1, "type": "file_backup", "path": path.to_string_lossy(), "contents": contents}),
        )
        .to_text();
        self.store
            .set(&backup_entry_name(path), payload.expose())
            .map_err(|e| map_store("backing up a CLI file", e))
    }

    /// The backed-up original of a CLI file.
    pub fn load_backup(&self, path: &std::path::Path) -> Result<Sensitive<String>> {
        let raw = self
            .store
            .get(&backup_entry_name(path))
            .map_err(|e| match e {
                StoreError::Missing => Error::Keychain {
                    context: "reading a CLI file backup".into(),
                    message: format!(
                        "the original of {} is missing from the keychain; nothing was restored",
                        path.display()
                    ),
                },
                other => map_store("reading a CLI file backup", other),
            })?;
        let value = SecretJson::parse(raw.expose()).ok_or_else(|| Error::Keychain {
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
        self.store
            .delete(&backup_entry_name(path))
            .map_err(|e| map_store("deleting a CLI file backup", e))
    }

    /// Deletes the account's entry; an entry that is already gone is not an error.
    pub fn delete(&self, account_id: &str) -> Result<()> {
        self.store
            .delete(account_id)
            .map_err(|e| map_store("deleting a secret", e))
    }
}

/// The keychain user name of a file's backup: `backup:` and a hash of its path.
pub fn backup_entry_name(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("backup:{hex}")
}

/// A store's errors as the domain's. "No keychain at all" gets its own code and a message
/// that names the fix.
fn map_store(context: &str, err: StoreError) -> Error {
    match err {
        StoreError::Missing => Error::not_found("The account's secret in the keychain"),
        StoreError::Unavailable(detail) => Error::KeychainUnavailable { detail },
        StoreError::Failed(message) => Error::Keychain {
            context: context.to_owned(),
            message,
        },
    }
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
