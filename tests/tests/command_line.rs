//! The command line as a script uses it: the real binary, exit codes, names by label,
//! email or id prefix, JSON output; and round-robin over sign-in accounts.

use std::process::{Output, Stdio};

use serde_json::{json, Value};
use switchboard_core::catalog::ProviderId;
use switchboard_core::facade::Settings;
use switchboard_tests::real_cli::read_json;
use switchboard_tests::{canary, TestEnv};

fn run(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = env.switchboard();
    command.args(args);
    switchboard_tests::cli::output_with_input(command, stdin)
}

fn ok(env: &TestEnv, args: &[&str], stdin: Option<&str>) -> String {
    let output = run(env, args, stdin);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn fails(env: &TestEnv, args: &[&str], code: i32) -> String {
    let output = run(env, args, None);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_subcommand_does_its_one_thing_with_exit_codes_a_script_can_rely_on() {
    let env = TestEnv::new();
    let work = canary("sk-proj-");
    ok(&env, &["add-key", "codex", "--label", "Work"], Some(&work));
    ok(
        &env,
        &["add-key", "codex", "--label", "Work two"],
        Some(&canary("sk-proj-")),
    );
    ok(&env, &["add-key", "codex"], Some(&canary("sk-proj-")));

    // Names: label (any case), id prefix; unknown and ambiguous names are errors.
    let listed: Value =
        serde_json::from_str(&ok(&env, &["list", "--json"], None)).expect("list json");
    let codex = listed["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .find(|p| p["provider"] == json!("codex"))
        .expect("codex");
    assert_eq!(codex["accounts"].as_array().expect("accounts").len(), 3);
    assert!(
        !listed.to_string().contains(&work),
        "list never prints a key"
    );
    let id = codex["accounts"][1]["id"].as_str().expect("id").to_owned();

    ok(&env, &["use", "codex", "work"], None);
    assert_eq!(
        read_json(&env.home().join(".codex/auth.json"))["OPENAI_API_KEY"],
        json!(work)
    );
    ok(&env, &["use", "codex", &id[..8]], None);
    let status: Value =
        serde_json::from_str(&ok(&env, &["status", "--json"], None)).expect("status json");
    let codex_status = status
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["provider"] == json!("codex"))
        .expect("codex");
    assert_eq!(codex_status["active"]["label"], json!("Work two"));
    assert!(fails(&env, &["use", "codex", "nobody"], 3).contains("not found"));
    ok(&env, &["rename", "codex", "Work two", "Side"], None);
    assert!(fails(&env, &["rename", "codex", "side", "work"], 2).contains("already labelled"));

    ok(&env, &["clear", "codex"], None);
    assert!(!env.home().join(".codex/auth.json").exists());
    assert!(ok(&env, &["status"], None).contains("not configured"));
    assert!(fails(&env, &["credential", "claude"], 4).contains("Provider not configured"));
    assert!(
        fails(&env, &["next", "codex"], 2).contains("round-robin"),
        "keys are never in a pool"
    );

    ok(&env, &["remove", "codex", "side"], None);
    assert_eq!(env.accounts().len(), 2);
    assert!(ok(&env, &["completions", "bash"], None).contains("switchboard"));
    assert!(fails(&env, &["use", "nosuchprovider", "x"], 2).contains("invalid value"));
    assert!(ok(&env, &["restore"], None).contains("Codex"));
}

#[test]
fn names_that_fit_several_accounts_are_refused_with_the_candidates() {
    let env = TestEnv::new();
    // A sign-in account whose email is x@example.com, relabelled "Personal"...
    import_claude_login(&env, "x@example.com");
    ok(
        &env,
        &["rename", "claude", "x@example.com", "Personal"],
        None,
    );
    // ...and a key account labelled with that same address.
    ok(
        &env,
        &["add-key", "claude", "--label", "x@example.com"],
        Some(&canary("sk-ant-api03-")),
    );
    let message = fails(&env, &["use", "claude", "x@example.com"], 2);
    assert!(message.contains("fits several"), "{message}");
    assert!(
        message.contains("Personal") && message.contains("x@example.com ("),
        "lists both candidates: {message}"
    );
    ok(&env, &["use", "claude", "personal"], None);
}

fn import_claude_login(env: &TestEnv, email: &str) {
    let dir = env.home().join(".claude");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let tokens = json!({"claudeAiOauth": {"accessToken": canary("sk-ant-oat01-"), "refreshToken": canary("sk-ant-ort01-"),
                         "expiresAt": 4102444800000u64, "subscriptionType": "pro"}});
    std::fs::write(dir.join(".credentials.json"), tokens.to_string()).expect("credentials");
    std::fs::write(
        env.home().join(".claude.json"),
        json!({"oauthAccount": {"emailAddress": email}}).to_string(),
    )
    .expect("identity");
    ok(env, &["import"], None);
}

#[test]
fn next_rotates_through_the_pool_in_a_stable_order_skipping_accounts_that_need_sign_in() {
    let env = TestEnv::new();
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        import_claude_login(&env, email);
    }
    let board = env.board();
    let accounts = env.accounts();
    for account in &accounts {
        board.set_in_pool(&account.id, true).expect("pool");
    }
    let active = || {
        board
            .active_account(ProviderId::Claude)
            .expect("active")
            .label
    };
    assert_eq!(active(), "c@example.com", "the last import is active");
    ok(&env, &["next", "claude"], None);
    assert_eq!(active(), "a@example.com", "after the last comes the first");
    ok(&env, &["next", "claude"], None);
    assert_eq!(active(), "b@example.com");

    // An account that needs signing in is skipped (the status a failed refresh sets).
    let db = rusqlite::Connection::open(env.config.database_path()).expect("db");
    db.execute(
        "UPDATE accounts SET status = 'needs_sign_in' WHERE label = 'c@example.com'",
        [],
    )
    .expect("mark");
    ok(&env, &["next", "claude"], None);
    assert_eq!(active(), "a@example.com", "c needs sign-in and is skipped");

    // The rotation's position survives a restart and a cleared active account.
    ok(&env, &["clear", "claude"], None);
    drop(board);
    let board = env.board();
    board.next_in_pool(ProviderId::Claude).expect("next");
    assert_eq!(
        board
            .active_account(ProviderId::Claude)
            .expect("active")
            .label,
        "b@example.com"
    );
}

#[test]
fn a_link_switches_like_use_and_a_malformed_one_changes_nothing() {
    let env = TestEnv::new();
    ok(
        &env,
        &["add-key", "codex", "--label", "Work"],
        Some(&canary("sk-proj-")),
    );
    let side = canary("sk-proj-");
    ok(
        &env,
        &["add-key", "codex", "--label", "Side key"],
        Some(&side),
    );

    // A link that would switch asks first in the window; with no window possible (no
    // display here), it changes nothing and says why.
    let mut headless = env.switchboard();
    headless
        .arg("switchboard://use/codex/Side%20key")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let output = headless.output().expect("run");
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains("no display") && said.contains("Nothing changed"),
        "{said}"
    );
    assert!(
        !env.home().join(".codex/auth.json").exists(),
        "a link that asks first changed nothing"
    );

    // With the user's leave, it switches at once, like `use`.
    env.board()
        .save_settings(&Settings {
            links_switch_without_asking: true,
        })
        .expect("settings");
    let said = ok(&env, &["switchboard://use/codex/Side%20key"], None);
    assert!(said.contains("Codex now uses Side key"), "{said}");
    assert_eq!(
        read_json(&env.home().join(".codex/auth.json"))["OPENAI_API_KEY"],
        json!(side)
    );
    assert!(fails(&env, &["switchboard://use/codex/nobody"], 3).contains("not found"));
    let message = fails(&env, &["switchboard://delete/codex"], 2);
    assert!(message.contains("Links look like"), "{message}");
    assert!(fails(&env, &["switchboard://next/codex"], 2).contains("round-robin"));
    assert_eq!(
        read_json(&env.home().join(".codex/auth.json"))["OPENAI_API_KEY"],
        json!(side),
        "refused links changed nothing"
    );
}

