//! The active account written into the CLIs' own files: checked by the real `claude` and
//! `codex` from the npm registry, and merged without touching the user's settings. The
//! originals' backups and `restore` are in `cli_file_backups.rs`.

use std::path::Path;

use serde_json::{json, Value};
use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_core::Switchboard;
use switchboard_tests::real_cli::{claude_status, codex_status, read_json, run_in_home};
use switchboard_tests::{canary, new_key_account, TestEnv};

fn add(
    board: &Switchboard,
    provider: ProviderId,
    label: &str,
    credential: KeyCredential,
) -> String {
    add_with(board, provider, label, credential, None, None)
}

fn add_with(
    board: &Switchboard,
    provider: ProviderId,
    label: &str,
    credential: KeyCredential,
    endpoint: Option<EndpointInput>,
    model: Option<&str>,
) -> String {
    let input = NewKeyAccount {
        endpoint,
        model: model.map(Into::into),
        ..new_key_account(provider, Some(label), credential)
    };
    board
        .add_key_account(input)
        .expect("add account")
        .account
        .id
}

fn api_key(key: &str) -> KeyCredential {
    KeyCredential::ApiKey { key: key.into() }
}

/// Runs a helper command exactly as Claude Code does: through a shell.
fn run_helper(env: &TestEnv, command_line: &str) -> String {
    let output = run_in_home(env, Path::new("/bin/sh"), &["-c", command_line]);
    assert!(
        output.status.success(),
        "helper failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn the_real_clis_log_in_as_the_active_key_account_and_out_again() {
    let env = TestEnv::new();
    let board = env.board();
    let home = env.home();
    assert_eq!(
        claude_status(&env)["loggedIn"],
        json!(false),
        "a fresh home is logged out"
    );

    // Claude with an API key: settings.json names the helper, never the key.
    let claude_key = canary("sk-ant-api03-");
    let work = add(&board, ProviderId::Claude, "Work", api_key(&claude_key));
    board
        .set_active(ProviderId::Claude, Some(&work))
        .expect("use Work");
    let status = claude_status(&env);
    assert_eq!(status["loggedIn"], json!(true), "{status}");
    assert_eq!(status["authMethod"], json!("api_key_helper"), "{status}");
    let settings_path = home.join(".claude/settings.json");
    let settings = std::fs::read_to_string(&settings_path).expect("settings");
    assert!(
        !settings.contains(&claude_key),
        "the key is not in settings.json"
    );
    let helper = read_json(&settings_path)["apiKeyHelper"]
        .as_str()
        .expect("helper")
        .to_owned();
    assert_eq!(
        run_helper(&env, &helper),
        claude_key,
        "the helper hands Claude Code the key"
    );

    // Claude on Bedrock with access keys: the region in env, the keys through the export hook.
    let secret = canary("wJalr");
    let bedrock = add(
        &board,
        ProviderId::Claude,
        "Bedrock",
        KeyCredential::BedrockAccessKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: secret.clone().into(),
            region: "eu-west-1".into(),
        },
    );
    board
        .set_active(ProviderId::Claude, Some(&bedrock))
        .expect("use Bedrock");
    let status = claude_status(&env);
    assert_eq!(
        (status["loggedIn"].clone(), status["apiProvider"].clone()),
        (json!(true), json!("bedrock")),
        "{status}"
    );
    let settings = read_json(&settings_path);
    assert_eq!(settings["env"]["AWS_REGION"], json!("eu-west-1"));
    assert!(
        settings.get("apiKeyHelper").is_none(),
        "the previous account's helper is gone"
    );
    let exported: Value = serde_json::from_str(&run_helper(
        &env,
        settings["awsCredentialExport"].as_str().expect("hook"),
    ))
    .expect("AWS credentials JSON");
    assert_eq!(
        exported["Credentials"]["AccessKeyId"],
        json!("AKIAIOSFODNN7EXAMPLE")
    );
    assert_eq!(exported["Credentials"]["SecretAccessKey"], json!(secret));

    // Codex with an API key.
    let openai = canary("sk-proj-");
    let codex = add(&board, ProviderId::Codex, "OpenAI", api_key(&openai));
    let switched = board
        .set_active(ProviderId::Codex, Some(&codex))
        .expect("use codex");
    assert!(
        switched.caveat.is_some(),
        "Codex sessions that are running will not follow"
    );
    let (ok, text) = codex_status(&env);
    assert!(ok && text.contains("API key configured"), "{text}");
    assert!(
        text.contains(&openai[openai.len() - 5..]),
        "codex shows the end of this key: {text}"
    );
    // Rotating the active account's key rewrites the file at once.
    let rotated = canary("sk-proj-");
    board
        .replace_secret(&codex, api_key(&rotated))
        .expect("rotate");
    let (_, text) = codex_status(&env);
    assert!(
        text.contains(&rotated[rotated.len() - 5..]),
        "codex sees the new key: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.join(".codex/auth.json"))
            .expect("auth.json")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Clearing logs both out again and leaves no file Switchboard created.
    board
        .set_active(ProviderId::Claude, None)
        .expect("clear claude");
    board
        .set_active(ProviderId::Codex, None)
        .expect("clear codex");
    assert_eq!(claude_status(&env)["loggedIn"], json!(false));
    let (ok, text) = codex_status(&env);
    assert!(!ok && text.contains("Not logged in"), "{text}");
    for created in [
        ".codex/auth.json",
        ".codex/config.toml",
        ".claude/settings.json",
    ] {
        assert!(
            !home.join(created).exists(),
            "{created} was created by Switchboard and is gone again"
        );
    }
}

struct Fixture {
    path: &'static str,
    text: &'static str,
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        path: ".claude/settings.json",
        text: r#"{
  "permissions": {"allow": ["Bash(ls)"], "deny": []},
  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo hi"}]}]},
  "enabledPlugins": {"formatter@market": true},
  "env": {"MY_VAR": "1"},
  "statusLine": {"type": "command", "command": "~/bin/status"}
}"#,
    },
    Fixture {
        path: ".claude.json",
        text: r#"{"numStartups": 42, "userID": "abc", "projects": {"/work": {"allowedTools": [], "history": ["x"]}}, "tipsHistory": {"a": 1}}"#,
    },
    Fixture {
        path: ".claude/.credentials.json",
        text: r#"{"mcpOAuth": {"linear|abc": {"accessToken": "mcp-token", "expiresAt": 1}}}"#,
    },
    Fixture {
        path: ".codex/config.toml",
        text: "# Codex settings, by hand\nmodel_reasoning_effort = \"high\" # keep\napproval_policy = \"on-request\"\n\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n\n# servers\n[mcp_servers.docs]\ncommand = \"docs-mcp\"\nargs = [\"--stdio\"]\n",
    },
    Fixture {
        path: ".gemini/settings.json",
        text: r#"{"ui": {"theme": "Dracula"}, "security": {"folderTrust": {"enabled": true}}, "mcpServers": {}}"#,
    },
    Fixture {
        path: ".gemini/.env",
        text: "# my environment\nOTHER_TOOL_TOKEN=abc\nexport DEBUG=1\n",
    },
    Fixture {
        path: ".local/share/opencode/auth.json",
        text: r#"{"anthropic": {"type": "api", "key": "sk-ant-users-own"}}"#,
    },
];

