//! Where secrets are kept: the OS keychain ([`Keyring`]) or memory ([`MemoryStore`], for
//! tests and tools that must never reach a keychain). A store keeps opaque text under a
//! name; what the text means (an account's secret, a file's backup) is the vault's business.

#[cfg(any(test, feature = "testing"))]
use std::collections::HashMap;
#[cfg(any(test, feature = "testing"))]
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(any(test, feature = "testing"))]
use std::sync::Mutex;

use crate::secret::Sensitive;

/// Why a store could not do what it was asked. Never carries the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Nothing is kept under that name.
    Missing,
    /// No usable store: none running, or locked (the detail says which, in words).
    Unavailable(String),
    /// The store answered with an error of its own.
    Failed(String),
}

/// A place secrets are kept. Every operation is idempotent: a set replaces, a delete of
/// nothing is fine, so a caller may repeat one that failed half-way.
pub trait SecretStore: Send + Sync {
    /// The text kept under `name`.
    fn get(&self, name: &str) -> Result<Sensitive<String>, StoreError>;
    /// Keeps `value` under `name`, replacing what was there.
    fn set(&self, name: &str, value: &str) -> Result<(), StoreError>;
    /// Forgets `name`; nothing under it is not an error.
    fn delete(&self, name: &str) -> Result<(), StoreError>;
    /// Whether the store is locked, where that can be asked without a prompt to the user;
    /// `None` where it cannot be told.
    fn is_locked(&self) -> Option<bool> {
        None
    }
}

/// The OS keychain under one service name: the Secret Service on Linux, the Keychain on
/// macOS, the Credential Manager on Windows.
pub struct Keyring {
    service: String,
}

impl Keyring {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// Runs one keychain call on the entry `name`, once more on a fresh connection when the
    /// keychain service failed (not when it answered "no such entry"). gnome-keyring-daemon
    /// aborts now and then when a client disconnects right after a request (an upstream
    /// race, GNOME/gnome-keyring#196), and D-Bus starts a new one on the next call; a call in
    /// flight at that moment fails with "disconnected without replying" or "the session
    /// wrapping the secret does not exist". A daemon that has just been started may answer
    /// "no such entry" before it has loaded its keyring from disk, so after a failure that
    /// answer is checked once more a moment later. Every call here is idempotent, so
    /// repeating it is safe.
    fn call<T>(
        &self,
        name: &str,
        operation: impl Fn(&keyring::Entry) -> keyring::Result<T>,
    ) -> Result<T, StoreError> {
        let entry = keyring::Entry::new(&self.service, name).map_err(store_error)?;
        let result = match operation(&entry) {
            Err(keyring::Error::PlatformFailure(first)) => {
                tracing::warn!(
                    error = first_line(&first.to_string()),
                    "the keychain service failed; trying once more"
                );
                let again = keyring::Entry::new(&self.service, name).map_err(store_error)?;
                match operation(&again) {
                    Err(keyring::Error::NoEntry) => {
                        std::thread::sleep(std::time::Duration::from_millis(300));
                        let last = keyring::Entry::new(&self.service, name).map_err(store_error)?;
                        operation(&last)
                    }
                    other => other,
                }
            }
            other => other,
        };
        result.map_err(store_error)
    }
}

impl SecretStore for Keyring {
    fn get(&self, name: &str) -> Result<Sensitive<String>, StoreError> {
        self.call(name, keyring::Entry::get_password)
            .map(Sensitive::new)
    }

    fn set(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.call(name, |entry| entry.set_password(value))
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        match self.call(name, keyring::Entry::delete_credential) {
            Err(StoreError::Missing) => Ok(()),
            other => other,
        }
    }

    /// The Secret Service's default collection's `Locked` property: reading it never
    /// prompts (an item read in a locked collection does).
    #[cfg(target_os = "linux")]
    fn is_locked(&self) -> Option<bool> {
        use dbus_secret_service::{EncryptionType, SecretService};
        let service = SecretService::connect(EncryptionType::Plain).ok()?;
        let collection = service.get_default_collection().ok()?;
        collection.is_locked().ok()
    }
}

/// keyring's errors as a store's. keyring's messages never contain the secret.
fn store_error(err: keyring::Error) -> StoreError {
    match err {
        keyring::Error::NoEntry => StoreError::Missing,
        keyring::Error::PlatformFailure(inner) => StoreError::Unavailable(format!(
            "the keychain service could not be reached ({})",
            first_line(&inner.to_string())
        )),
        keyring::Error::NoStorageAccess(inner) => StoreError::Unavailable(format!(
            "the keychain is locked or has no default collection ({})",
            first_line(&inner.to_string())
        )),
        other => StoreError::Failed(first_line(&other.to_string())),
    }
}

/// The first line of an error's text, at most 200 characters.
pub(crate) fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.chars().take(200).collect()
}

/// Secrets in memory, gone with the process: for tests of the domain without a keychain
/// daemon, and for anything that must never touch the user's keychain. It counts its reads
/// and can play a locked keychain, so a test can see what the domain asks of it.
#[cfg(any(test, feature = "testing"))]
#[derive(Default)]
pub struct MemoryStore {
    items: Mutex<HashMap<String, Sensitive<String>>>,
    locked: AtomicBool,
    reads: AtomicUsize,
}

#[cfg(any(test, feature = "testing"))]
impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on every operation fails as a locked keychain's would (`false`: unlocked).
    pub fn set_locked(&self, locked: bool) {
        self.locked.store(locked, Ordering::SeqCst);
    }

    /// How many `get`s were asked of it so far (those refused as locked included).
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Sensitive<String>>> {
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn open(&self) -> Result<(), StoreError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable(
                "the keychain is locked (a stand-in in memory)".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(any(test, feature = "testing"))]
impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Sensitive<String>, StoreError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.open()?;
        self.lock().get(name).cloned().ok_or(StoreError::Missing)
    }

    fn set(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.open()?;
        self.lock()
            .insert(name.to_owned(), Sensitive::new(value.to_owned()));
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.open()?;
        self.lock().remove(name);
        Ok(())
    }

    fn is_locked(&self) -> Option<bool> {
        Some(self.locked.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_replaces_forgets_and_plays_locked() {
        let store = MemoryStore::new();
        assert_eq!(store.get("a").err(), Some(StoreError::Missing));
        store.set("a", "one").expect("set");
        store.set("a", "two").expect("replace");
        assert_eq!(store.get("a").expect("get").expose(), "two");
        store.set_locked(true);
        assert!(matches!(store.get("a"), Err(StoreError::Unavailable(_))));
        assert_eq!(store.is_locked(), Some(true));
        store.set_locked(false);
        store.delete("a").expect("delete");
        store.delete("a").expect("a second delete is fine");
        assert_eq!(store.get("a").err(), Some(StoreError::Missing));
        assert_eq!(store.reads(), 4);
    }
}
