//! The facade's behaviour in milliseconds: on a temp dir, with the secrets in memory and a
//! clock the test moves (no keychain daemon, no display, no provider). The real keychain,
//! the real CLIs and the window are checked in `tests/`.

use std::sync::Arc;

use serde_json::{json, Value};

use super::Switchboard;
use crate::account::{Account, Fallback};
use crate::catalog::ProviderId;
use crate::config::Config;
use crate::limits::{Limits, UsageWindow};
use crate::providers;
use crate::secret_store::MemoryStore;
use crate::store::EventKind;
use crate::time::{Clock, ManualClock};

const HOUR_MS: i64 = 3_600_000;

/// A facade on a temp dir, its secrets in memory, its time `clock`.
struct World {
    _root: tempfile::TempDir,
    home: std::path::PathBuf,
    clock: Arc<ManualClock>,
    board: Switchboard,
}

impl World {
    fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let home = root.path().join("home");
        let config = Config::new(
            root.path().join("data"),
            "behaviour".into(),
            home.clone(),
            "switchboard".into(),
        );
        let clock = Arc::new(ManualClock::starting_now());
        let board = Switchboard::open_with_secrets_and_clock(
            config,
            Arc::new(MemoryStore::default()),
            clock.clone(),
        )
        .expect("open");
        Self {
            _root: root,
            home,
            clock,
            board,
        }
    }

    /// A Claude Code sign-in of `email` whose refresh token is `refresh`, in the pool.
    fn claude_sign_in(&self, email: &str, refresh: &str) -> Account {
        let login = providers::get(ProviderId::Claude)
            .login_from_tokens(
                &json!({
                    "access_token": format!("at-{refresh}"),
                    "refresh_token": refresh,
                    "expires_in": 8 * 3600,
                    "scope": "user:inference user:profile",
                    "account": {"email_address": email, "uuid": format!("uuid-{email}")},
                }),
                None,
            )
            .expect("a login");
        let account = self.board.save_sign_in(login, None).expect("saved").account;
        self.board.set_in_pool(&account.id, true).expect("pool")
    }

    /// Records a reading of `account`: its 5-hour window `used` percent, resetting in `resets_in_ms`.
    fn reading(&self, account: &Account, used: f64, resets_in_ms: i64) {
        let now = self.clock.now_ms();
        let limits = Limits {
            windows: vec![UsageWindow::new("5-hour", used, Some(now + resets_in_ms))],
            ..Limits::default()
        };
        self.board
            .store
            .transaction(|tx| tx.record_usage(&account.id, &limits, now, now + HOUR_MS))
            .expect("reading");
    }

    fn active(&self, provider: ProviderId) -> String {
        self.board.active_account(provider).expect("active").label
    }

    fn refresh_token_in_keychain(&self, account: &Account) -> String {
        let secret = self.board.vault.load(&account.id).expect("secret");
        let tokens = secret.oauth_tokens().expect("tokens");
        tokens["refreshToken"]
            .as_str()
            .expect("a refresh token")
            .to_owned()
    }

    fn credentials_file(&self) -> std::path::PathBuf {
        self.home.join(".claude/.credentials.json")
    }
}

#[test]
fn next_in_pool_takes_the_most_room_and_says_what_it_passed_over() {
    let world = World::new();
    let a = world.claude_sign_in("a@example.com", "rt-a");
    let b = world.claude_sign_in("b@example.com", "rt-b");
    let c = world.claude_sign_in("c@example.com", "rt-c");
    assert_eq!(world.active(ProviderId::Claude), "a@example.com");
    world.reading(&a, 100.0, 2 * HOUR_MS);
    world.reading(&b, 60.0, 2 * HOUR_MS);
    world.reading(&c, 30.0, 2 * HOUR_MS);

    let switched = world.board.next_in_pool(ProviderId::Claude).expect("next");
    assert_eq!(switched.active_label.as_deref(), Some("c@example.com"));
    assert!(
        switched
            .skipped
            .iter()
            .any(|s| s.starts_with("a@example.com: at its limit (5-hour 100%")),
        "{:?}",
        switched.skipped
    );
    let credentials = std::fs::read_to_string(world.credentials_file()).expect("file");
    assert!(credentials.contains("rt-c"), "{credentials}");

    // Once its window has reset, the account at its limit has room again: by the clock.
    world.reading(&c, 100.0, 2 * HOUR_MS);
    world.reading(&b, 100.0, 2 * HOUR_MS);
    let refused = world.board.next_in_pool(ProviderId::Claude);
    assert!(refused.is_err(), "every account is at its limit");
    world.clock.advance(3 * HOUR_MS);
    let switched = world
        .board
        .next_in_pool(ProviderId::Claude)
        .expect("next after the reset");
    assert_ne!(switched.active_label.as_deref(), Some("c@example.com"));
}

