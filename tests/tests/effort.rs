//! Effort (and model) reach each CLI as it reads them, checked with the real CLIs: `claude`
//! sends the active account's effort in its requests (to the fake API, on loopback), `codex
//! exec` prints the effort and model it runs with; Grok's `config.toml` is written.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use switchboard_core::account::{AccountSettings, EndpointInput, EndpointPreset, KeyCredential};
use switchboard_core::catalog::{Effort, ProviderId};
use switchboard_tests::fake_provider::{free_port, FakeProvider};
use switchboard_tests::real_cli::{read_json, MESSAGES_PATH};
use switchboard_tests::{canary, new_key_account, real_cli, TestEnv};

fn key_account(
    env: &TestEnv,
    provider: ProviderId,
    key: &str,
    endpoint: Option<EndpointInput>,
    model: Option<&str>,
    effort: Effort,
) -> String {
    let mut input = new_key_account(
        provider,
        Some("Effortful"),
        KeyCredential::ApiKey { key: key.into() },
    );
    input.endpoint = endpoint;
    input.model = model.map(str::to_owned);
    input.effort = Some(effort);
    let board = env.board();
    let id = board.add_key_account(input).expect("add").account.id;
    board.set_active(provider, Some(&id)).expect("use");
    id
}

#[test]
fn claude_sends_the_active_accounts_effort_with_its_requests() {
    let fake = FakeProvider::start();
    let env = TestEnv::new();
    let key = canary("sk-ant-api03-");
    fake.accept_key("claude", &key);
    let id = key_account(
        &env,
        ProviderId::Claude,
        &key,
        Some(EndpointInput {
            preset: EndpointPreset::Custom,
            base_url: Some(format!("{}/api/claude", fake.base)),
            api_version: None,
        }),
        Some("sonnet"),
        Effort::Max,
    );
    let ask = || {
        let claude = real_cli("claude");
        let mut command = env.command(&claude);
        command
            .args(["-p", "hi"])
            .env("CLAUDE_CODE_MAX_RETRIES", "0")
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .env("DISABLE_AUTOUPDATER", "1")
            .stdin(Stdio::null())
            .output()
            .expect("claude -p");
        let sent = fake.api_requests(MESSAGES_PATH);
        sent.last()
            .cloned()
            .expect("claude sent a request to the fake API")
    };
    let request = ask();
    assert_eq!(request["output_config"]["effort"], "max", "{request}");

    // A new effort, saved in the edit dialog, is what claude sends next.
    env.board()
        .update_settings(
            &id,
            AccountSettings {
                endpoint: Some(EndpointInput {
                    preset: EndpointPreset::Custom,
                    base_url: Some(format!("{}/api/claude", fake.base)),
                    api_version: None,
                }),
                model: Some("sonnet".into()),
                effort: Some(Effort::Low),
            },
        )
        .expect("edit");
    assert_eq!(ask()["output_config"]["effort"], "low");
    let settings = read_json(&env.home().join(".claude/settings.json"));
    assert!(
        settings.get("apiKeyHelper").is_some() && !settings.to_string().contains(&key),
        "the key is fetched by the helper, never written: {settings}"
    );
}

#[test]
fn codex_runs_with_the_active_accounts_effort_and_model() {
    let env = TestEnv::new();
    // A local endpoint nobody listens on: codex prints its settings, then cannot connect.
    let closed = free_port();
    key_account(
        &env,
        ProviderId::Codex,
        &canary("sk-proj-"),
        Some(EndpointInput {
            preset: EndpointPreset::LocalResponses,
            base_url: Some(format!("http://localhost:{closed}/v1")),
            api_version: None,
        }),
        Some("gpt-5.1-codex"),
        Effort::High,
    );
    let codex = real_cli("codex");
    let mut command = env.command("/bin/sh");
    command
        .args(["-c", "exec \"$0\" exec --skip-git-repo-check hi 2>&1"])
        .arg(&codex)
        .current_dir(env.home())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().expect("codex exec");
    let mut seen = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("line");
        let done = line.starts_with("reasoning effort:");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    assert!(
        seen.iter().any(|l| l == "model: gpt-5.1-codex"),
        "{seen:#?}"
    );
    assert!(
        seen.iter().any(|l| l == "reasoning effort: high"),
        "{seen:#?}"
    );
}

#[test]
fn grok_gets_its_effort_in_config_toml_beside_the_users_settings() {
    let env = TestEnv::new();
    let config = env.home().join(".grok/config.toml");
    std::fs::create_dir_all(config.parent().expect("dir")).expect("mkdir");
    std::fs::write(&config, "# mine\n[ui]\ntheme = \"dark\"\n").expect("fixture");
    key_account(
        &env,
        ProviderId::Grok,
        &canary("xai-"),
        None,
        Some("grok-4.3"),
        Effort::High,
    );
    let written = std::fs::read_to_string(&config).expect("config.toml");
    assert!(
        written.contains("default_reasoning_effort = \"high\""),
        "{written}"
    );
    assert!(
        written.starts_with("# mine\n[ui]\ntheme = \"dark\"\n"),
        "{written}"
    );
    env.board()
        .set_active(ProviderId::Grok, None)
        .expect("clear");
    assert_eq!(
        std::fs::read_to_string(&config).expect("config.toml"),
        "# mine\n[ui]\ntheme = \"dark\"\n",
        "clearing leaves the user's file as it was"
    );
}
