//! The app's timer when the keychain fails it (the security review of 2026-12-07, M2): an
//! account whose keychain item is gone is marked and never asked about again, and a locked
//! keychain pauses every keychain read until the user acts. Measured as the review did:
//! keychain reads and log lines in 5 s of a running timer. The keychain here is an
//! in-memory store that counts its reads and can play locked; the timer, the database and
//! the log are the real ones. One test in this file: the log is the process's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_core::account::AccountStatus;
use switchboard_core::catalog::ProviderId;
use switchboard_core::refresher::Refresher;
use switchboard_core::secret_store::{MemoryStore, SecretStore};
use switchboard_core::Switchboard;
use switchboard_tests::{add_key, canary, TestEnv};

/// How long each scenario lets the timer run, as in the review.
const WATCHED: Duration = Duration::from_secs(5);

struct World {
    env: TestEnv,
    store: Arc<MemoryStore>,
    board: Arc<Switchboard>,
}

fn new_world() -> World {
    let env = TestEnv::new();
    let store = Arc::new(MemoryStore::new());
    let board = Switchboard::open_with_secrets(env.config.clone(), store.clone())
        .expect("board over memory");
    World {
        env,
        store,
        board: Arc::new(board),
    }
}

fn log_lines(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `scenario`'s timer for [`WATCHED`] and returns the keychain reads and the log lines
/// it made meanwhile.
fn watch(world: &World, log: &std::path::Path) -> (usize, Vec<String>) {
    let reads = world.store.reads();
    let lines = log_lines(log).len();
    let _refresher = Refresher::start(world.board.clone()).expect("timer");
    std::thread::sleep(WATCHED);
    let new_lines = log_lines(log).split_off(lines);
    (world.store.reads() - reads, new_lines)
}

/// A Claude sign-in, imported from its files with an access token that has expired (so it
/// is due for a refresh at once), its files then gone: its tokens exist nowhere.
fn expired_sign_in(world: &World) -> String {
    let home = world.env.home();
    std::fs::create_dir_all(home.join(".claude")).expect("dir");
    let credentials = home.join(".claude/.credentials.json");
    std::fs::write(
        &credentials,
        r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-GONE","refreshToken":"sk-ant-ort01-GONE","expiresAt":1000,"scopes":["user:inference"]}}"#,
    )
    .expect("credentials");
    std::fs::write(
        home.join(".claude.json"),
        r#"{"oauthAccount":{"emailAddress":"gone@example.com","accountUuid":"u-1"}}"#,
    )
    .expect("claude.json");
    let imported = world.board.import_logins().expect("import");
    std::fs::remove_file(credentials).expect("remove");
    std::fs::remove_file(home.join(".claude.json")).expect("remove");
    imported[0].account_id.clone()
}

#[test]
fn keychain_faults_neither_spin_the_timer_nor_prompt_again_and_again() {
    // The log the app writes, for the whole process (one test per file for this reason).
    let logged = TestEnv::new();
    switchboard_core::logging::init(&logged.config, false);
    let log = logged.config.log_path();

    // 1. A sign-in whose keychain item was deleted, due for a refresh.
    let world = new_world();
    let id = expired_sign_in(&world);
    world.store.delete(&id).expect("delete the item");
    let (reads, lines) = watch(&world, &log);
    assert!(reads <= 2, "{reads} keychain reads in 5 s");
    assert!(
        lines.len() <= 2,
        "{} log lines in 5 s: {lines:#?}",
        lines.len()
    );
    let account = world.board.account(&id).expect("account");
    assert_eq!(account.status, AccountStatus::NeedsSignIn);
    assert!(
        account.status_reason.contains("missing from the keychain"),
        "{}",
        account.status_reason
    );

    // 2. An OpenRouter key (its usage read every few minutes) whose item was deleted.
    let world = new_world();
    let id = add_key(
        &world.board,
        ProviderId::Opencode,
        "Router",
        &canary("sk-or-v1-"),
    );
    world.store.delete(&id).expect("delete the item");
    let (reads, lines) = watch(&world, &log);
    assert!(reads <= 2, "{reads} keychain reads in 5 s");
    assert!(
        lines.len() <= 2,
        "{} log lines in 5 s: {lines:#?}",
        lines.len()
    );
    let account = world.board.account(&id).expect("account");
    assert_eq!(account.status, AccountStatus::SecretMissing);
    let (missing, missing_id) = (world, id);

    // 3. A locked keychain (its prompt dismissed, or none can be shown).
    let world = new_world();
    let id = add_key(
        &world.board,
        ProviderId::Opencode,
        "Locked",
        &canary("sk-or-v1-"),
    );
    world.store.set_locked(true);
    let (reads, lines) = watch(&world, &log);
    assert!(reads <= 2, "{reads} keychain reads (unlock prompts) in 5 s");
    assert!(
        lines.len() <= 2,
        "{} log lines in 5 s: {lines:#?}",
        lines.len()
    );
    // The user unlocks it and acts: the timer takes up its work at once.
    world.store.set_locked(false);
    let before = world.store.reads();
    world
        .board
        .rename_account(&id, "Unlocked")
        .expect("an action of the user");
    let deadline = Instant::now() + Duration::from_secs(10);
    while world.store.reads() == before {
        assert!(Instant::now() < deadline, "the timer never resumed");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Last (its timer then reads the key, which would count in another scenario's lines): a
    // new key puts the account whose key was missing back to work.
    let credential = switchboard_core::account::KeyCredential::ApiKey {
        key: canary("sk-or-v1-").into(),
    };
    missing
        .board
        .replace_secret(&missing_id, credential)
        .expect("replace");
    assert_eq!(
        missing.board.account(&missing_id).expect("account").status,
        AccountStatus::Ok
    );
    drop(logged);
}
