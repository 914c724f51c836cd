//! A debug build (`cargo run`, `make run`) keeps its accounts apart from the installed
//! Switchboard's: with no `SWITCHBOARD_*` override it uses the `switchboard-dev` keychain
//! service and a `switchboard-dev` data dir, never `switchboard`'s. Run in a temporary home
//! and the test's own keychain daemon, like every test.

use switchboard_tests::cli::output_with_input;
use switchboard_tests::{canary, require_secret_service, secret_tool_lookup, TestEnv};

#[test]
fn a_debug_build_keeps_its_own_keychain_entries_and_data_dir() {
    if !cfg!(debug_assertions) {
        println!("skipped: this checks the debug build's store, and this is a release build");
        return;
    }
    require_secret_service();
    let env = TestEnv::new();
    let key = canary("sk-or-v1-");
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut command = env.switchboard();
        command
            .env_remove("SWITCHBOARD_DATA_DIR")
            .env_remove("SWITCHBOARD_KEYRING_SERVICE")
            .args(args);
        let output = output_with_input(command, stdin);
        assert!(
            output.status.success(),
            "switchboard {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&["add-key", "opencode", "--label", "Dev"], Some(&key));

    let data = env.home().join(".local/share");
    assert!(
        data.join("switchboard-dev/switchboard.sqlite3").is_file(),
        "the debug build's database is in switchboard-dev"
    );
    assert!(
        !data.join("switchboard").exists(),
        "the installed Switchboard's data dir was touched"
    );
    assert!(
        !env.config.data_dir.join("switchboard.sqlite3").exists(),
        "the test's own data dir was used although its variable was removed"
    );
    let listed = run(&["list", "--json"], None);
    let id = serde_json::from_str::<serde_json::Value>(&listed).expect("list --json")["providers"]
        .as_array()
        .and_then(|providers| {
            providers
                .iter()
                .flat_map(|p| p["accounts"].as_array().into_iter().flatten())
                .find(|a| a["label"] == "Dev")
                .and_then(|a| a["id"].as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| panic!("Dev is listed: {listed}"));
    assert!(
        secret_tool_lookup("switchboard-dev", &id).is_some_and(|s| s.contains(&key)),
        "the key is under the switchboard-dev service"
    );
    assert!(
        secret_tool_lookup("switchboard", &id).is_none(),
        "the key is under the installed Switchboard's service"
    );
    run(&["remove", "opencode", "Dev"], None);
    assert!(secret_tool_lookup("switchboard-dev", &id).is_none());
}
