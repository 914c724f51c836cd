//! Running the real CLIs (from tests/cli-tools) against a test's home, with a clean
//! environment so nothing of the developer's (API keys, config dirs) leaks in.

use std::path::Path;

use serde_json::Value;

use crate::{real_cli, TestEnv};

/// Runs `program` in the test's home; a helper it calls finds this test's keychain.
pub fn run_in_home(env: &TestEnv, program: &Path, args: &[&str]) -> std::process::Output {
    let mut command = env.command(program);
    command
        .args(args)
        .env("CI", "1")
        .env("DISABLE_AUTOUPDATER", "1")
        .output()
        .expect("run CLI")
}

/// `claude auth status` as JSON.
pub fn claude_status(env: &TestEnv) -> Value {
    let output = run_in_home(env, &real_cli("claude"), &["auth", "status"]);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "claude auth status printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// `codex login status`: whether it succeeded, and everything it printed.
pub fn codex_status(env: &TestEnv) -> (bool, String) {
    let output = run_in_home(env, &real_cli("codex"), &["login", "status"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A JSON file's content.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

/// The Anthropic API's path, where `claude` posts its requests.
pub const MESSAGES_PATH: &str = "/v1/messages";