/// JSON files compare as JSON with key order; the others byte for byte.
fn same_content(path: &Path, original: &str) -> bool {
    let now = std::fs::read_to_string(path).unwrap_or_default();
    if path.extension().is_some_and(|e| e == "json") {
        let a: Value = serde_json::from_str(&now).unwrap_or(Value::Null);
        let b: Value = serde_json::from_str(original).unwrap_or(Value::Null);
        serde_json::to_string(&a).ok() == serde_json::to_string(&b).ok()
    } else {
        now == original
    }
}

#[test]
fn user_settings_survive_a_hundred_switches() {
    let env = TestEnv::new();
    let home = env.home();
    for fixture in FIXTURES {
        let path = home.join(fixture.path);
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, fixture.text).expect("fixture");
    }
    let board = env.board();
    let custom = |preset, url: Option<&str>, version: Option<&str>| {
        Some(EndpointInput {
            preset,
            base_url: url.map(Into::into),
            api_version: version.map(Into::into),
        })
    };
    let accounts: Vec<(ProviderId, String)> = vec![
        (
            ProviderId::Claude,
            add_with(
                &board,
                ProviderId::Claude,
                "key",
                api_key(&canary("sk-ant-api03-")),
                custom(
                    EndpointPreset::Custom,
                    Some("https://gw.example/anthropic"),
                    None,
                ),
                Some("opus"),
            ),
        ),
        (
            ProviderId::Claude,
            add(
                &board,
                ProviderId::Claude,
                "bedrock",
                KeyCredential::BedrockAccessKeys {
                    access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                    secret_access_key: canary("s").into(),
                    region: "us-east-1".into(),
                },
            ),
        ),
        (
            ProviderId::Claude,
            add(
                &board,
                ProviderId::Claude,
                "bedrock key",
                KeyCredential::BedrockApiKey {
                    api_key: canary("ABSK").into(),
                    region: "us-west-2".into(),
                },
            ),
        ),
        (
            ProviderId::Codex,
            add(
                &board,
                ProviderId::Codex,
                "default",
                api_key(&canary("sk-")),
            ),
        ),
        (
            ProviderId::Codex,
            add_with(
                &board,
                ProviderId::Codex,
                "azure",
                api_key(&canary("az")),
                custom(
                    EndpointPreset::AzureOpenai,
                    Some("https://team.openai.azure.com"),
                    None,
                ),
                Some("gpt-5"),
            ),
        ),
        (
            ProviderId::Codex,
            add_with(
                &board,
                ProviderId::Codex,
                "local",
                api_key(&canary("lm")),
                custom(EndpointPreset::LocalResponses, None, None),
                Some("qwen3-coder"),
            ),
        ),
        (
            ProviderId::Gemini,
            add(
                &board,
                ProviderId::Gemini,
                "gemini",
                api_key(&canary("AIza")),
            ),
        ),
        (
            ProviderId::Gemini,
            add_with(
                &board,
                ProviderId::Gemini,
                "gateway",
                api_key(&canary("AIza")),
                custom(
                    EndpointPreset::Custom,
                    Some("https://gw.example/gemini"),
                    Some("v1beta"),
                ),
                Some("gemini-2.5-pro"),
            ),
        ),
        (
            ProviderId::Opencode,
            add(
                &board,
                ProviderId::Opencode,
                "router",
                api_key(&canary("sk-or-v1-")),
            ),
        ),
    ];

    for round in 0..100 {
        let (provider, id) = &accounts[(round * 7) % accounts.len()];
        if round % 11 == 10 {
            board.set_active(*provider, None).expect("clear");
        } else {
            board.set_active(*provider, Some(id)).expect("switch");
        }
        // Spot checks while switching: the user's own keys are still there.
        let settings = read_json(&home.join(".claude/settings.json"));
        assert_eq!(settings["env"]["MY_VAR"], json!("1"), "round {round}");
        assert_eq!(
            settings["hooks"]["PreToolUse"][0]["matcher"],
            json!("Bash"),
            "round {round}"
        );
        let config = std::fs::read_to_string(home.join(".codex/config.toml")).expect("config");
        assert!(
            config.contains("# Codex settings, by hand") && config.contains("[mcp_servers.docs]"),
            "round {round}"
        );
    }
    // Every provider used at least once, including the Azure endpoint's rewrite.
    board
        .set_active(ProviderId::Codex, Some(&accounts[4].1))
        .expect("azure");
    let config = std::fs::read_to_string(home.join(".codex/config.toml")).expect("config");
    assert!(
        config.contains("base_url = \"https://team.openai.azure.com/openai\""),
        "{config}"
    );
    assert!(
        config.contains("query_params = { api-version = \"2025-04-01-preview\" }"),
        "{config}"
    );
    assert!(
        config.contains("model_provider = \"switchboard\"")
            && config.contains("wire_api = \"responses\""),
        "{config}"
    );

    for provider in [
        ProviderId::Claude,
        ProviderId::Codex,
        ProviderId::Gemini,
        ProviderId::Opencode,
    ] {
        board.set_active(provider, None).expect("clear");
    }
    for fixture in FIXTURES {
        let path = home.join(fixture.path);
        assert!(
            same_content(&path, fixture.text),
            "{} differs from the user's original:\n{}",
            fixture.path,
            std::fs::read_to_string(&path).unwrap_or_default()
        );
    }
    assert!(
        !home.join(".codex/auth.json").exists(),
        "auth.json did not exist before and is gone"
    );
}
