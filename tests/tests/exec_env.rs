//! `switchboard exec` and `switchboard env`: a command run as one account in its own config
//! dir while the global files keep the active one, checked with the real CLIs; exit codes
//! passed through; tokens refreshed in the dir taken back; `--next` rotating.

use std::process::Output;

use switchboard_core::catalog::ProviderId;
use switchboard_core::signin::SignInMethod;
use switchboard_tests::fake_provider::{FakeProvider, Identity};
use switchboard_tests::real_cli::{read_json, run_in_home};
use switchboard_tests::{
    add_key, canary, contains, real_cli, secret_tool_lookup, switchboard_bin, TestEnv,
};

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

fn sign_in(env: &TestEnv, fake: &FakeProvider, provider: ProviderId, email: &str) -> String {
    fake.sign_in_as(Identity::new(email, "max"));
    let board = env.board();
    let started = board
        .start_sign_in(provider, SignInMethod::Browser, None)
        .expect("start");
    board
        .finish_sign_in(&started.id)
        .expect("signed in")
        .account
        .id
}

/// An access-token expiry as a CLI that just refreshed would write it (Unix ms).
fn in_eight_hours() -> i64 {
    switchboard_core::time::now_ms() + 8 * 3600 * 1000
}

fn switchboard(env: &TestEnv, args: &[&str]) -> Output {
    run_in_home(env, &switchboard_bin(), args)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn exec_runs_claude_as_another_account_while_the_global_files_keep_the_active_one() {
    let (env, fake) = world();
    sign_in(&env, &fake, ProviderId::Claude, "a@example.com");
    let b = sign_in(&env, &fake, ProviderId::Claude, "b@example.com");
    env.board()
        .set_active(ProviderId::Claude, Some(&b))
        .unwrap();
    let global = env.home().join(".claude/.credentials.json");
    let before = std::fs::read(&global).unwrap();

    let claude = real_cli("claude");
    let claude = claude.to_str().unwrap();
    let output = switchboard(
        &env,
        &[
            "exec",
            "claude",
            "--account",
            "a@example.com",
            "--",
            claude,
            "auth",
            "status",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["email"], "a@example.com", "{status}");
    assert_eq!(status["subscriptionType"], "max", "{status}");

    // The global files still hold B, byte for byte, and the real CLI says so.
    assert_eq!(std::fs::read(&global).unwrap(), before);
    let global_status = run_in_home(&env, &real_cli("claude"), &["auth", "status"]);
    let global_status: serde_json::Value = serde_json::from_slice(&global_status.stdout).unwrap();
    assert_eq!(global_status["email"], "b@example.com", "{global_status}");
    assert_eq!(
        env.board().active_account(ProviderId::Claude).unwrap().id,
        b
    );
}

#[test]
fn exec_gives_a_key_account_through_its_own_helper_and_passes_the_exit_code() {
    let (env, _fake) = world();
    let board = env.board();
    let active_key = canary("sk-proj-");
    let other_key = canary("sk-proj-");
    let active = add_key(&board, ProviderId::Codex, "Main", &active_key);
    add_key(&board, ProviderId::Codex, "Other", &other_key);
    board.set_active(ProviderId::Codex, Some(&active)).unwrap();
    let codex = real_cli("codex");
    let codex = codex.to_str().unwrap();
    let output = switchboard(
        &env,
        &[
            "exec",
            "codex",
            "--account",
            "Other",
            "--",
            codex,
            "login",
            "status",
        ],
    );
    let said = text(&output);
    let last5 = &other_key[other_key.len() - 5..];
    assert!(said.contains(&format!("***{last5}")), "{said}");
    let global = read_json(&env.home().join(".codex/auth.json"));
    assert_eq!(global["OPENAI_API_KEY"], active_key.as_str());

    // Claude's key goes through the helper pinned to the account, never into the file.
    let claude_key = canary("sk-ant-api03-");
    add_key(&board, ProviderId::Claude, "Claude key", &claude_key);
    let output = switchboard(
        &env,
        &["exec", "claude", "--account", "Claude key", "--", "sh", "-c",
          "grep -c sk-ant- \"$CLAUDE_CONFIG_DIR/settings.json\"; eval \"$(sed -n 's/.*\"apiKeyHelper\": \"\\(.*\\)\".*/\\1/p' \"$CLAUDE_CONFIG_DIR/settings.json\")\""],
    );
    let said = text(&output);
    assert!(said.starts_with("0\n"), "no key in the file: {said}");
    assert!(
        said.contains(&claude_key),
        "the helper prints that account's key: {said}"
    );

    // Nothing of either key stays behind in the per-account dirs.
    for (path, bytes) in env.data_dir_bytes() {
        for key in [&other_key, &claude_key, &active_key] {
            assert!(!contains(&bytes, key), "a key stayed in {}", path.display());
        }
    }

    let output = switchboard(&env, &["exec", "codex", "--", "sh", "-c", "exit 7"]);
    assert_eq!(output.status.code(), Some(7));
    let output = switchboard(&env, &["exec", "codex", "--", "/no/such/program"]);
    assert_eq!(output.status.code(), Some(127), "{}", text(&output));
    let output = switchboard(
        &env,
        &["exec", "codex", "--account", "Nobody", "--", "true"],
    );
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
}

#[test]
fn tokens_refreshed_inside_an_exec_dir_go_back_to_the_keychain() {
    let (env, fake) = world();
    let a = sign_in(&env, &fake, ProviderId::Claude, "rot@example.com");
    // A "CLI" that refreshes: it rewrites its credentials with a fresher token.
    let script = format!(
        r#"f="$CLAUDE_CONFIG_DIR/.credentials.json"; printf '{{"claudeAiOauth":{{"accessToken":"sk-ant-oat01-NEWACCESS","refreshToken":"sk-ant-ort01-ROTATEDINEXEC","expiresAt":%s,"scopes":["user:inference"]}}}}' "{}" > "$f""#,
        in_eight_hours()
    );
    let output = switchboard(
        &env,
        &[
            "exec",
            "claude",
            "--account",
            "rot@example.com",
            "--",
            "sh",
            "-c",
            &script,
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let stored = secret_tool_lookup(&env.config.keyring_service, &a).unwrap();
    assert!(stored.contains("sk-ant-ort01-ROTATEDINEXEC"), "taken back");
    for (path, bytes) in env.data_dir_bytes() {
        assert!(
            !contains(&bytes, "ROTATEDINEXEC"),
            "a token stayed in {}",
            path.display()
        );
        for token in fake.issued_to("rot@example.com") {
            assert!(
                !contains(&bytes, &token),
                "a token stayed in {}",
                path.display()
            );
        }
    }
    // Removing the account removes its dir.
    env.board().remove_account(&a).unwrap();
    assert!(!env.config.data_dir.join("exec").join(&a).exists());
}

#[test]
fn exec_next_rotates_through_the_pool_without_switching() {
    let (env, fake) = world();
    let one = sign_in(&env, &fake, ProviderId::Codex, "one@example.com");
    let two = sign_in(&env, &fake, ProviderId::Codex, "two@example.com");
    let board = env.board();
    board.set_in_pool(&one, true).unwrap();
    board.set_in_pool(&two, true).unwrap();
    let dirs: Vec<String> = (0..3)
        .map(|_| {
            let output = switchboard(
                &env,
                &[
                    "exec",
                    "codex",
                    "--next",
                    "--",
                    "sh",
                    "-c",
                    "echo \"$CODEX_HOME\"",
                ],
            );
            assert!(output.status.success(), "{}", text(&output));
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        })
        .collect();
    assert_ne!(dirs[0], dirs[1]);
    assert_eq!(dirs[0], dirs[2]);
    assert!(
        dirs.iter().all(|d| d.contains(&one) || d.contains(&two)),
        "{dirs:?}"
    );
    assert_eq!(board.active_account(ProviderId::Codex).unwrap().id, one);
}

#[test]
fn env_prints_export_lines_for_a_key_and_refuses_a_sign_in() {
    let (env, fake) = world();
    let board = env.board();
    let key = canary("AIza");
    let id = add_key(&board, ProviderId::Gemini, "Gem", &key);
    board.set_active(ProviderId::Gemini, Some(&id)).unwrap();
    let output = switchboard(&env, &["env", "gemini"]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("export GEMINI_API_KEY='{key}'\n")
    );
    // The lines work in a shell.
    let output = env
        .command("sh")
        .args([
            "-c",
            &format!(
                "{}\nprintf %s \"$GEMINI_API_KEY\"",
                String::from_utf8_lossy(&output.stdout).trim_end()
            ),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), key);

    // On a terminal (a pty made by `script`, from util-linux) the key is not printed unless
    // asked for: it would land on screen and in the scrollback.
    let on_a_terminal = |args: &str| {
        env.command("script")
            .args([
                "-qec",
                &format!("{} env gemini {args}", switchboard_bin().display()),
                "/dev/null",
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script")
    };
    let output = on_a_terminal("");
    let shown = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(!shown.contains(&key), "{shown}");
    assert!(shown.contains("--show"), "{shown}");
    let output = on_a_terminal("--show");
    assert!(output.status.success(), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains(&key));

    sign_in(&env, &fake, ProviderId::Codex, "signed@example.com");
    let output = switchboard(&env, &["env", "codex"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("switchboard exec codex"),
        "{}",
        text(&output)
    );
    let output = switchboard(&env, &["env", "grok"]);
    assert_eq!(output.status.code(), Some(4), "{}", text(&output));
}

#[test]
fn test_asks_the_provider_whether_a_credential_works() {
    let (env, fake) = world();
    let board = env.board();
    let good = canary("sk-proj-");
    let bad = canary("sk-proj-");
    fake.accept_key("codex", &good);
    let good_id = add_key(&board, ProviderId::Codex, "Good", &good);
    add_key(&board, ProviderId::Codex, "Revoked", &bad);
    board.set_active(ProviderId::Codex, Some(&good_id)).unwrap();

    let output = switchboard(&env, &["test", "codex"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).starts_with("Good: works"),
        "{}",
        text(&output)
    );
    let output = switchboard(&env, &["test", "codex", "Revoked"]);
    assert_eq!(output.status.code(), Some(8), "{}", text(&output));
    assert!(
        text(&output).contains("refused it (HTTP 401"),
        "{}",
        text(&output)
    );
    assert!(!text(&output).contains(&bad), "the key is never repeated");

    // Every key provider, each asked in its own API's way.
    for (provider, name, prefix) in [
        (ProviderId::Claude, "claude", "sk-ant-api03-"),
        (ProviderId::Gemini, "gemini", "AIza"),
        (ProviderId::Grok, "grok", "xai-"),
        (ProviderId::Opencode, "opencode", "sk-or-v1-"),
        (ProviderId::Cursor, "cursor", "crsr_"),
        (ProviderId::Bob, "bob", "bob_prod_"),
    ] {
        let key = canary(prefix);
        fake.accept_key(name, &key);
        add_key(&board, provider, "Checked", &key);
        let output = switchboard(&env, &["test", name, "Checked"]);
        assert!(output.status.success(), "{name}: {}", text(&output));
    }

    // A sign-in is checked with its access token at the profile endpoint; Codex, which has
    // none, at its usage endpoint (with its account id), which spends and rotates nothing.
    sign_in(&env, &fake, ProviderId::Claude, "signed@example.com");
    let output = switchboard(&env, &["test", "claude", "signed@example.com"]);
    assert!(output.status.success(), "{}", text(&output));
    sign_in(&env, &fake, ProviderId::Codex, "chatgpt@example.com");
    let issued = fake.issued_to("chatgpt@example.com").len();
    let output = switchboard(&env, &["test", "codex", "chatgpt@example.com"]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        fake.issued_to("chatgpt@example.com").len(),
        issued,
        "nothing was refreshed"
    );
}

/// A script that plays a CLI which rotates its sign-in, says it is ready, then waits for a
/// signal; on one it records which, and exits as a CLI would.
const ROTATE_AND_WAIT: &str = r#"
f="$CLAUDE_CONFIG_DIR/.credentials.json"
printf '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-SIGACCESS","refreshToken":"sk-ant-ort01-ROTATEDBEFORESIGNAL","expiresAt":%s,"scopes":["user:inference"]}}' "$EXPIRES" > "$f"
for s in INT TERM HUP QUIT; do trap "echo $s > \"$MARK\"; exit 7" $s; done
touch "$READY"
while :; do sleep 0.05; done
"#;

/// Waits (up to 20 s) for `path` to exist.
fn wait_for(path: &std::path::Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !path.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn signals_sent_to_exec_reach_the_command_and_the_clean_up_still_runs() {
    let (env, fake) = world();
    let a = sign_in(&env, &fake, ProviderId::Claude, "sig@example.com");
    for signal in ["TERM", "HUP", "INT", "QUIT"] {
        let ready = env.root().join(format!("ready-{signal}"));
        let mark = env.root().join(format!("mark-{signal}"));
        let mut child = env
            .switchboard()
            .args(["exec", "claude", "--", "sh", "-c", ROTATE_AND_WAIT])
            .env("READY", &ready)
            .env("MARK", &mark)
            .env("EXPIRES", in_eight_hours().to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("switchboard exec");
        wait_for(&ready);
        // As `kill`, or a closed terminal's hang-up, would send it to `switchboard` alone.
        let status = env
            .command("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exited = child.wait().expect("wait");
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().expect("stderr"), &mut stderr)
            .expect("stderr");
        assert_eq!(
            exited.code(),
            Some(7),
            "the command's own exit code: {stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(&mark)
                .expect("the command got the signal")
                .trim(),
            signal
        );
        let stored = secret_tool_lookup(&env.config.keyring_service, &a).expect("entry");
        assert!(
            stored.contains("ROTATEDBEFORESIGNAL"),
            "{signal}: the rotated token was taken back"
        );
        for (path, bytes) in env.data_dir_bytes() {
            assert!(
                !contains(&bytes, "ROTATEDBEFORESIGNAL") && !contains(&bytes, "SIGACCESS"),
                "{signal}: a token stayed in {}",
                path.display()
            );
        }
    }
}

/// Two commands as the same account at once share its dir: the first to end leaves the
/// files the other still uses, the last clears them.
#[test]
fn two_execs_of_one_account_share_its_dir_and_the_last_one_clears_it() {
    let (env, fake) = world();
    sign_in(&env, &fake, ProviderId::Claude, "two@example.com");
    let ready = env.root().join("long-ready");
    let go = env.root().join("long-go");
    let seen = env.root().join("long-saw");
    let long = r#"touch "$READY"; while [ ! -e "$GO" ]; do sleep 0.05; done; cat "$CLAUDE_CONFIG_DIR/.credentials.json" > "$SEEN""#;
    let mut first = env
        .switchboard()
        .args(["exec", "claude", "--", "sh", "-c", long])
        .env("READY", &ready)
        .env("GO", &go)
        .env("SEEN", &seen)
        .spawn()
        .expect("first exec");
    wait_for(&ready);
    let second = switchboard(&env, &["exec", "claude", "--", "true"]);
    assert!(second.status.success(), "{}", text(&second));
    std::fs::write(&go, "").expect("go");
    assert!(first.wait().expect("wait").success());
    let used = std::fs::read_to_string(&seen).expect("what the first command saw");
    assert!(
        used.contains("refreshToken"),
        "the second exec ending did not clear the first one's files: {used}"
    );
    let dir_files = env.data_dir_bytes();
    for token in fake.issued_to("two@example.com") {
        for (path, bytes) in &dir_files {
            assert!(
                !contains(bytes, &token),
                "the last exec cleared the dir, but a token stayed in {}",
                path.display()
            );
        }
    }
}

/// Waits (up to 20 s) until no command holds the account's exec dir (its lease is free).
fn wait_until_released(env: &TestEnv, account_id: &str) {
    let lease = env
        .config
        .data_dir
        .join("exec")
        .join(format!("{account_id}.lock"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let file = std::fs::File::options()
            .write(true)
            .open(&lease)
            .expect("the exec dir's lease");
        if file.try_lock().is_ok() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the command never let go of its dir"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Runs `switchboard exec codex` as `email` with a command that waits; meanwhile the test
/// plays codex rotating its sign-in at the fake (the rotated tokens exist only in the exec
/// dir), then kills `switchboard` with SIGKILL, as the OOM killer or a closed session
/// would. Returns the refresh token codex rotated to.
fn exec_killed_after_a_rotation(env: &TestEnv, fake: &FakeProvider, id: &str) -> String {
    let ready = env
        .root()
        .join(format!("ready-{}", switchboard_tests::unique_suffix()));
    let go = env
        .root()
        .join(format!("go-{}", switchboard_tests::unique_suffix()));
    let waits = r#"touch "$READY"; while [ ! -e "$GO" ]; do sleep 0.05; done"#;
    let mut child = env
        .switchboard()
        .args(["exec", "codex", "--account", id, "--", "sh", "-c", waits])
        .env("READY", &ready)
        .env("GO", &go)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("switchboard exec");
    wait_for(&ready);
    let file = env
        .config
        .data_dir
        .join("exec")
        .join(id)
        .join("codex/auth.json");
    let mut auth = read_json(&file);
    let spent = auth["tokens"]["refresh_token"]
        .as_str()
        .expect("a refresh token in the exec dir")
        .to_owned();
    let answer = fake.refresh_as_cli("codex", &spent);
    for name in ["access_token", "refresh_token", "id_token"] {
        auth["tokens"][name] = answer[name].clone();
    }
    auth["last_refresh"] = serde_json::Value::from(switchboard_core::time::rfc3339(
        switchboard_core::time::now_ms() + 1,
    ));
    std::fs::write(&file, serde_json::to_vec_pretty(&auth).expect("json")).expect("codex's write");
    child.kill().expect("SIGKILL");
    let killed = child.wait().expect("wait");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&killed),
        Some(9)
    );
    std::fs::write(&go, "").expect("go");
    wait_until_released(env, id);
    answer["refresh_token"]
        .as_str()
        .expect("a rotated refresh token")
        .to_owned()
}

/// The security review of 2026-12-07, M1: a `switchboard exec` that is SIGKILLed leaves
/// the CLI's newest tokens in its dir. Whatever uses the account next (here a refresh, and
/// the app's start-up sweep) takes them back first, so the stale refresh token in the
/// keychain is never spent, and no token stays in the dir.
#[test]
fn tokens_left_by_an_exec_that_was_killed_are_taken_back_before_the_account_is_used() {
    let (env, fake) = world();
    let id = sign_in(&env, &fake, ProviderId::Codex, "side@example.com");

    let rotated = exec_killed_after_a_rotation(&env, &fake, &id);
    let output = switchboard(&env, &["refresh", "codex", "side@example.com"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        fake.reused_refresh_tokens().is_empty(),
        "a spent refresh token was presented: {}",
        text(&output)
    );
    let stored = secret_tool_lookup(&env.config.keyring_service, &id).expect("entry");
    assert!(
        !stored.contains(&rotated),
        "the refresh spent the rotated token and stored the next one"
    );
    assert_eq!(
        fake.refreshes("codex").len(),
        2,
        "codex's and Switchboard's"
    );

    // The same leftover, found when the app starts.
    let rotated = exec_killed_after_a_rotation(&env, &fake, &id);
    assert_eq!(env.board().reclaim_exec_dirs().expect("sweep"), 1);
    let stored = secret_tool_lookup(&env.config.keyring_service, &id).expect("entry");
    assert!(stored.contains(&rotated), "taken back at start-up");
    assert!(fake.reused_refresh_tokens().is_empty());
    for (path, bytes) in env.data_dir_bytes() {
        assert!(
            !contains(&bytes, &rotated),
            "a token stayed in {}",
            path.display()
        );
    }
}

/// The security review of 2026-12-07, L2: a command run as an account plants tokens in its
/// dir. A date no token can have (`expiresAt: 9e15`) is not believed, so the genuine
/// rotation after it still wins; and tokens with no identity beside them are adopted only
/// when the provider's profile says they are the account's (here they are another's).
#[test]
fn tokens_planted_in_an_exec_dir_never_replace_the_accounts_own() {
    let (env, fake) = world();
    let work = sign_in(&env, &fake, ProviderId::Claude, "work@example.com");
    let genuine = secret_tool_lookup(&env.config.keyring_service, &work).expect("entry");

    // 1. A far-future expiry, the identity left in place.
    let planted = r#"printf '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-PLANTED","refreshToken":"sk-ant-ort01-PLANTED","expiresAt":9000000000000000,"scopes":["user:inference"]}}' > "$CLAUDE_CONFIG_DIR/.credentials.json""#;
    let output = switchboard(&env, &["exec", "claude", "--", "sh", "-c", planted]);
    assert!(output.status.success(), "{}", text(&output));
    let stored = secret_tool_lookup(&env.config.keyring_service, &work).expect("entry");
    assert_eq!(stored, genuine, "the planted tokens were not taken back");

    // Then the CLI's genuine rotation (made here at the fake with the dir's refresh token,
    // which is the keychain's), written into the dir: taken back.
    let vault: serde_json::Value = serde_json::from_str(&genuine).expect("vault json");
    let tokens: serde_json::Value =
        serde_json::from_str(vault["tokens"].as_str().expect("tokens")).expect("tokens json");
    let answer = fake.refresh_as_cli(
        "claude",
        tokens["refreshToken"].as_str().expect("refresh token"),
    );
    let rotated = answer["refresh_token"]
        .as_str()
        .expect("rotated")
        .to_owned();
    let write = format!(
        r#"printf '{{"claudeAiOauth":{{"accessToken":"{}","refreshToken":"{}","expiresAt":{},"scopes":["user:inference"]}}}}' > "$CLAUDE_CONFIG_DIR/.credentials.json""#,
        answer["access_token"].as_str().expect("access"),
        rotated,
        switchboard_core::time::now_ms() + 8 * 3600 * 1000
    );
    let output = switchboard(&env, &["exec", "claude", "--", "sh", "-c", &write]);
    assert!(output.status.success(), "{}", text(&output));
    let stored = secret_tool_lookup(&env.config.keyring_service, &work).expect("entry");
    assert!(
        stored.contains(&rotated),
        "the genuine rotation was taken back"
    );

    // 2. Another person's working tokens, with no identity beside them.
    fake.sign_in_as(Identity::new("attacker@example.com", "pro"));
    let mut other = TestEnv::new();
    other.sign_in_against(&fake);
    let board = other.board();
    let started = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Browser, None)
        .expect("start");
    board.finish_sign_in(&started.id).expect("signed in");
    let theirs = read_json(&other.home().join(".claude/.credentials.json"));
    let substitute = format!(
        r#"printf '%s' '{}' > "$CLAUDE_CONFIG_DIR/.credentials.json"; printf '{{}}' > "$CLAUDE_CONFIG_DIR/.claude.json""#,
        serde_json::json!({"claudeAiOauth": {
            "accessToken": theirs["claudeAiOauth"]["accessToken"],
            "refreshToken": theirs["claudeAiOauth"]["refreshToken"],
            "expiresAt": switchboard_core::time::now_ms() + 8 * 3600 * 1000 + 60_000,
            "scopes": ["user:inference"],
        }})
    );
    let output = switchboard(&env, &["exec", "claude", "--", "sh", "-c", &substitute]);
    assert!(output.status.success(), "{}", text(&output));
    let stored = secret_tool_lookup(&env.config.keyring_service, &work).expect("entry");
    assert!(
        stored.contains(&rotated),
        "another person's tokens never become this account's"
    );
    let active = env
        .board()
        .active_account(ProviderId::Claude)
        .expect("active");
    assert_eq!(active.email.as_deref(), Some("work@example.com"));
}

/// The security review of 2026-12-07, L7: with `HTTP_PROXY` set (a corporate network, or
/// a planted variable), a key sent in plain HTTP to a gateway on this computer never goes
/// to the proxy.
#[test]
fn a_key_for_a_local_endpoint_never_goes_through_a_proxy() {
    use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential};
    let (env, fake) = world();
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").expect("proxy");
    proxy.set_nonblocking(true).expect("nonblocking");
    let key = canary("sk-proj-");
    fake.accept_key("codex", &key);
    let port = url::Url::parse(&fake.base)
        .expect("url")
        .port()
        .expect("port");
    let mut account = switchboard_tests::new_key_account(
        ProviderId::Codex,
        Some("Local gateway"),
        KeyCredential::ApiKey {
            key: key.as_str().into(),
        },
    );
    account.endpoint = Some(EndpointInput {
        preset: EndpointPreset::Custom,
        base_url: Some(format!("http://localhost:{port}/api/codex")),
        api_version: None,
    });
    env.board().add_key_account(account).expect("add");
    let proxy_url = format!("http://{}", proxy.local_addr().expect("addr"));
    let output = env
        .switchboard()
        .args(["test", "codex", "Local gateway"])
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("ALL_PROXY", &proxy_url)
        .output()
        .expect("test");
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        proxy.accept().is_err(),
        "the proxy got a connection: the key went through it"
    );
}
