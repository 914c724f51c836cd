//! The reliability suite.
//!
//! 1. 1,000 SIGKILLs at random moments, 250 in each of four loops: switching (`use`),
//!    restoring, importing and taking back. After every kill, each CLI file is one whole
//!    version (never torn, never a mix), the database opens and passes its integrity check,
//!    and no rotated refresh token is lost (it is in the keychain or still in the file).
//! 2. 100 rounds of two processes switching Claude Code back and forth while a stand-in for
//!    the CLI keeps rotating its own refresh token in its file: the newest token always wins,
//!    and at the end the files and the database agree.
//!
//! The figures (kills, rounds, rotations) are printed.

use std::collections::HashSet;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_tests::real_cli::read_json;
use switchboard_tests::{add_key, canary, secret_tool_lookup, soon_ms, switchboard_bin, TestEnv};

const KILLS_PER_LOOP: u32 = 250;
const ROUNDS: u32 = 100;

/// A pseudo-random delay from the clock: enough spread to land in every phase of an action.
fn jitter_ms(round: u32, spread: u32) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    u64::from((nanos / 1000 + round * 7919) % spread) + 2
}

/// Runs `script` with `sh` in its own process group, in the test's world.
fn start_loop(env: &TestEnv, script: &str) -> Child {
    let mut command = env.command("/bin/sh");
    command
        .args(["-c", script])
        .env("SB", switchboard_bin())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    command.spawn().expect("loop")
}

