//! Key and Bedrock accounts end to end through the facade: a real SQLite file, the real
//! keychain (Secret Service), and the rules for labels, the active account and pools.

use switchboard_core::account::{
    AccountSettings, EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount,
};
use switchboard_core::catalog::{AccountKind, Effort, ProviderId};
use switchboard_core::store::EventKind;
use switchboard_core::{ErrorCode, Switchboard};
use switchboard_tests::{canary, new_key_account, secret_tool_lookup, TestEnv};

fn key_account(provider: ProviderId, label: Option<&str>, key: &str) -> NewKeyAccount {
    new_key_account(provider, label, KeyCredential::ApiKey { key: key.into() })
}

fn accounts_of(
    board: &Switchboard,
    provider: ProviderId,
) -> Vec<switchboard_core::account::Account> {
    board
        .overview()
        .expect("overview")
        .providers
        .into_iter()
        .find(|p| p.provider == provider)
        .expect("every provider is listed")
        .accounts
        .into_iter()
        .map(|view| view.account)
        .collect()
}

#[test]
fn a_key_lives_in_the_real_keychain_and_only_its_hint_in_the_database() {
    let env = TestEnv::new();
    let board = env.board();
    let key = canary("sk-ant-api03-");
    let saved = board
        .add_key_account(key_account(ProviderId::Claude, Some("Work"), &key))
        .expect("add");
    assert!(saved.warnings.is_empty(), "{:?}", saved.warnings);
    let account = saved.account;
    assert_eq!(account.kind, AccountKind::ApiKey);
    assert!(
        account.secret_hint.starts_with("sk-ant-\u{2026}"),
        "{}",
        account.secret_hint
    );
    assert!(account.secret_hint.ends_with(&key[key.len() - 4..]));

    // A separate tool, talking to the Secret Service directly, finds the secret.
    let stored = secret_tool_lookup(&env.config.keyring_service, &account.id)
        .expect("entry in the Secret Service");
    assert!(stored.contains(&key), "the keychain holds the key");

    // A second facade (a new process would do the same) reads the same account back.
    drop(board);
    let reopened = env.board();
    let listed = accounts_of(&reopened, ProviderId::Claude);
    assert_eq!(listed, vec![account]);
}

#[test]
fn relabel_describe_rotate_and_remove() {
    let env = TestEnv::new();
    let board = env.board();
    let first = canary("xai-");
    let id = board
        .add_key_account(key_account(ProviderId::Grok, None, &first))
        .expect("add")
        .account
        .id;

    let renamed = board
        .rename_account(&id, "  Personal xAI  ")
        .expect("rename");
    assert_eq!(renamed.label, "Personal xAI");
    let described = board
        .set_description(&id, "rotate before March")
        .expect("describe");
    assert_eq!(described.description, "rotate before March");

    let second = canary("xai-");
    let rotated = board
        .replace_secret(
            &id,
            KeyCredential::ApiKey {
                key: second.clone().into(),
            },
        )
        .expect("rotate")
        .account;
    assert!(rotated.secret_hint.ends_with(&second[second.len() - 4..]));
    let stored = secret_tool_lookup(&env.config.keyring_service, &id).expect("entry");
    assert!(
        stored.contains(&second) && !stored.contains(&first),
        "rotation replaced the keychain entry"
    );

    board.toggle_active(&id).expect("activate");
    board.remove_account(&id).expect("remove");
    assert!(
        secret_tool_lookup(&env.config.keyring_service, &id).is_none(),
        "keychain entry removed"
    );
    assert!(accounts_of(&board, ProviderId::Grok).is_empty());
    let err = board
        .active_account(ProviderId::Grok)
        .expect_err("active cleared with the account");
    assert_eq!(err.code(), ErrorCode::ProviderNotConfigured);

    let kinds: Vec<EventKind> = board
        .recent_events(10)
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::AccountRemoved,
            // Removing the active account clears it first.
            EventKind::ActiveChanged,
            EventKind::ActiveChanged,
            EventKind::SecretReplaced,
            EventKind::AccountUpdated,
            EventKind::AccountUpdated,
            EventKind::AccountAdded
        ]
    );
}

