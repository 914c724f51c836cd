//! Keeping sign-ins alive, against the fake provider: due accounts are refreshed once, the
//! rotated tokens land in the keychain (and the CLI's file when active), concurrent refreshes
//! never spend a refresh token twice, a refusal needs sign-in (and a new sign-in fixes it in
//! place), a failure that may pass is tried again later, `use` refreshes an expired account
//! first, and removing a sign-in revokes it where the provider can.

use serde_json::Value;
use switchboard_tests::cli::{listed_account as account, login, run, text};
use switchboard_tests::fake_provider::{Failure, FakeProvider, Identity, Route};
use switchboard_tests::{contains, secret_tool_lookup, TestEnv};

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

/// The tokens the keychain holds for an account, read with `secret-tool`.
fn keychain_tokens(env: &TestEnv, id: &str) -> Value {
    let stored = secret_tool_lookup(&env.config.keyring_service, id).expect("keychain entry");
    let value: Value = serde_json::from_str(&stored).expect("stored secret is JSON");
    // The vault keeps `{"v": 1, "type": "oauth_tokens", "tokens": "<the CLI's JSON>"}`.
    assert_eq!(value["type"], "oauth_tokens");
    serde_json::from_str(value["tokens"].as_str().expect("tokens")).expect("tokens are JSON")
}

