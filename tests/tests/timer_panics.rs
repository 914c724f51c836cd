//! The app's timer survives a panic in one account's work (the security review of
//! 2026-12-07, L3): the account waits a backoff and the others are still read. The panic is
//! played by a keychain stand-in that panics when one account's secret is asked for.

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_core::catalog::ProviderId;
use switchboard_core::refresher::Refresher;
use switchboard_core::secret::Sensitive;
use switchboard_core::secret_store::{MemoryStore, SecretStore, StoreError};
use switchboard_core::Switchboard;
use switchboard_tests::{add_key, canary, TestEnv};

/// Memory, but a read of `poisoned` panics.
struct Panicking {
    inner: MemoryStore,
    poisoned: std::sync::Mutex<Option<String>>,
}

impl SecretStore for Panicking {
    fn get(&self, name: &str) -> Result<Sensitive<String>, StoreError> {
        let poisoned = self
            .poisoned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        assert_ne!(
            poisoned.as_deref(),
            Some(name),
            "a panic in one account's work"
        );
        self.inner.get(name)
    }
    fn set(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.inner.set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.inner.delete(name)
    }
}

#[test]
fn a_panic_in_one_accounts_reading_leaves_the_timer_running_for_the_others() {
    let env = TestEnv::new();
    let store = Arc::new(Panicking {
        inner: MemoryStore::new(),
        poisoned: std::sync::Mutex::new(None),
    });
    let board =
        Arc::new(Switchboard::open_with_secrets(env.config.clone(), store.clone()).expect("board"));
    let first = add_key(&board, ProviderId::Opencode, "First", &canary("sk-or-v1-"));
    let second = add_key(&board, ProviderId::Opencode, "Second", &canary("sk-or-v1-"));
    *store.poisoned.lock().expect("lock") = Some(first.clone());
    let _timer = Refresher::start(board.clone()).expect("timer");

    // Both are due at once; the first one's reading panics, the second is still read (its
    // endpoint is a closed loopback port here, so its reading fails and says so).
    let read = |id: &str| {
        board
            .usage(Some(ProviderId::Opencode))
            .expect("usage")
            .into_iter()
            .find(|u| u.account_id == id)
            .and_then(|u| u.error)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while read(&first).is_none() || read(&second).is_none() {
        assert!(Instant::now() < deadline, "the timer stopped at the panic");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        read(&first).is_some_and(|e| e.contains("internal error")),
        "{:?}",
        read(&first)
    );
    assert!(
        read(&second).is_some_and(|e| e.contains("127.0.0.1")),
        "{:?}",
        read(&second)
    );
}