#[test]
fn the_checkmark_activates_and_clears_and_unconfigured_providers_say_so() {
    let env = TestEnv::new();
    let board = env.board();
    let err = board
        .active_account(ProviderId::Codex)
        .expect_err("nothing active yet");
    assert_eq!(err.code(), ErrorCode::ProviderNotConfigured);
    assert!(err.to_string().contains("Provider not configured"), "{err}");

    let a = board
        .add_key_account(key_account(ProviderId::Codex, Some("A"), &canary("sk-")))
        .expect("a")
        .account;
    let b = board
        .add_key_account(key_account(ProviderId::Codex, Some("B"), &canary("sk-")))
        .expect("b")
        .account;
    assert!(
        board.active_account(ProviderId::Codex).is_err(),
        "adding a key does not activate it"
    );

    assert_eq!(
        board.toggle_active(&a.id).expect("on").active_account_id,
        Some(a.id.clone())
    );
    assert_eq!(
        board.active_account(ProviderId::Codex).expect("active").id,
        a.id
    );
    assert_eq!(
        board
            .toggle_active(&b.id)
            .expect("switch")
            .active_account_id,
        Some(b.id.clone())
    );
    assert_eq!(
        board.active_account(ProviderId::Codex).expect("active").id,
        b.id
    );
    assert_eq!(
        board.toggle_active(&b.id).expect("off").active_account_id,
        None
    );
    assert!(board.active_account(ProviderId::Codex).is_err());

    let wrong = board
        .set_active(ProviderId::Claude, Some(&a.id))
        .expect_err("wrong provider");
    assert_eq!(wrong.code(), ErrorCode::InvalidInput);
}

#[test]
fn key_accounts_cannot_join_a_pool() {
    let env = TestEnv::new();
    let board = env.board();
    let account = board
        .add_key_account(key_account(ProviderId::Gemini, None, &canary("AIza")))
        .expect("add")
        .account;
    let err = board
        .set_in_pool(&account.id, true)
        .expect_err("keys stay out of pools");
    assert_eq!(err.code(), ErrorCode::NotAllowed);
    assert!(err.to_string().contains("round-robin"), "{err}");
    assert!(!board.account(&account.id).expect("reload").in_pool);
    board
        .set_in_pool(&account.id, false)
        .expect("leaving is always allowed");
}

#[test]
fn labels_default_to_provider_and_time_and_stay_unique() {
    let env = TestEnv::new();
    let board = env.board();
    let first = board
        .add_key_account(key_account(ProviderId::Cursor, None, &canary("crsr_")))
        .expect("1")
        .account;
    let second = board
        .add_key_account(key_account(ProviderId::Cursor, None, &canary("crsr_")))
        .expect("2")
        .account;
    assert!(
        first.label.starts_with("Cursor agent 20"),
        "{}",
        first.label
    );
    assert_ne!(
        first.label, second.label,
        "same-minute default labels get a counter"
    );

    let err = board
        .rename_account(&second.id, &first.label.to_uppercase())
        .expect_err("duplicate label");
    assert_eq!(err.code(), ErrorCode::Conflict);
    let err = board
        .add_key_account(key_account(
            ProviderId::Cursor,
            Some(&first.label),
            &canary("crsr_"),
        ))
        .expect_err("duplicate label on add");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(
        accounts_of(&board, ProviderId::Cursor).len(),
        2,
        "the refused add stored nothing"
    );
    // The same label under another provider is fine.
    board
        .add_key_account(key_account(
            ProviderId::Opencode,
            Some(&first.label),
            &canary("sk-or-v1-"),
        ))
        .expect("other provider");
}

