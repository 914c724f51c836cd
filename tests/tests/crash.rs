//! Crash safety: a process switching Codex between two accounts in a loop is SIGKILLed at
//! random moments. Every time, each CLI file must be either the complete old version or the
//! complete new one — never torn, never a mix — and the next switch must still work.

use std::collections::HashSet;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_tests::{canary, switchboard_bin, TestEnv};

const KILLS: u32 = 100;

fn add(env: &TestEnv, label: &str, endpoint: Option<EndpointInput>) -> String {
    env.board()
        .add_key_account(NewKeyAccount {
            provider: ProviderId::Codex,
            label: Some(label.into()),
            description: None,
            credential: KeyCredential::ApiKey {
                key: canary("sk-").into(),
            },
            endpoint,
            model: endpoint_model(label),
            effort: None,
        })
        .expect("add")
        .account
        .id
}

fn endpoint_model(label: &str) -> Option<String> {
    (label == "B").then(|| "qwen3-coder".to_owned())
}

fn snapshot(env: &TestEnv) -> (String, String) {
    let dir = env.home().join(".codex");
    (
        std::fs::read_to_string(dir.join("auth.json")).unwrap_or_default(),
        std::fs::read_to_string(dir.join("config.toml")).unwrap_or_default(),
    )
}

/// A pseudo-random delay from the clock: enough spread to land in every phase of a switch.
fn jitter_ms(round: u32) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    u64::from((nanos / 1000 + round * 7919) % 120) + 5
}

#[test]
fn a_switch_killed_at_any_moment_leaves_every_file_whole() {
    let env = TestEnv::new();
    let codex = env.home().join(".codex");
    std::fs::create_dir_all(&codex).expect("mkdir");
    std::fs::write(
        codex.join("config.toml"),
        "# mine\napproval_policy = \"never\"\n",
    )
    .expect("fixture");
    add(&env, "A", None);
    add(
        &env,
        "B",
        Some(EndpointInput {
            preset: EndpointPreset::LocalResponses,
            base_url: None,
            api_version: None,
        }),
    );

    // The complete versions each file may have: A's, B's (reached from either side).
    let bin = switchboard_bin();
    let switch = |label: &str| {
        let mut command = env.command(&bin);
        command.args(["use", "codex", label]).stdout(Stdio::null());
        assert!(
            command.status().expect("run").success(),
            "switch to {label}"
        );
        snapshot(&env)
    };
    let mut whole: HashSet<(String, String)> = HashSet::new();
    for label in ["A", "B", "A", "B"] {
        whole.insert(switch(label));
    }
    let auth_versions: HashSet<String> = whole.iter().map(|(a, _)| a.clone()).collect();
    let config_versions: HashSet<String> = whole.iter().map(|(_, c)| c.clone()).collect();
    assert_eq!(auth_versions.len(), 2, "A and B each have one auth.json");
    assert_eq!(
        config_versions.len(),
        2,
        "A and B each have one config.toml"
    );

    let script = format!(
        "while :; do '{0}' use codex A >/dev/null; '{0}' use codex B >/dev/null; done",
        bin.display()
    );
    let mut killed_mid_write = 0;
    for round in 0..KILLS {
        let mut command = env.command("/bin/sh");
        command
            .args(["-c", &script])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let mut child = command.spawn().expect("loop");
        std::thread::sleep(Duration::from_millis(jitter_ms(round)));
        let group = format!("-{}", child.id());
        Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .expect("kill");
        child.wait().expect("reap");

        let (auth, config) = snapshot(&env);
        assert!(
            auth_versions.contains(&auth),
            "round {round}: auth.json is torn or mixed:\n{auth}"
        );
        assert!(
            config_versions.contains(&config),
            "round {round}: config.toml is torn or mixed:\n{config}"
        );
        if std::fs::read_dir(&codex)
            .expect("list")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        {
            killed_mid_write += 1;
        }
    }
    println!("{KILLS} kills, {killed_mid_write} of them left a temp file behind mid-write");

    // After all that, switching still works and lands on exactly A's files.
    let a = switch("A");
    assert!(
        whole.contains(&a),
        "the store and files are consistent after the crashes"
    );
}
