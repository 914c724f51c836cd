//! Finding which account a key in a CLI's file belongs to reads salted fingerprints kept in
//! SQLite, never the keychain of every account: `use` works with the other accounts'
//! keychain entries gone, the database holds no key, and accounts kept before fingerprints
//! get theirs on first need.

use switchboard_core::catalog::ProviderId;
use switchboard_core::vault::Vault;
use switchboard_tests::cli::{run, text};
use switchboard_tests::{add_key, canary, contains, TestEnv};

fn fingerprints(env: &TestEnv) -> Vec<(String, Option<String>)> {
    let db = rusqlite::Connection::open(env.config.database_path()).expect("database");
    let mut query = db
        .prepare("SELECT label, secret_fingerprint FROM accounts ORDER BY created_at, label")
        .expect("query");
    query
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("read")
}

#[test]
fn use_finds_the_key_in_the_files_by_fingerprint_without_reading_every_keychain_entry() {
    let env = TestEnv::new();
    let board = env.board();
    let keys: Vec<String> = (0..30).map(|_| canary("sk-proj-")).collect();
    let ids: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| add_key(&board, ProviderId::Codex, &format!("key {i}"), key))
        .collect();
    let out = run(&env, &["use", "codex", "key 5"]);
    assert!(out.status.success(), "{}", text(&out));

    // Every other account's keychain entry disappears behind Switchboard's back. Finding
    // whose key is in auth.json (the take-back before a switch) must not need them.
    let vault = Vault::new(env.config.keyring_service.clone());
    for (i, id) in ids.iter().enumerate() {
        if i != 5 && i != 7 {
            vault.delete(id).expect("delete");
        }
    }
    let out = run(&env, &["use", "codex", "key 7"]);
    assert!(out.status.success(), "{}", text(&out));
    let auth = std::fs::read(env.home().join(".codex/auth.json")).expect("auth.json");
    assert!(contains(&auth, &keys[7]));

    // Fingerprints, not keys, are what the database holds.
    let database = std::fs::read(env.config.database_path()).expect("database");
    for key in &keys {
        assert!(!contains(&database, key), "a key is in the database");
    }
    let marks = fingerprints(&env);
    assert_eq!(marks.len(), 30);
    assert!(marks
        .iter()
        .all(|(_, f)| f.as_deref().is_some_and(|f| f.len() == 64)));
    let distinct: std::collections::BTreeSet<_> = marks.iter().map(|(_, f)| f.clone()).collect();
    assert_eq!(distinct.len(), 30, "one fingerprint per key");
}

#[test]
fn accounts_kept_before_fingerprints_get_theirs_when_first_needed() {
    let env = TestEnv::new();
    let board = env.board();
    let first = canary("sk-proj-");
    add_key(&board, ProviderId::Codex, "old", &first);
    add_key(&board, ProviderId::Codex, "other", &canary("sk-proj-"));
    let out = run(&env, &["use", "codex", "old"]);
    assert!(out.status.success(), "{}", text(&out));
    // As a database from before schema 11 has them: no fingerprints.
    let db = rusqlite::Connection::open(env.config.database_path()).expect("database");
    db.execute("UPDATE accounts SET secret_fingerprint = NULL", [])
        .expect("clear");
    drop(db);

    // The take-back before the switch finds "old" by its key, and marks both accounts.
    let out = run(&env, &["use", "codex", "other"]);
    assert!(out.status.success(), "{}", text(&out));
    let marks = fingerprints(&env);
    assert!(marks.iter().all(|(_, f)| f.is_some()), "{marks:?}");
    // The login in the files is known: no "new login" was reported for it.
    let events = env.board().recent_events(50).expect("events");
    assert!(events
        .iter()
        .all(|e| e.kind != switchboard_core::store::EventKind::NewLoginFound));
}