fn claude_file(env: &TestEnv) -> Value {
    let path = env.home().join(".claude/.credentials.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("credentials")).expect("json")
}

fn codex_file(env: &TestEnv) -> Value {
    let path = env.home().join(".codex/auth.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("auth.json")).expect("json")
}

#[test]
fn due_sign_ins_are_refreshed_once_and_the_new_tokens_land_where_they_belong() {
    let (env, fake) = world();
    // Tokens that expire within the refresh margin: due at once.
    fake.set_lifetime("claude", 60);
    fake.set_lifetime("codex", 60);
    let claude_active = login(&env, &fake, "claude", "ca@example.com");
    let claude_pool = login(&env, &fake, "claude", "cb@example.com");
    let codex_active = login(&env, &fake, "codex", "xa@example.com");
    let codex_pool = login(&env, &fake, "codex", "xb@example.com");
    let board = env.board();
    board.set_in_pool(&claude_pool, true).expect("pool");
    board.set_in_pool(&codex_pool, true).expect("pool");
    let before = keychain_tokens(&env, &claude_pool);
    // From now on the fake hands out tokens that live an hour.
    fake.set_lifetime("claude", 3600);
    fake.set_lifetime("codex", 3600);

    let out = run(&env, &["refresh", "--due"]);
    assert!(out.status.success(), "{}", text(&out));
    let mut claude = fake.refreshes("claude");
    claude.sort();
    assert_eq!(claude, ["ca@example.com", "cb@example.com"]);
    let mut codex = fake.refreshes("codex");
    codex.sort();
    assert_eq!(codex, ["xa@example.com", "xb@example.com"]);

    // The pooled accounts' rotated tokens are in the keychain.
    let after = keychain_tokens(&env, &claude_pool);
    assert_ne!(after["refreshToken"], before["refreshToken"]);
    assert!(fake
        .issued_to("cb@example.com")
        .contains(&after["refreshToken"].as_str().unwrap().to_owned()));
    let codex_after = keychain_tokens(&env, &codex_pool);
    assert!(fake.issued_to("xb@example.com").contains(
        &codex_after["tokens"]["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned()
    ));
    // The active accounts' new tokens are in the CLI files too.
    assert_eq!(
        claude_file(&env)["claudeAiOauth"]["accessToken"],
        keychain_tokens(&env, &claude_active)["accessToken"]
    );
    assert_eq!(
        codex_file(&env)["tokens"]["access_token"],
        keychain_tokens(&env, &codex_active)["tokens"]["access_token"]
    );
    let listed = account(&env, "claude", "cb@example.com");
    assert_eq!(listed["status"], "ok");
    assert!(
        listed["expires_at"].as_i64().unwrap() > switchboard_core::time::now_ms() + 3000 * 1000
    );

    // No token, old or rotated, is anywhere in the data dir (database, WAL, log).
    for email in [
        "ca@example.com",
        "cb@example.com",
        "xa@example.com",
        "xb@example.com",
    ] {
        for token in fake.issued_to(email) {
            for (path, bytes) in env.data_dir_bytes() {
                assert!(
                    !contains(&bytes, &token),
                    "a token is in {}",
                    path.display()
                );
            }
        }
    }

    // Nothing is due any more: a second pass sends nothing.
    let out = run(&env, &["refresh", "--due"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.refreshes("claude").len(), 2);
    assert_eq!(fake.refreshes("codex").len(), 2);
    assert!(fake.reused_refresh_tokens().is_empty());
}

/// `count` `switchboard refresh codex <label>` at once, each from its own process; every one
/// must succeed.
fn refresh_at_once(env: &TestEnv, count: usize, label: &str) {
    let children: Vec<_> = (0..count)
        .map(|_| {
            env.switchboard()
                .args(["refresh", "codex", label])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", text(&out));
    }
}

#[test]
fn twenty_concurrent_refreshes_of_one_account_never_spend_a_refresh_token_twice() {
    let (env, fake) = world();
    login(&env, &fake, "codex", "busy@example.com");
    refresh_at_once(&env, 20, "busy@example.com");
    assert!(
        fake.reused_refresh_tokens().is_empty(),
        "a refresh token was spent twice"
    );
    assert_eq!(fake.refreshes("codex").len(), 20);
    // The account still works: the stored refresh token is live, and the CLI has the newest.
    let out = run(&env, &["refresh", "codex", "busy@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    let id = account(&env, "codex", "busy@example.com")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        codex_file(&env)["tokens"]["refresh_token"],
        keychain_tokens(&env, &id)["tokens"]["refresh_token"]
    );
}

#[test]
fn a_refused_refresh_needs_sign_in_and_a_new_sign_in_fixes_the_same_account() {
    let (env, fake) = world();
    let id = login(&env, &fake, "claude", "gone@example.com");
    fake.fail_next(Route::Token, Failure::InvalidGrant);
    let out = run(&env, &["refresh", "claude", "gone@example.com"]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs signing in again"), "{stderr}");
    assert!(stderr.contains("switchboard login claude"), "{stderr}");
    let listed = account(&env, "claude", "gone@example.com");
    assert_eq!(listed["status"], "needs_sign_in");
    assert!(
        listed["status_reason"]
            .as_str()
            .unwrap()
            .contains("invalid_grant"),
        "{listed}"
    );
    // The refresher leaves it alone until the user signs in again.
    let out = run(&env, &["refresh", "--due"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(fake.refreshes("claude").is_empty());

    // Reconnect: the same identity signs in again (no label: the account has one), and the
    // same account works.
    fake.sign_in_as(Identity::new("gone@example.com", "max"));
    let out = run(&env, &["login", "claude"]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = account(&env, "claude", "gone@example.com");
    assert_eq!(listed["id"], id.as_str());
    assert_eq!(listed["status"], "ok");
    assert_eq!(listed["status_reason"], "");
    let out = run(&env, &["refresh", "claude", "gone@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_failure_that_may_pass_is_tried_again_later_without_needing_sign_in() {
    let (env, fake) = world();
    login(&env, &fake, "gemini", "flaky@example.com");
    fake.fail_next(Route::Token, Failure::ServerError);
    let out = run(&env, &["refresh", "gemini", "flaky@example.com"]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tried again later"),
        "{}",
        text(&out)
    );
    let listed = account(&env, "gemini", "flaky@example.com");
    assert_eq!(listed["status"], "refresh_failed");
    assert!(!listed["status_reason"].as_str().unwrap().is_empty());
    // In backoff: the refresher does not try before its time, even though it is due.
    fake.set_lifetime("gemini", 3600);
    let out = run(&env, &["refresh", "--due"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(fake.refreshes("gemini").is_empty());
    // Asked for by name, it is tried at once, and works.
    let out = run(&env, &["refresh", "gemini", "flaky@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(account(&env, "gemini", "flaky@example.com")["status"], "ok");
}

#[test]
fn use_refreshes_an_expired_sign_in_before_handing_it_to_the_cli() {
    let (env, fake) = world();
    login(&env, &fake, "codex", "first@example.com");
    fake.set_lifetime("codex", -60);
    login(&env, &fake, "codex", "stale@example.com");
    fake.set_lifetime("codex", 3600);
    assert!(fake.refreshes("codex").is_empty());
    let out = run(&env, &["use", "codex", "stale@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.refreshes("codex"), ["stale@example.com"]);
    let access = codex_file(&env)["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let newest = fake.issued_to("stale@example.com");
    assert_eq!(
        newest[newest.len() - 2],
        access,
        "the CLI got the refreshed token"
    );
}

#[test]
fn removing_a_sign_in_revokes_it_where_the_provider_can() {
    let (env, fake) = world();
    let codex = login(&env, &fake, "codex", "c@example.com");
    let gemini = login(&env, &fake, "gemini", "g@example.com");
    login(&env, &fake, "claude", "a@example.com");
    let codex_token = keychain_tokens(&env, &codex)["tokens"]["refresh_token"].clone();
    let gemini_token = keychain_tokens(&env, &gemini)["refresh_token"].clone();

    for (provider, label) in [("codex", "c@example.com"), ("gemini", "g@example.com")] {
        let out = run(&env, &["remove", provider, label]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("revoked"),
            "{}",
            text(&out)
        );
    }
    assert_eq!(fake.revoked("codex"), [codex_token.as_str().unwrap()]);
    assert_eq!(fake.revoked("gemini"), [gemini_token.as_str().unwrap()]);
    assert!(secret_tool_lookup(&env.config.keyring_service, &codex).is_none());

    let out = run(&env, &["remove", "claude", "a@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no way to revoke"),
        "{}",
        text(&out)
    );
}

/// The label of the provider's active account, from `status --json`.
fn active_label(env: &TestEnv, provider: &str) -> Option<String> {
    let out = run(env, &["status", "--json"]);
    let status: Value = serde_json::from_slice(&out.stdout).expect("status --json");
    status
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["provider"] == provider)
        .and_then(|p| p["active"]["label"].as_str().map(str::to_owned))
}

#[test]
fn the_fallback_policy_switches_to_a_chosen_key_or_the_pool_and_says_so() {
    let (env, fake) = world();
    // Claude: a sign-in, with a key account as its fallback.
    let claude = login(&env, &fake, "claude", "work@example.com");
    let mut add = env
        .switchboard()
        .args(["add-key", "claude", "--label", "Team key"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("add-key");
    std::io::Write::write_all(
        add.stdin.as_mut().expect("stdin"),
        b"sk-ant-api03-fallback-key-000000",
    )
    .expect("key");
    drop(add.stdin.take());
    assert!(add.wait().expect("add-key").success());
    let out = run(&env, &["fallback", "claude", "Team key"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\u{201c}Team key\u{201d} becomes active")
    );

    fake.fail_next(Route::Token, Failure::InvalidGrant);
    let out = run(&env, &["refresh", "claude", "work@example.com"]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Claude Code now uses \u{201c}Team key\u{201d} (its fallback)"),
        "{}",
        text(&out)
    );
    assert_eq!(active_label(&env, "claude").as_deref(), Some("Team key"));
    let (title, body) = env
        .board()
        .sign_in_needed_notice(&claude)
        .expect("events")
        .expect("a notice");
    assert_eq!(title, "Claude Code: sign in again");
    assert!(
        body.starts_with("Claude Code refused to renew \u{201c}work@example.com\u{201d} (invalid_grant")
            && body.ends_with("Claude Code now uses \u{201c}Team key\u{201d} instead. Reconnect \u{201c}work@example.com\u{201d} to use it again."),
        "{body}"
    );

    // Codex: the next account of the pool.
    let first = login(&env, &fake, "codex", "one@example.com");
    let second = login(&env, &fake, "codex", "two@example.com");
    let board = env.board();
    board.set_in_pool(&first, true).expect("pool");
    board.set_in_pool(&second, true).expect("pool");
    assert!(run(&env, &["fallback", "codex", "pool"]).status.success());
    assert_eq!(
        active_label(&env, "codex").as_deref(),
        Some("one@example.com")
    );
    fake.fail_next(Route::Token, Failure::InvalidGrant);
    let out = run(&env, &["refresh", "codex", "one@example.com"]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    assert_eq!(
        active_label(&env, "codex").as_deref(),
        Some("two@example.com")
    );
    let (_, body) = board
        .sign_in_needed_notice(&first)
        .expect("events")
        .expect("a notice");
    assert!(
        body.contains("Codex now uses \u{201c}two@example.com\u{201d} instead"),
        "{body}"
    );
    let events = board.recent_events(20).expect("events");
    assert!(
        events
            .iter()
            .any(|e| e.detail == "from one@example.com to two@example.com"),
        "the event log records the fallback"
    );

    // Gemini, with no policy: nothing moves.
    login(&env, &fake, "gemini", "g@example.com");
    fake.fail_next(Route::Token, Failure::InvalidGrant);
    let out = run(&env, &["refresh", "gemini", "g@example.com"]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    assert_eq!(
        active_label(&env, "gemini").as_deref(),
        Some("g@example.com")
    );
}

#[test]
fn grok_files_are_written_only_under_grok_own_auth_lock() {
    let (env, fake) = world();
    login(&env, &fake, "grok", "first@example.com");
    login(&env, &fake, "grok", "second@example.com");
    let auth = env.home().join(".grok/auth.json");
    let lock_path = env.home().join(".grok/auth.json.lock");
    let before = std::fs::read_to_string(&auth).expect("auth.json");
    assert!(before.contains("first@example.com"), "{before}");

    // Grok is refreshing: it holds its lock. The switch waits for it.
    let held = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .expect("lock file");
    held.lock().expect("grok's lock");
    let switching = env
        .switchboard()
        .args(["use", "grok", "second@example.com"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("use");
    let pid = switching.id();
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert_eq!(
        std::fs::read_to_string(&auth).expect("auth.json"),
        before,
        "nothing is written while Grok holds its lock"
    );
    drop(held);
    let out = switching.wait_with_output().expect("use");
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::read_to_string(&auth)
        .unwrap()
        .contains("second@example.com"));
    // It held the lock as Grok's own holders do: its PID and the time.
    let holder = std::fs::read_to_string(&lock_path).expect("lock file");
    let (holder_pid, seconds) = holder.split_once(':').expect("PID:seconds");
    assert_eq!(holder_pid, pid.to_string());
    assert!(seconds.parse::<i64>().is_ok(), "{holder}");
}

#[test]
fn the_app_refresher_and_twenty_command_lines_at_once_never_spend_a_refresh_token_twice() {
    let (env, fake) = world();
    // Due at once: the app's timer refreshes it as soon as it starts.
    fake.set_lifetime("codex", 60);
    login(&env, &fake, "codex", "busy@example.com");
    fake.set_lifetime("codex", 3600);
    // The app's refresh is slow to answer, and the twenty start while it is in flight.
    let before = fake.token_requests();
    fake.fail_next(
        Route::Token,
        Failure::Slow(std::time::Duration::from_secs(2)),
    );
    let mut app = env
        .app()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the app");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while fake.token_requests() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the app never refreshed: {}",
            std::fs::read_to_string(env.config.log_path()).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    refresh_at_once(&env, 20, "busy@example.com");
    // The app's timer refreshed it (it logs each pass) before it is stopped.
    let log = env.config.log_path();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("refresher: refreshed what was due count=1")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the app's refresher never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = app.kill();
    let _ = app.wait();
    assert!(
        fake.reused_refresh_tokens().is_empty(),
        "a refresh token was spent twice"
    );
    // The app's, then twenty forced ones, each with the token the one before stored.
    assert_eq!(fake.refreshes("codex").len(), 21);
    let out = run(&env, &["refresh", "codex", "busy@example.com"]);
    assert!(
        out.status.success(),
        "the account still works: {}",
        text(&out)
    );
}

#[test]
fn a_claude_sign_in_whose_refresh_token_expires_soon_is_warned_about() {
    let env = TestEnv::new();
    let claude = env.home().join(".claude");
    std::fs::create_dir_all(&claude).expect("mkdir");
    let in_two_days = switchboard_core::time::now_ms() + 2 * 24 * 3600 * 1000 + 60_000;
    std::fs::write(
        claude.join(".credentials.json"),
        serde_json::json!({"claudeAiOauth": {
            "accessToken": "sk-ant-oat01-warning", "refreshToken": "sk-ant-ort01-warning",
            "expiresAt": 4102444800000u64, "refreshTokenExpiresAt": in_two_days,
            "scopes": ["user:inference"], "subscriptionType": "pro"}})
        .to_string(),
    )
    .expect("credentials");
    std::fs::write(
        env.home().join(".claude.json"),
        serde_json::json!({"oauthAccount": {"accountUuid": "u-1", "emailAddress": "soon@example.com"}})
            .to_string(),
    )
    .expect("identity");
    let out = run(&env, &["import"]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = account(&env, "claude", "soon@example.com");
    assert_eq!(
        listed["warning"], "The sign-in lapses in 2 days unless it is refreshed.",
        "{listed}"
    );
    assert_eq!(listed["refresh_expires_at"], in_two_days);
    let out = run(&env, &["list"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("lapses in 2 days"),
        "{}",
        text(&out)
    );
}

#[test]
fn tokens_that_live_less_than_the_margin_are_not_refreshed_in_a_loop() {
    let (env, fake) = world();
    // Every token the fake hands out is due at once (30 s < the two-minute margin).
    fake.set_lifetime("gemini", 30);
    login(&env, &fake, "gemini", "short@example.com");
    for _ in 0..3 {
        let out = run(&env, &["refresh", "--due"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    // One refresh, then the minimum gap between two refreshes holds the others off.
    assert_eq!(fake.refreshes("gemini").len(), 1);
    let plan = env
        .board()
        .next_refresh_at()
        .expect("plan")
        .expect("a next refresh");
    assert!(plan > switchboard_core::time::now_ms() + 30_000, "{plan}");
}

/// The security review of 2026-12-07, L8: a `SWITCHBOARD_ENDPOINTS` set after a sign-in (a
/// line planted in a shell's start-up files, say) redirects new sign-ins only: the stored
/// tokens are sent to none of its endpoints, and every command says the override is there.
#[test]
fn an_override_set_after_sign_in_never_receives_the_stored_tokens() {
    let (env, fake) = world();
    login(&env, &fake, "claude", "bound@example.com");
    let elsewhere = FakeProvider::start();
    let dir = env.root().join("elsewhere");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = elsewhere.endpoints_file(&dir);
    for args in [
        &["refresh", "claude", "bound@example.com"][..],
        &["usage", "claude", "--refresh"][..],
        &["test", "claude", "bound@example.com"][..],
    ] {
        let out = env
            .switchboard()
            .args(args)
            .env("SWITCHBOARD_ENDPOINTS", &file)
            .output()
            .expect("switchboard");
        let said = text(&out);
        assert!(
            said.contains("SWITCHBOARD_ENDPOINTS overrides the endpoints of"),
            "{args:?}: {said}"
        );
        if args[0] != "usage" {
            assert!(!out.status.success(), "{args:?}: {said}");
            assert!(
                said.contains("other Claude Code endpoints"),
                "{args:?}: {said}"
            );
        }
    }
    assert_eq!(elsewhere.token_requests(), 0, "no refresh token went there");
    assert_eq!(elsewhere.usage_requests(), 0, "no access token went there");
    // Under the endpoints it came with, it works as before.
    let out = run(&env, &["refresh", "claude", "bound@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fake.refreshes("claude").len(), 1);
}
