//! Taking back rotated tokens: a CLI refreshes its tokens and rewrites its file; Switchboard
//! must keep the new refresh token (they are single-use) and never write an older one back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_core::catalog::ProviderId;
use switchboard_core::facade::TakeBack;
use switchboard_core::store::EventKind;
use switchboard_core::watch::LoginWatcher;
use switchboard_core::Switchboard;
use switchboard_tests::real_cli::read_json;
use switchboard_tests::{add_key, canary, secret_tool_lookup, soon_ms, TestEnv};

/// The expiry of the login the CLI wrote first.
fn expires() -> u64 {
    soon_ms()
}

/// Writes Claude's credentials the way Claude Code does after a refresh: temp file + rename.
fn cli_writes_credentials(env: &TestEnv, refresh: &str, expires_at: u64, email: &str) {
    let dir = env.home().join(".claude");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let body = json!({
        "claudeAiOauth": {"accessToken": canary("sk-ant-oat01-"), "refreshToken": refresh, "expiresAt": expires_at,
                          "scopes": ["user:inference"], "subscriptionType": "pro"},
        "mcpOAuth": {"docs": {"accessToken": "mcp"}}
    });
    let temp = dir.join(".credentials.json.cli-tmp");
    std::fs::write(&temp, serde_json::to_string_pretty(&body).expect("json")).expect("temp");
    std::fs::rename(&temp, dir.join(".credentials.json")).expect("rename");
    let claude_json = env.home().join(".claude.json");
    let mut identity: Value = std::fs::read_to_string(&claude_json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(json!({}));
    identity["oauthAccount"] =
        json!({"accountUuid": format!("uuid-{email}"), "emailAddress": email});
    std::fs::write(&claude_json, identity.to_string()).expect("claude.json");
}

fn stored_refresh(env: &TestEnv, account_id: &str) -> String {
    let raw = secret_tool_lookup(&env.config.keyring_service, account_id).expect("keychain entry");
    let entry: Value = serde_json::from_str(raw.trim()).expect("entry json");
    let tokens: Value =
        serde_json::from_str(entry["tokens"].as_str().expect("tokens")).expect("tokens json");
    tokens["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn imported_account(env: &TestEnv, board: &Switchboard, refresh: &str) -> String {
    cli_writes_credentials(env, refresh, expires(), "ada@example.com");
    board.import_logins().expect("import");
    board.active_account(ProviderId::Claude).expect("active").id
}

fn file_refresh(env: &TestEnv) -> Value {
    read_json(&env.home().join(".claude/.credentials.json"))["claudeAiOauth"]["refreshToken"]
        .clone()
}

#[test]
fn a_refresh_by_the_cli_reaches_the_keychain_and_survives_switching() {
    let env = TestEnv::new();
    let board = Arc::new(env.board());
    let first = canary("sk-ant-ort01-");
    let id = imported_account(&env, &board, &first);
    let _watcher = LoginWatcher::start(board.clone());
    std::thread::sleep(Duration::from_millis(100));

    let rotated = canary("sk-ant-ort01-");
    let started = Instant::now();
    cli_writes_credentials(&env, &rotated, expires() + 28_800_000, "ada@example.com");
    while stored_refresh(&env, &id) != rotated {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the rotated token was never taken back"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "rotated refresh token in the keychain after {:?}",
        started.elapsed()
    );

    let key = add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    board
        .set_active(ProviderId::Claude, Some(&key))
        .expect("away");
    board
        .set_active(ProviderId::Claude, Some(&id))
        .expect("back");
    assert_eq!(
        file_refresh(&env),
        json!(rotated),
        "switching back writes the new token, not the old one"
    );
    let kinds: Vec<EventKind> = board
        .recent_events(20)
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(kinds.contains(&EventKind::TokensTakenBack));
}

#[test]
fn switching_away_takes_back_a_refresh_first_and_an_older_token_never_wins() {
    let env = TestEnv::new();
    let board = env.board();
    let id = imported_account(&env, &board, &canary("sk-ant-ort01-"));

    // The CLI refreshes; the user switches away before any watcher looked.
    let rotated = canary("sk-ant-ort01-");
    cli_writes_credentials(&env, &rotated, expires() + 1_000, "ada@example.com");
    let key = add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    board
        .set_active(ProviderId::Claude, Some(&key))
        .expect("away");
    assert_eq!(
        stored_refresh(&env, &id),
        rotated,
        "taken back before the file was rewritten"
    );

    // An older copy of the same login appears (a stale backup put back by hand): ignored.
    board
        .set_active(ProviderId::Claude, Some(&id))
        .expect("back");
    let stale = canary("sk-ant-ort01-");
    cli_writes_credentials(&env, &stale, expires() - 1_000, "ada@example.com");
    assert_eq!(
        board.take_back(ProviderId::Claude).expect("look"),
        TakeBack::Nothing
    );
    assert_eq!(
        stored_refresh(&env, &id),
        rotated,
        "an older token never replaces a newer one"
    );
}

#[test]
fn a_new_identity_is_offered_not_imported_and_a_torn_file_is_ignored() {
    let env = TestEnv::new();
    let board = env.board();
    imported_account(&env, &board, &canary("sk-ant-ort01-"));

    // The user ran `claude /login` as someone else.
    cli_writes_credentials(&env, &canary("sk-ant-ort01-"), expires(), "bo@example.com");
    assert_eq!(
        board.take_back(ProviderId::Claude).expect("look"),
        TakeBack::NewLogin
    );
    assert_eq!(
        env.accounts().len(),
        1,
        "offered, not imported behind the user's back"
    );
    let imported = board.import_logins().expect("the user accepts");
    assert!(imported
        .iter()
        .any(|i| i.created && i.label == "bo@example.com"));

    // A half-written file (a CLI writing in place) is never read as a login.
    let path = env.home().join(".claude/.credentials.json");
    let full = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, &full[..full.len() / 2]).expect("torn");
    assert_eq!(
        board.take_back(ProviderId::Claude).expect("look"),
        TakeBack::Nothing
    );
    assert_eq!(env.accounts().len(), 2);
}

/// The take-back before a switch runs while the files' lock is held: a token the CLI rotates
/// while the switch waits for another Switchboard process is taken back, not overwritten.
#[test]
fn a_token_rotated_while_a_switch_waits_for_the_lock_is_taken_back_not_lost() {
    let env = TestEnv::new();
    let board = env.board();
    let id = imported_account(&env, &board, &canary("sk-ant-ort01-"));
    add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    let credentials = env.home().join(".claude/.credentials.json");
    // Another Switchboard process is in the middle of rewriting Claude's files.
    let held =
        switchboard_core::files::lock_files(&env.config.locks_dir(), [credentials.as_path()])
            .expect("lock");
    let child = env
        .switchboard()
        .args(["use", "claude", "Key"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("switchboard use");
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile Claude Code refreshes its sign-in: a new single-use refresh token.
    let rotated = canary("sk-ant-ort01-");
    cli_writes_credentials(&env, &rotated, expires() + 3_600_000, "ada@example.com");
    drop(held);
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stored_refresh(&env, &id),
        rotated,
        "the rotated token reached the keychain before the switch rewrote the file"
    );
    assert_eq!(
        file_refresh(&env),
        Value::Null,
        "the key account is active now"
    );
}

/// The watcher sleeps until the OS reports a change to a folder it watches. A CLI's folder
/// that does not exist when the watcher starts (Claude Code never ran) is stood for by its
/// parent: the folder's creation and the login renamed into it are still seen.
#[test]
fn a_login_written_into_a_folder_made_after_the_watcher_started_is_offered() {
    let env = TestEnv::new();
    let board = Arc::new(env.board());
    assert!(!env.home().join(".claude").exists());
    let (found, seen) = std::sync::mpsc::channel();
    board.subscribe(move |change| {
        if change.kind == EventKind::NewLoginFound {
            let _ = found.send(change.provider);
        }
    });
    let _watcher = LoginWatcher::start(board.clone());

    cli_writes_credentials(&env, &canary("sk-ant-ort01-"), expires(), "ada@example.com");
    let provider = seen
        .recv_timeout(Duration::from_secs(15))
        .expect("the new login was never noticed");
    assert_eq!(provider, ProviderId::Claude);
    assert!(
        env.accounts().is_empty(),
        "offered, not imported behind the user's back"
    );
}