/// SIGKILLs the loop's whole group (the shell and the `switchboard` it is running), and
/// returns once every process of the group is gone (a rename in flight has landed).
fn kill_group(mut child: Child) {
    let group = format!("-{}", child.id());
    Command::new("kill")
        .args(["-KILL", "--", &group])
        .status()
        .expect("kill");
    child.wait().expect("reap");
    let deadline = Instant::now() + Duration::from_secs(10);
    while group_runs(child.id()) {
        assert!(
            Instant::now() < deadline,
            "the group {group} outlived SIGKILL"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether a process of group `pgid` still runs (a zombie, waiting to be reaped by init,
/// does nothing more).
fn group_runs(pgid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
            return false;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        fields.get(2) == Some(&pgid.to_string().as_str()) && fields.first() != Some(&"Z")
    })
}

/// The database opens and passes SQLite's integrity check.
fn database_is_sound(env: &TestEnv, round: u32) {
    let path = env.config.database_path();
    // SQLite says only "cannot open"; the file system says why.
    if let Err(e) = std::fs::File::open(&path) {
        panic!(
            "round {round}: the database {} cannot be opened: {e}",
            path.display()
        );
    }
    let conn = rusqlite::Connection::open(&path)
        .unwrap_or_else(|e| panic!("round {round}: SQLite cannot open the database: {e}"));
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity_check");
    assert_eq!(verdict, "ok", "round {round}: the database is damaged");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn switchboard(env: &TestEnv, args: &[&str]) {
    let output = env.switchboard().args(args).output().expect("run");
    assert!(
        output.status.success(),
        "switchboard {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn add_codex(env: &TestEnv, label: &str, endpoint: Option<EndpointInput>) {
    env.board()
        .add_key_account(NewKeyAccount {
            provider: ProviderId::Codex,
            label: Some(label.into()),
            description: None,
            credential: KeyCredential::ApiKey {
                key: canary("sk-").into(),
            },
            model: endpoint.as_ref().map(|_| "qwen3-coder".to_owned()),
            endpoint,
            effort: None,
        })
        .expect("add");
}

/// Codex with a user's own config and two accounts: A (plain key), B (a local endpoint).
fn codex_world() -> TestEnv {
    let env = TestEnv::new();
    let codex = env.home().join(".codex");
    std::fs::create_dir_all(&codex).expect("mkdir");
    std::fs::write(
        codex.join("config.toml"),
        "# mine\napproval_policy = \"never\"\n",
    )
    .expect("fixture");
    std::fs::write(
        codex.join("auth.json"),
        "{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {\"refresh_token\": \"users-own\"}\n}\n",
    )
    .expect("fixture");
    add_codex(&env, "A", None);
    add_codex(
        &env,
        "B",
        Some(EndpointInput {
            preset: EndpointPreset::LocalResponses,
            base_url: None,
            api_version: None,
        }),
    );
    env
}

fn codex_files(env: &TestEnv) -> (String, String) {
    let dir = env.home().join(".codex");
    (read(&dir.join("auth.json")), read(&dir.join("config.toml")))
}

/// Kills `script` at random moments, `KILLS_PER_LOOP` times, checking `after` each time.
fn kill_loop(env: &TestEnv, name: &str, script: &str, spread: u32, mut after: impl FnMut(u32)) {
    let started = Instant::now();
    for round in 0..KILLS_PER_LOOP {
        let child = start_loop(env, script);
        std::thread::sleep(Duration::from_millis(jitter_ms(round, spread)));
        kill_group(child);
        database_is_sound(env, round);
        after(round);
    }
    println!(
        "{name}: {KILLS_PER_LOOP} SIGKILLs at random moments in {:.1} s, every file whole, the database sound",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn kills_during_use_leave_every_file_whole() {
    let env = codex_world();
    let mut versions: HashSet<(String, String)> = HashSet::new();
    for label in ["A", "B", "A", "B"] {
        switchboard(&env, &["use", "codex", label]);
        versions.insert(codex_files(&env));
    }
    let auth: HashSet<String> = versions.iter().map(|v| v.0.clone()).collect();
    let config: HashSet<String> = versions.iter().map(|v| v.1.clone()).collect();
    assert_eq!(
        (auth.len(), config.len()),
        (2, 2),
        "A and B each have one version"
    );
    kill_loop(
        &env,
        "use",
        r#"while :; do "$SB" use codex A; "$SB" use codex B; done"#,
        120,
        |round| {
            let (a, c) = codex_files(&env);
            assert!(
                auth.contains(&a),
                "round {round}: auth.json torn or mixed:\n{a}"
            );
            assert!(
                config.contains(&c),
                "round {round}: config.toml torn or mixed:\n{c}"
            );
        },
    );
    switchboard(&env, &["use", "codex", "A"]);
    assert!(versions.contains(&codex_files(&env)), "still consistent");
}

#[test]
fn kills_during_restore_lose_no_original() {
    let env = codex_world();
    let originals = codex_files(&env);
    switchboard(&env, &["use", "codex", "A"]);
    let switched = codex_files(&env);
    switchboard(&env, &["restore"]);
    assert_eq!(codex_files(&env), originals);
    kill_loop(
        &env,
        "restore",
        r#"while :; do "$SB" use codex A; "$SB" restore; done"#,
        150,
        |round| {
            let (a, c) = codex_files(&env);
            assert!(
                a == originals.0 || a == switched.0,
                "round {round}: auth.json is neither the original nor A's:\n{a}"
            );
            assert!(
                c == originals.1 || c == switched.1,
                "round {round}: config.toml is neither the original nor A's:\n{c}"
            );
        },
    );
    // Whatever moment the last kill hit, a restore brings back the originals: no backup was
    // deleted before the files were back and the database committed.
    switchboard(&env, &["restore"]);
    assert_eq!(
        codex_files(&env),
        originals,
        "the user's files, byte for byte"
    );
}

/// Claude Code's files as its own login writes them.
fn claude_login(env: &TestEnv, refresh: &str, expires_at: u64) {
    let dir = env.home().join(".claude");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let credentials = json!({"claudeAiOauth": {"accessToken": canary("sk-ant-oat01-"), "refreshToken": refresh,
        "expiresAt": expires_at, "scopes": ["user:inference"], "subscriptionType": "max"}});
    let temp = dir.join(".credentials.json.cli-tmp");
    std::fs::write(&temp, credentials.to_string()).expect("write");
    std::fs::rename(&temp, dir.join(".credentials.json")).expect("rename");
    std::fs::write(
        env.home().join(".claude.json"),
        json!({"oauthAccount": {"accountUuid": "u-ada", "emailAddress": "ada@example.com"}})
            .to_string(),
    )
    .expect("claude.json");
}

fn claude_refresh_in_file(env: &TestEnv) -> Option<String> {
    let text = read(&env.home().join(".claude/.credentials.json"));
    let value: Value = serde_json::from_str(&text).ok()?;
    value["claudeAiOauth"]["refreshToken"]
        .as_str()
        .map(str::to_owned)
}

fn stored_refresh(env: &TestEnv, id: &str) -> Option<String> {
    let raw = secret_tool_lookup(&env.config.keyring_service, id)?;
    let entry: Value = serde_json::from_str(raw.trim()).ok()?;
    let tokens: Value = serde_json::from_str(entry["tokens"].as_str()?).ok()?;
    tokens["refreshToken"].as_str().map(str::to_owned)
}

/// A Claude credentials file is whole: JSON, and its login (if any) complete.
fn claude_file_is_whole(env: &TestEnv, round: u32) {
    let path = env.home().join(".claude/.credentials.json");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("round {round}: torn credentials ({e}):\n{text}"));
        if let Some(login) = value.get("claudeAiOauth") {
            assert!(
                login["refreshToken"].is_string() && login["expiresAt"].is_number(),
                "round {round}: half a login:\n{text}"
            );
        }
    }
}

#[test]
fn kills_during_import_leave_whole_files_and_a_sound_database() {
    let env = TestEnv::new();
    let login = env.root().join("login.json");
    claude_login(&env, &canary("sk-ant-ort01-"), soon_ms());
    std::fs::copy(env.home().join(".claude/.credentials.json"), &login).expect("copy");
    // The database exists before the first kill (a kill before the first `import` created
    // it would otherwise find none; seen once, with the machine under extra load).
    drop(env.board());
    // The user logs in with the CLI, Switchboard imports it, the user removes the account.
    let script = format!(
        r#"while :; do cp '{}' "$HOME/.claude/.c.tmp" && mv "$HOME/.claude/.c.tmp" "$HOME/.claude/.credentials.json"; "$SB" import; "$SB" remove claude ada@example.com; done"#,
        login.display()
    );
    kill_loop(&env, "import", &script, 150, |round| {
        claude_file_is_whole(&env, round)
    });
    // Afterwards import still works and finds exactly one account for the login.
    claude_login(&env, &canary("sk-ant-ort01-"), soon_ms());
    switchboard(&env, &["import"]);
    let claude: Vec<_> = env
        .accounts()
        .into_iter()
        .filter(|a| a.provider == ProviderId::Claude)
        .collect();
    assert_eq!(claude.len(), 1, "one account for one login: {claude:?}");
}

#[test]
fn kills_during_take_back_lose_no_rotated_token() {
    let env = TestEnv::new();
    claude_login(&env, &canary("sk-ant-ort01-"), soon_ms());
    let board = env.board();
    board.import_logins().expect("import");
    let ada = board.active_account(ProviderId::Claude).expect("active").id;
    add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    let mut latest = String::new();
    kill_loop(
        &env,
        "take-back",
        r#"while :; do "$SB" use claude Key; "$SB" use claude ada@example.com; done"#,
        120,
        |round| {
            claude_file_is_whole(&env, round);
            if !latest.is_empty() {
                let kept = stored_refresh(&env, &ada).as_deref() == Some(latest.as_str())
                    || claude_refresh_in_file(&env).as_deref() == Some(latest.as_str());
                assert!(kept, "round {round}: the rotated token {latest} was lost");
            }
            // Between kills, Claude Code refreshes whenever its login is in the file.
            if claude_refresh_in_file(&env).is_some() {
                latest = canary("sk-ant-ort01-");
                claude_login(&env, &latest, soon_ms() + u64::from(round) * 1000 + 1000);
            }
        },
    );
    switchboard(&env, &["use", "claude", "ada@example.com"]);
    if !latest.is_empty() {
        assert_eq!(claude_refresh_in_file(&env), Some(latest));
    }
}

/// A stand-in for Claude Code while it runs: whenever its login is in the file, it rotates
/// the refresh token (a counter, with a later expiry each time), writing a temp file and
/// renaming it as Claude Code does, and records the newest it wrote.
const ROTATING_CLI: &str = r#"
f="$HOME/.claude/.credentials.json"
n=$START
while :; do
  if grep -q claudeAiOauth "$f" 2>/dev/null; then
    n=$((n + 1))
    printf '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-a%s","refreshToken":"sk-ant-ort01-rot%09d","expiresAt":%s000,"scopes":["user:inference"],"subscriptionType":"max"}}' "$n" "$n" "$((BASE + n))" > "$f.cli-tmp"
    mv "$f.cli-tmp" "$f"
    echo "$n" > "$NEWEST.tmp" && mv "$NEWEST.tmp" "$NEWEST"
  fi
  sleep 0.002
done
"#;

#[test]
fn two_switchers_and_a_rotating_cli_the_newest_token_wins() {
    let env = TestEnv::new();
    claude_login(&env, "sk-ant-ort01-rot000000000", soon_ms());
    let board = env.board();
    board.import_logins().expect("import");
    let ada = board.active_account(ProviderId::Claude).expect("active").id;
    add_key(&board, ProviderId::Claude, "Key", &canary("sk-ant-api03-"));
    let newest_file = env.root().join("newest");
    let switcher = r#"while :; do "$SB" use claude Key; "$SB" use claude ada@example.com; done"#;
    let mut rotations = 0u64;
    let mut start = 0u64;
    let started = Instant::now();
    for round in 0..ROUNDS {
        let cli = {
            let mut command = env.command("/bin/sh");
            command
                .args(["-c", ROTATING_CLI])
                .env("START", start.to_string())
                .env("BASE", (soon_ms() / 1000).to_string())
                .env("NEWEST", &newest_file)
                .process_group(0);
            command.spawn().expect("cli")
        };
        let one = start_loop(&env, switcher);
        let two = start_loop(&env, switcher);
        std::thread::sleep(Duration::from_millis(120 + jitter_ms(round, 120)));
        // The CLI stops first; its last rename is done once its group is gone.
        kill_group(cli);
        kill_group(one);
        kill_group(two);
        database_is_sound(&env, round);
        claude_file_is_whole(&env, round);
        // The newest the CLI recorded; it may have written one more before the kill hit
        // between its rename and its record.
        let recorded: u64 = read(&newest_file).trim().parse().unwrap_or(start);
        // Switchboard's next switch takes back whatever the CLI left, then writes the newest.
        switchboard(&env, &["use", "claude", "ada@example.com"]);
        let counter = |token: Option<String>| -> u64 {
            token
                .and_then(|t| t.strip_prefix("sk-ant-ort01-rot").map(str::to_owned))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("round {round}: no rotated token left"))
        };
        let in_file = counter(claude_refresh_in_file(&env));
        let in_keychain = counter(stored_refresh(&env, &ada));
        assert!(
            in_file == recorded || in_file == recorded + 1,
            "round {round}: the file holds rotation {in_file}, the newest written was {recorded}"
        );
        assert_eq!(
            in_keychain, in_file,
            "round {round}: keychain and file disagree"
        );
        rotations += in_file - start;
        start = in_file;
        // The files and the database agree.
        assert_eq!(
            board.active_account(ProviderId::Claude).expect("active").id,
            ada
        );
        let settings = read_json_or_empty(&env.home().join(".claude/settings.json"));
        assert!(
            settings.get("apiKeyHelper").is_none(),
            "round {round}: the key account's helper is still written"
        );
    }
    println!(
        "concurrency: {ROUNDS} rounds of two switching processes and a rotating CLI in {:.1} s; {rotations} rotations, the newest token won every round",
        started.elapsed().as_secs_f64()
    );
}

fn read_json_or_empty(path: &Path) -> Value {
    if path.exists() {
        read_json(path)
    } else {
        json!({})
    }
}
