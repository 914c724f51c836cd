//! The CLI files' originals: backed up in the keychain before Switchboard first writes a
//! file, put back whole by `restore`, and never replaced when a file or a backup is damaged.

use serde_json::json;
use switchboard_core::catalog::ProviderId;
use switchboard_core::vault::backup_entry_name;
use switchboard_core::ErrorCode;
use switchboard_tests::real_cli::read_json;
use switchboard_tests::{add_key, canary, contains, secret_tool_lookup, TestEnv};

#[test]
fn originals_are_backed_up_in_the_keychain_and_restore_puts_them_back() {
    let env = TestEnv::new();
    let home = env.home();
    let users_token = canary("users-own-refresh-");
    let original_auth = format!(
        "{{\n  \"auth_mode\": \"chatgpt\",\n  \"OPENAI_API_KEY\": null,\n  \"tokens\": {{\"refresh_token\": \"{users_token}\", \"account_id\": \"acct\"}},\n  \"last_refresh\": \"2026-11-01T00:00:00Z\"\n}}\n"
    );
    std::fs::create_dir_all(home.join(".codex")).expect("mkdir");
    std::fs::write(home.join(".codex/auth.json"), &original_auth).expect("auth.json");
    let board = env.board();
    let key = canary("sk-proj-");
    let id = add_key(&board, ProviderId::Codex, "Key", &key);
    board.set_active(ProviderId::Codex, Some(&id)).expect("use");
    let auth = read_json(&home.join(".codex/auth.json"));
    assert_eq!(
        (auth["auth_mode"].clone(), auth["OPENAI_API_KEY"].clone()),
        (json!("apikey"), json!(key))
    );
    assert_eq!(
        auth["tokens"]["refresh_token"],
        json!(users_token),
        "keys Switchboard does not own stay"
    );

    // The original (with the user's own token) is in the keychain, and in no plain file.
    let backup = secret_tool_lookup(
        &env.config.keyring_service,
        &backup_entry_name(&home.join(".codex/auth.json")),
    )
    .expect("backup entry in the Secret Service");
    assert!(backup.contains(&users_token));
    for (path, bytes) in env.data_dir_bytes() {
        assert!(
            !contains(&bytes, &users_token),
            "the user's token leaked into {}",
            path.display()
        );
    }

    let restored = board.restore_cli_files().expect("restore");
    assert_eq!(restored, vec![ProviderId::Codex]);
    assert_eq!(
        std::fs::read_to_string(home.join(".codex/auth.json")).expect("auth"),
        original_auth,
        "byte for byte"
    );
    assert!(
        !home.join(".codex/config.toml").exists(),
        "the file Switchboard created is gone"
    );
    assert!(
        board.active_account(ProviderId::Codex).is_err(),
        "nothing is active after a restore"
    );
    assert!(secret_tool_lookup(
        &env.config.keyring_service,
        &backup_entry_name(&home.join(".codex/auth.json"))
    )
    .is_none());
    assert!(
        board.restore_cli_files().expect("again").is_empty(),
        "a second restore has nothing to do"
    );
}

#[test]
fn a_corrupt_cli_file_stops_the_switch_and_changes_nothing() {
    let env = TestEnv::new();
    let home = env.home();
    std::fs::create_dir_all(home.join(".codex")).expect("mkdir");
    let broken = "model = = \"oops\"\n";
    std::fs::write(home.join(".codex/config.toml"), broken).expect("broken");
    let board = env.board();
    let id = add_key(&board, ProviderId::Codex, "Key", &canary("sk-"));
    let err = board
        .set_active(ProviderId::Codex, Some(&id))
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("left it untouched"), "{err}");
    assert_eq!(
        std::fs::read_to_string(home.join(".codex/config.toml")).expect("read"),
        broken
    );
    assert!(
        !home.join(".codex/auth.json").exists(),
        "no file was written before the refusal"
    );
    assert!(
        board.active_account(ProviderId::Codex).is_err(),
        "the switch did not happen"
    );
}

/// A backup whose contents are missing (or gone) is an error, never an empty file, and the
/// restore changes nothing: every original is read before the first file is written.
#[test]
fn a_restore_with_a_backup_missing_its_contents_fails_and_changes_nothing() {
    let env = TestEnv::new();
    let home = env.home();
    std::fs::create_dir_all(home.join(".codex")).expect("mkdir");
    std::fs::write(home.join(".codex/config.toml"), "model = \"o4\"\n").expect("config");
    std::fs::write(
        home.join(".codex/auth.json"),
        "{\"auth_mode\": \"chatgpt\"}\n",
    )
    .expect("auth");
    let board = env.board();
    let id = add_key(&board, ProviderId::Codex, "Key", &canary("sk-proj-"));
    board.set_active(ProviderId::Codex, Some(&id)).expect("use");
    let switched: Vec<Vec<u8>> = ["auth.json", "config.toml"]
        .iter()
        .map(|f| std::fs::read(home.join(".codex").join(f)).expect("file"))
        .collect();

    // The backup of config.toml loses its contents (someone edited the keychain entry).
    let entry = backup_entry_name(&home.join(".codex/config.toml"));
    let mut store = env
        .command("secret-tool")
        .args([
            "store",
            "--label=tampered",
            "service",
            &env.config.keyring_service,
            "username",
            &entry,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("secret-tool store");
    std::io::Write::write_all(
        store.stdin.as_mut().expect("stdin"),
        br#"{"v": 1, "type": "file_backup", "path": "x"}"#,
    )
    .expect("write");
    drop(store.stdin.take());
    assert!(store.wait().expect("wait").success());

    let err = board
        .restore_cli_files()
        .expect_err("a backup without contents");
    assert!(err.to_string().contains("no contents"), "{err}");
    for (file, before) in ["auth.json", "config.toml"].iter().zip(&switched) {
        assert_eq!(
            &std::fs::read(home.join(".codex").join(file)).expect("file"),
            before,
            "{file} untouched"
        );
    }
    assert_eq!(
        board
            .active_account(ProviderId::Codex)
            .expect("still active")
            .id,
        id
    );
    assert!(
        secret_tool_lookup(
            &env.config.keyring_service,
            &backup_entry_name(&home.join(".codex/auth.json"))
        )
        .is_some(),
        "the other backup is kept"
    );
}