/// The data dir is private from the first moment: the folder and its logs folder 0700, the
/// database, its WAL and shared-memory files and the log 0600 — even where the umask would
/// make them readable by others, and even when a release made them so before.
#[cfg(unix)]
#[test]
fn the_data_dir_and_everything_in_it_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let data = env.config.data_dir.clone();
    let check = || {
        assert_eq!(mode(&data), 0o700, "data dir");
        assert_eq!(mode(&data.join("logs")), 0o700, "logs dir");
        for file in [
            "switchboard.sqlite3",
            "switchboard.sqlite3-wal",
            "switchboard.sqlite3-shm",
            "logs/switchboard.log",
        ] {
            assert_eq!(mode(&data.join(file)), 0o600, "{file}");
        }
    };
    // A permissive umask, as some systems have: nothing may come out readable by others.
    let run = |args: &[&str]| {
        let mut command = env.command("sh");
        command
            .arg("-c")
            .arg("umask 002; exec \"$@\"")
            .arg("sh")
            .arg(switchboard_tests::switchboard_bin())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        assert!(command.status().expect("run").success(), "{args:?}");
    };
    run(&["list"]);
    // The WAL and shared-memory files exist while a connection writes.
    let held = env.board();
    held.save_settings(&Settings::default()).expect("a write");
    check();
    drop(held);
    // A data dir left readable by an older build is made private again.
    for path in [data.clone(), data.join("logs")] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    for file in ["switchboard.sqlite3", "logs/switchboard.log"] {
        std::fs::set_permissions(data.join(file), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
    }
    run(&["status"]);
    let held = env.board();
    held.save_settings(&Settings::default()).expect("a write");
    check();
}