#[test]
fn the_fallback_policy_moves_a_failed_sign_in_to_the_next_ready_one() {
    let world = World::new();
    let a = world.claude_sign_in("a@example.com", "rt-a");
    world.claude_sign_in("b@example.com", "rt-b");
    // None: the account stays, waiting for the user.
    assert!(world.board.fall_back(&a).expect("fallback").is_none());
    assert_eq!(world.active(ProviderId::Claude), "a@example.com");

    world
        .board
        .set_fallback(ProviderId::Claude, Fallback::Pool)
        .expect("policy");
    let target = world.board.fall_back(&a).expect("fallback").expect("moved");
    assert_eq!(target.label, "b@example.com");
    assert_eq!(world.active(ProviderId::Claude), "b@example.com");
    let credentials = std::fs::read_to_string(world.credentials_file()).expect("file");
    assert!(credentials.contains("rt-b"), "{credentials}");
    let kinds: Vec<EventKind> = world
        .board
        .recent_events(2)
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, [EventKind::FellBack, EventKind::ActiveChanged]);
}

#[test]
fn a_take_back_keeps_tokens_the_cli_rotated_and_never_a_stale_or_unbelievable_date() {
    let world = World::new();
    let a = world.claude_sign_in("a@example.com", "rt-1");
    let file = world.credentials_file();
    let rewrite = |refresh: &str, expires_at: Value| {
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
        doc["claudeAiOauth"]["refreshToken"] = Value::from(refresh);
        doc["claudeAiOauth"]["expiresAt"] = expires_at;
        std::fs::write(&file, doc.to_string()).expect("rewrite");
    };
    let now = world.clock.now_ms();

    // Claude refreshed: a later expiry, a new refresh token. Taken back.
    rewrite("rt-2", json!(now + 9 * HOUR_MS));
    world
        .board
        .take_back(ProviderId::Claude)
        .expect("take back");
    assert_eq!(world.refresh_token_in_keychain(&a), "rt-2");

    // An older file (a backup put back, say) never replaces newer tokens.
    rewrite("rt-old", json!(now + HOUR_MS));
    world
        .board
        .take_back(ProviderId::Claude)
        .expect("take back");
    assert_eq!(world.refresh_token_in_keychain(&a), "rt-2");

    // A date no provider gives (planted) is no date: not adopted, and it shuts out nothing.
    rewrite("rt-planted", json!(9e15));
    world
        .board
        .take_back(ProviderId::Claude)
        .expect("take back");
    assert_eq!(world.refresh_token_in_keychain(&a), "rt-2");
    world.clock.advance(HOUR_MS);
    rewrite("rt-3", json!(now + 10 * HOUR_MS));
    world
        .board
        .take_back(ProviderId::Claude)
        .expect("take back");
    assert_eq!(world.refresh_token_in_keychain(&a), "rt-3");
}

#[test]
fn auto_switch_moves_the_active_sign_in_past_its_threshold_only_when_on() {
    let world = World::new();
    let a = world.claude_sign_in("a@example.com", "rt-a");
    let b = world.claude_sign_in("b@example.com", "rt-b");
    world.reading(&b, 10.0, 2 * HOUR_MS);
    let now = world.clock.now_ms();
    let over = Limits {
        windows: vec![UsageWindow::new("5-hour", 96.0, Some(now + HOUR_MS))],
        ..Limits::default()
    };
    // Off (the default): the active account stays, whatever its reading.
    world.board.auto_switch_if_over(&a, &over).expect("off");
    assert_eq!(world.active(ProviderId::Claude), "a@example.com");

    world
        .board
        .set_auto_switch(ProviderId::Claude, Some(95.0))
        .expect("on");
    // Below the threshold: stays.
    let under = Limits {
        windows: vec![UsageWindow::new("5-hour", 90.0, Some(now + HOUR_MS))],
        ..Limits::default()
    };
    world.board.auto_switch_if_over(&a, &under).expect("under");
    assert_eq!(world.active(ProviderId::Claude), "a@example.com");
    // Past it: the pool account with room becomes active, its files written, and the
    // notice says so.
    world.board.auto_switch_if_over(&a, &over).expect("over");
    assert_eq!(world.active(ProviderId::Claude), "b@example.com");
    let credentials = std::fs::read_to_string(world.credentials_file()).expect("file");
    assert!(credentials.contains("rt-b"), "{credentials}");
    let (_, notice) = world
        .board
        .auto_switch_notice(&b.id)
        .expect("notice")
        .expect("an auto-switch was logged");
    assert!(notice.contains("a@example.com"), "{notice}");
    assert!(notice.contains("b@example.com"), "{notice}");
    // A reading of an account that is no longer the active one moves nothing.
    world.board.auto_switch_if_over(&a, &over).expect("not active");
    assert_eq!(world.active(ProviderId::Claude), "b@example.com");
}