#[test]
fn bedrock_accounts_take_access_keys_or_an_api_key_with_a_region() {
    let env = TestEnv::new();
    let board = env.board();
    let secret = canary("wJalrXUtnFEMI");
    let keys = board
        .add_key_account(NewKeyAccount {
            credential: KeyCredential::BedrockAccessKeys {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                secret_access_key: secret.clone().into(),
                region: "eu-central-1".into(),
            },
            ..key_account(ProviderId::Claude, Some("Bedrock EU"), "unused")
        })
        .expect("access keys")
        .account;
    assert_eq!(keys.kind, AccountKind::Bedrock);
    assert_eq!(keys.region.as_deref(), Some("eu-central-1"));
    assert_eq!(keys.secret_hint, "AKIA\u{2026}MPLE");
    let stored = secret_tool_lookup(&env.config.keyring_service, &keys.id).expect("entry");
    assert!(stored.contains(&secret) && stored.contains("AKIAIOSFODNN7EXAMPLE"));

    let api_key = board
        .add_key_account(NewKeyAccount {
            credential: KeyCredential::BedrockApiKey {
                api_key: canary("ABSK").into(),
                region: "us-west-2".into(),
            },
            ..key_account(ProviderId::Claude, Some("Bedrock key"), "unused")
        })
        .expect("bedrock api key")
        .account;
    assert!(api_key.secret_hint.starts_with("ABSK"));

    let bad_region = board
        .add_key_account(NewKeyAccount {
            credential: KeyCredential::BedrockApiKey {
                api_key: canary("ABSK").into(),
                region: "Frankfurt".into(),
            },
            ..key_account(ProviderId::Claude, Some("Bad"), "unused")
        })
        .expect_err("region format");
    assert_eq!(bad_region.code(), ErrorCode::InvalidInput);

    let codex_bedrock = board
        .add_key_account(NewKeyAccount {
            credential: KeyCredential::BedrockApiKey {
                api_key: canary("ABSK").into(),
                region: "us-east-1".into(),
            },
            ..key_account(ProviderId::Codex, None, "unused")
        })
        .expect_err("only Claude takes Bedrock");
    assert_eq!(codex_bedrock.code(), ErrorCode::InvalidInput);

    // Rotating a Bedrock account takes Bedrock credentials, never a plain key.
    let err = board
        .replace_secret(
            &keys.id,
            KeyCredential::ApiKey {
                key: canary("sk-ant-api03-").into(),
            },
        )
        .expect_err("kind must match");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn codex_endpoint_presets_and_settings_are_stored_normalised() {
    let env = TestEnv::new();
    let board = env.board();
    let azure = board
        .add_key_account(NewKeyAccount {
            endpoint: Some(EndpointInput {
                preset: EndpointPreset::AzureOpenai,
                base_url: Some("https://team.openai.azure.com/openai/deployments/x".into()),
                api_version: None,
            }),
            ..key_account(
                ProviderId::Codex,
                Some("Azure"),
                &canary("0123456789abcdef"),
            )
        })
        .expect("azure")
        .account;
    assert_eq!(
        azure.endpoint.base_url.as_deref(),
        Some("https://team.openai.azure.com/openai")
    );
    assert_eq!(
        azure.endpoint.api_version.as_deref(),
        Some("2025-04-01-preview")
    );

    let local = board
        .update_settings(
            &azure.id,
            AccountSettings {
                endpoint: Some(EndpointInput {
                    preset: EndpointPreset::LocalResponses,
                    base_url: None,
                    api_version: None,
                }),
                model: Some("qwen3-coder".into()),
                effort: None,
            },
        )
        .expect("switch to LM Studio");
    assert_eq!(
        local.endpoint.base_url.as_deref(),
        Some("http://localhost:1234/v1")
    );
    assert_eq!(local.model.as_deref(), Some("qwen3-coder"));

    let leaky = board
        .update_settings(
            &azure.id,
            AccountSettings {
                endpoint: Some(EndpointInput {
                    preset: EndpointPreset::Custom,
                    base_url: Some("http://proxy.example.com/v1".into()),
                    api_version: None,
                }),
                ..AccountSettings::default()
            },
        )
        .expect_err("plain http to a remote host");
    assert_eq!(leaky.code(), ErrorCode::InvalidInput);
    assert_eq!(
        board.account(&azure.id).expect("reload"),
        local,
        "a refused change changes nothing"
    );
}

#[test]
fn grok_efforts_follow_the_model() {
    let env = TestEnv::new();
    let board = env.board();
    let account = board
        .add_key_account(NewKeyAccount {
            model: Some("grok-4.20-multi-agent-0309".into()),
            effort: Some(Effort::Xhigh),
            ..key_account(ProviderId::Grok, None, &canary("xai-"))
        })
        .expect("xhigh on the multi-agent model")
        .account;
    let err = board
        .update_settings(
            &account.id,
            AccountSettings {
                endpoint: None,
                model: Some("grok-4.3".into()),
                effort: Some(Effort::Xhigh),
            },
        )
        .expect_err("grok-4.3 stops at high");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[test]
fn the_database_is_a_wal_sqlite_file_with_foreign_keys() {
    let env = TestEnv::new();
    let board = env.board();
    board
        .add_key_account(key_account(ProviderId::Bob, None, &canary("bob_prod_")))
        .expect("add");
    let conn = rusqlite::Connection::open(env.config.database_path()).expect("open file");
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert!(version >= 1);
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 1);
}
