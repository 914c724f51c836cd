//! Driving the `switchboard` command line in a test: run it, show what it said, sign in
//! through the fake browser, and read an account back from `list --json`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::fake_provider::{FakeProvider, Identity};
use crate::TestEnv;

/// Runs `switchboard args...` in the test's environment.
pub fn run(env: &TestEnv, args: &[&str]) -> Output {
    env.switchboard().args(args).output().expect("switchboard")
}

/// Runs `command` with `stdin` written to its input (then closed), and its output captured.
pub fn output_with_input(mut command: Command, stdin: Option<&str>) -> Output {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

/// The exit code and both streams, for assertion messages.
pub fn text(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Signs in through the (fake) browser as `email`, labelled with the email; returns the
/// account's id.
pub fn login(env: &TestEnv, fake: &FakeProvider, provider: &str, email: &str) -> String {
    fake.sign_in_as(Identity::new(email, "max"));
    let out = run(env, &["login", provider, "--label", email]);
    assert!(
        out.status.success(),
        "login {provider} {email}: {}",
        text(&out)
    );
    listed_account(env, provider, email)["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// One account of `list --json`, by label.
pub fn listed_account(env: &TestEnv, provider: &str, label: &str) -> Value {
    let out = run(env, &["list", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("list --json");
    list["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .filter(|p| p["provider"] == provider)
        .flat_map(|p| p["accounts"].as_array().cloned().unwrap_or_default())
        .find(|a| a["label"] == label)
        .unwrap_or_else(|| panic!("no {provider} account {label} in {list}"))
}
