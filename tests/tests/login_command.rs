//! `switchboard login` in a terminal: the browser (the fake one, through
//! `SWITCHBOARD_OPEN_WITH`), paste-back on stdin, device codes, and its failures with exit
//! codes a script can rely on.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

use serde_json::Value;
use switchboard_tests::fake_provider::{paste_text_for, Failure, FakeProvider, Identity, Route};
use switchboard_tests::{contains, TestEnv};

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    env.switchboard()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn switchboard")
}

/// Reads stderr until a line satisfies `pick`, returning what it picked and all text read.
fn read_until(
    stderr: &mut impl BufRead,
    pick: impl Fn(&str) -> Option<String>,
) -> (String, String) {
    let mut seen = String::new();
    for line in stderr.lines() {
        let line = line.expect("stderr");
        seen.push_str(&line);
        seen.push('\n');
        if let Some(found) = pick(&line) {
            return (found, seen);
        }
    }
    panic!("stderr ended without the expected line:\n{seen}");
}

fn finish(child: Child) -> (i32, String, String) {
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn listed(env: &TestEnv) -> Value {
    let output = env
        .switchboard()
        .args(["list", "--json"])
        .output()
        .expect("list");
    serde_json::from_slice(&output.stdout).expect("list --json")
}

#[test]
fn login_through_the_browser_adds_and_activates_the_account() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("term@example.com", "max"));
    // Logging everything, as a user chasing a problem would.
    let child = env
        .switchboard()
        .args(["login", "claude"])
        .env("SWITCHBOARD_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (code, stdout, stderr) = finish(child);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("Your browser is open"), "{stderr}");
    assert!(
        stdout.contains("Added Claude Code account \u{201c}term@example.com\u{201d}, now active"),
        "{stdout}"
    );
    let list = listed(&env);
    assert_eq!(
        list["providers"][0]["accounts"][0]["email"],
        "term@example.com"
    );
    assert_eq!(list["providers"][0]["accounts"][0]["plan"], "max");
    // Not one token in the log, the database or anything else in the data dir.
    let tokens = fake.issued_to("term@example.com");
    assert_eq!(tokens.len(), 2);
    let files = env.data_dir_bytes();
    assert!(files
        .iter()
        .any(|(p, b)| p.ends_with("switchboard.log") && !b.is_empty()));
    for (path, bytes) in files {
        for token in &tokens {
            assert!(!contains(&bytes, token), "a token is in {}", path.display());
        }
    }
    for token in &tokens {
        assert!(!stderr.contains(token.as_str()) && !stdout.contains(token.as_str()));
    }
}

#[test]
fn login_with_a_device_code_uses_the_providers_default_method() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("grok@example.com", ""));
    // Grok signs in with a device code by default; the fake browser approves it on the
    // verification page it is sent to.
    let (code, stdout, stderr) = finish(spawn(&env, &["login", "grok", "--label", "Grok main"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("and enter the code"), "{stderr}");
    assert!(
        stdout.contains("\u{201c}Grok main\u{201d} (grok@example.com)"),
        "{stdout}"
    );
}

#[test]
fn login_with_a_device_code_prints_the_code_to_enter() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("codex-device@example.com", "pro"));
    let mut child = spawn(&env, &["login", "codex", "--device", "--no-browser"]);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let (user_code, _) = read_until(&mut stderr, |line| {
        let line = line.trim();
        let is_code = line.len() == 9 && line.chars().nth(4) == Some('-');
        is_code.then(|| line.to_owned())
    });
    assert!(fake.approve_device(&user_code));
    writeln!(child.stdin.as_mut().unwrap()).unwrap();
    let (code, stdout, _) = finish(child);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("codex-device@example.com"), "{stdout}");
}

#[test]
fn login_by_paste_reads_the_code_from_stdin() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("pasted@example.com", "pro"));
    let mut child = spawn(&env, &["login", "claude", "--paste", "--no-browser"]);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let (url, seen) = read_until(&mut stderr, |line| {
        line.trim()
            .starts_with("http://127.0.0.1")
            .then(|| line.trim().to_owned())
    });
    assert!(seen.contains("To sign in to Claude Code, open"), "{seen}");
    // First something that is not a code: refused, and asked again.
    writeln!(child.stdin.as_mut().unwrap(), "oops").unwrap();
    let (_, seen) = read_until(&mut stderr, |line| {
        line.contains("not a sign-in code").then(String::new)
    });
    assert!(seen.contains("Try again"), "{seen}");
    writeln!(child.stdin.as_mut().unwrap(), "{}", paste_text_for(&url)).unwrap();
    let (code, stdout, _) = finish(child);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("pasted@example.com"), "{stdout}");
}

#[test]
fn login_failures_exit_with_their_codes_and_store_nothing() {
    let (env, _fake) = world();
    // Paste-back whose stdin closes with nothing usable: cancelled, exit 6.
    let mut child = spawn(&env, &["login", "gemini", "--paste", "--no-browser"]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"not a code\n")
        .unwrap();
    let (code, _, stderr) = finish(child);
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("not a sign-in code"), "{stderr}");
    assert!(stderr.contains("cancelled. Nothing was saved"), "{stderr}");
    // A key-only provider: exit 2 with the way to add a key.
    let (code, _, stderr) = finish(spawn(&env, &["login", "opencode"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("switchboard add-key opencode"), "{stderr}");
    // Two methods at once is a usage error.
    let (code, _, stderr) = finish(spawn(&env, &["login", "codex", "--paste", "--device"]));
    assert_eq!(code, 2, "{stderr}");
    let list = listed(&env);
    let total: usize = list["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["accounts"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, 0);
}

/// Text from a provider (an error's description) reaches the terminal without its escape
/// sequences or direction overrides: it cannot clear the screen or disguise itself.
#[test]
fn provider_text_reaches_the_terminal_without_escape_sequences() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("esc@example.com", "max"));
    fake.fail_next(Route::Token, Failure::HostileText);
    let mut child = spawn(&env, &["login", "claude", "--paste", "--no-browser"]);
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let (page, _) = read_until(&mut stderr, |line| {
        line.trim()
            .starts_with("http")
            .then(|| line.trim().to_owned())
    });
    let answer = paste_text_for(&page);
    writeln!(child.stdin.as_mut().expect("stdin"), "{answer}").expect("paste");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("stderr");
    let (code, _, _) = finish(child);
    assert_eq!(code, 6, "{rest}");
    assert!(
        rest.contains("deripxe"),
        "the provider's words are shown: {rest}"
    );
    assert!(
        !rest.contains('\u{1b}') && !rest.contains('\u{202E}') && !rest.contains('\u{7}'),
        "escape sequences reached the terminal: {rest:?}"
    );
}
