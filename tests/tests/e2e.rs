//! End to end in the real window: the app under Xvfb, driven over WebDriver (tauri-driver +
//! WebKitWebDriver), with its real database and keychain. Screenshots go to artifacts/e2e/.

use switchboard_core::account::{EndpointInput, EndpointPreset, KeyCredential, NewKeyAccount};
use switchboard_core::catalog::{Effort, ProviderId};
use switchboard_core::validate::mask;
use switchboard_core::ErrorCode;
use switchboard_tests::webdriver::{attr_is, text_is, AppSession};
use switchboard_tests::{canary, secret_tool_lookup, FrozenKeychain, TestEnv};
use thirtyfour::prelude::*;
use tokio::sync::Mutex;

/// One window at a time: two WebKit instances would only slow each other down.
static WINDOW: Mutex<()> = Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_a_key_in_the_window_make_it_active_and_clear_it() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let app = AppSession::start(&env).await;
    let key = canary("sk-ant-api03-");

    app.element("[data-testid=provider-claude] [data-testid=empty]")
        .await;
    app.screenshot("01-empty.png").await;

    app.click("[data-testid=add-claude]").await;
    // A dialog starts on its first field, never on its ✕ (code review 2026-12-07 §3.8).
    app.element("[data-testid=add-dialog]").await;
    let focused = app
        .script_string(
            "const e = document.activeElement; \
             return (e.closest('[data-testid=add-dialog]') ? 'inside ' : 'outside ') \
               + (e.getAttribute('aria-label') || e.tagName);",
        )
        .await;
    assert_eq!(focused, "inside SELECT", "the dialog's first focus");
    // Claude offers sign-in first; a key is the other way.
    app.click("[data-testid=add-dialog] [data-testid=way-key]")
        .await;
    // The key's hint describes the field; it is not part of the field's name.
    let key_field = app
        .script_string(
            "const input = document.querySelector('[data-testid=add-dialog] [data-testid=key]'); \
             const hint = document.getElementById(input.getAttribute('aria-describedby')); \
             return (input.closest('label').textContent.includes('keychain') ? 'named by the hint' : 'named') \
               + ' / ' + (hint ? hint.textContent : 'no description');",
        )
        .await;
    assert_eq!(
        key_field,
        "named / Stored only in the OS keychain; Switchboard shows a masked hint from now on."
    );
    app.type_into(
        "[data-testid=add-dialog] [data-testid=label-input]",
        "Work key",
    )
    .await;
    app.type_into("[data-testid=add-dialog] [data-testid=key]", key.as_str())
        .await;
    app.screenshot("02-add-dialog.png").await;
    app.click("[data-testid=add-dialog] [data-testid=save]")
        .await;

    let row = "[data-testid=provider-claude] [data-testid=account][data-label='Work key']";
    app.element(row).await;
    let hint = app
        .element(&format!("{row} [data-testid=secret-hint]"))
        .await
        .text()
        .await
        .expect("hint");
    assert_eq!(
        hint,
        mask(&key, &["sk-ant-api03-"]),
        "the row shows the masked hint"
    );
    assert!(hint.starts_with("sk-ant-\u{2026}"), "{hint}");
    let summary = "[data-testid=provider-claude] [data-testid=active-summary]";
    app.eventually(summary, |e| text_is(e, "Not configured"))
        .await;
    let pool = app.element(&format!("{row} [data-testid=pool]")).await;
    assert_eq!(
        pool.prop("disabled").await.expect("prop").as_deref(),
        Some("true"),
        "keys cannot join a pool"
    );

    // Make it active: the checkmark turns on and the provider says which account is active.
    let check = format!("{row} [data-testid=activate]");
    app.click(&check).await;
    app.eventually(&check, |e| attr_is(e, "aria-pressed", "true"))
        .await;
    app.eventually(summary, |e| text_is(e, "Active: Work key"))
        .await;
    app.eventually("[data-testid=notice]", |e| {
        text_is(e, "Claude Code now uses Work key (1 CLI file updated)")
    })
    .await;
    let settings = std::fs::read_to_string(env.home().join(".claude/settings.json"))
        .expect("settings.json written");
    assert!(
        settings.contains("apiKeyHelper") && !settings.contains(&key),
        "the helper, never the key"
    );
    // The helper is the small command line beside the app, never the app itself.
    let helper = serde_json::from_str::<serde_json::Value>(&settings).expect("json")
        ["apiKeyHelper"]
        .as_str()
        .expect("apiKeyHelper")
        .to_owned();
    let cli = switchboard_tests::switchboard_bin()
        .canonicalize()
        .expect("cli path");
    assert_eq!(helper, format!("{} credential claude", cli.display()));
    app.screenshot("03-active.png").await;

    let board = env.board();
    let active = board
        .active_account(ProviderId::Claude)
        .expect("the backend agrees");
    assert_eq!(active.label, "Work key");
    let stored =
        secret_tool_lookup(&env.config.keyring_service, &active.id).expect("keychain entry");
    assert!(stored.contains(&key), "the key went to the keychain");
    let source = app.driver.source().await.expect("page source");
    assert!(
        !source.contains(&key),
        "the page never holds the key after saving"
    );

    // Clear it again with the same checkmark.
    app.click(&check).await;
    app.eventually(&check, |e| attr_is(e, "aria-pressed", "false"))
        .await;
    app.eventually(summary, |e| text_is(e, "Not configured"))
        .await;
    app.screenshot("04-cleared.png").await;
    let err = board
        .active_account(ProviderId::Claude)
        .expect_err("cleared");
    assert_eq!(err.code(), ErrorCode::ProviderNotConfigured);
    assert!(
        !env.home().join(".claude/settings.json").exists(),
        "the file Switchboard created is gone"
    );

    // Restore: a second, explicit click puts every original back.
    app.click("[data-testid=restore]").await;
    app.click("[data-testid=confirm-restore]").await;
    app.eventually("[data-testid=notice]", |e| {
        text_is(e, "Put back the original CLI files of Claude Code")
    })
    .await;

    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_show_in_the_dialog_and_nothing_is_added() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let app = AppSession::start(&env).await;

    app.click("[data-testid=add-codex]").await;
    app.click("[data-testid=add-dialog] [data-testid=way-key]")
        .await;
    app.type_into(
        "[data-testid=add-dialog] [data-testid=key]",
        "sk-has a space",
    )
    .await;
    app.click("[data-testid=add-dialog] [data-testid=save]")
        .await;
    let error = app
        .element("[data-testid=add-dialog] [data-testid=dialog-error]")
        .await;
    let message = error.text().await.expect("text");
    assert!(message.contains("spaces or line breaks"), "{message}");
    assert!(
        !message.contains("sk-has"),
        "the error does not repeat the key"
    );
    app.screenshot("05-dialog-error.png").await;
    assert!(env.accounts().is_empty(), "the refused key added nothing");
    app.quit().await;
}

/// Accounts of several providers and kinds: a Claude subscription login imported from the
/// CLI's files (in the round-robin pool), Claude and Bedrock keys, Codex on LM Studio, more.
fn seed(env: &TestEnv, board: &switchboard_core::Switchboard) {
    let claude = env.home().join(".claude");
    std::fs::create_dir_all(&claude).expect("mkdir");
    let login = serde_json::json!({"claudeAiOauth": {"accessToken": canary("sk-ant-oat01-"), "refreshToken": canary("sk-ant-ort01-"),
        "expiresAt": 4102444800000u64, "subscriptionType": "max"}});
    std::fs::write(claude.join(".credentials.json"), login.to_string()).expect("login");
    let identity = serde_json::json!({"oauthAccount": {"emailAddress": "ada@example.com"}});
    std::fs::write(env.home().join(".claude.json"), identity.to_string()).expect("identity");
    board.import_logins().expect("import");
    let ada = board.active_account(ProviderId::Claude).expect("imported");
    board.set_in_pool(&ada.id, true).expect("pool");

    let add = |provider, label: &str, credential, endpoint, model: Option<&str>, effort| {
        board
            .add_key_account(NewKeyAccount {
                provider,
                label: Some(label.into()),
                description: None,
                credential,
                endpoint,
                model: model.map(Into::into),
                effort,
            })
            .expect("seed")
            .account
    };
    let api = |prefix: &str| KeyCredential::ApiKey {
        key: canary(prefix).into(),
    };
    let work = add(
        ProviderId::Claude,
        "Work (API)",
        api("sk-ant-api03-"),
        None,
        Some("opus"),
        Some(Effort::High),
    );
    add(
        ProviderId::Claude,
        "Team Bedrock",
        KeyCredential::BedrockAccessKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: canary("wJalr").into(),
            region: "us-east-1".into(),
        },
        None,
        None,
        None,
    );
    let lm = add(
        ProviderId::Codex,
        "LM Studio",
        api("sk-"),
        Some(EndpointInput {
            preset: EndpointPreset::LocalResponses,
            base_url: None,
            api_version: None,
        }),
        None,
        None,
    );
    add(
        ProviderId::Gemini,
        "Side project",
        api("AIza"),
        None,
        Some("gemini-2.5-pro"),
        None,
    );
    add(
        ProviderId::Grok,
        "xAI",
        api("xai-"),
        None,
        Some("grok-4.3"),
        Some(Effort::Low),
    );
    add(
        ProviderId::Opencode,
        "OpenRouter",
        api("sk-or-v1-"),
        None,
        None,
        None,
    );
    board
        .set_description(&work.id, "Rotate before 2027-01")
        .expect("describe");
    board.toggle_active(&lm.id).expect("active");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_lists_every_provider_with_its_accounts() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    seed(&env, &env.board());
    let app = AppSession::start(&env).await;

    for provider in ProviderId::ALL {
        app.element(&format!("[data-testid=provider-{}]", provider.as_str()))
            .await;
    }
    // The app handed the page its list: the first frame had it, with no "Loading" frame.
    let first_view = app
        .element("main")
        .await
        .attr("data-first-view")
        .await
        .expect("attribute");
    assert_eq!(first_view.as_deref(), Some("handed"));
    app.eventually(
        "[data-testid=provider-opencode] [data-testid=account]",
        |_| async { true },
    )
    .await;
    let rows = app
        .driver
        .find_all(By::Css("[data-testid=account]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 7);
    let active = app
        .driver
        .find_all(By::Css("[data-testid=activate][aria-pressed=true]"))
        .await
        .expect("checks");
    assert_eq!(
        active.len(),
        2,
        "Claude and Codex each have one active account"
    );
    let cursor = app
        .element("[data-testid=provider-cursor] [data-testid=empty]")
        .await
        .text()
        .await
        .expect("empty");
    assert!(cursor.contains("No Cursor agent accounts yet"), "{cursor}");
    // Tests point every provider elsewhere through SWITCHBOARD_ENDPOINTS, and the window
    // says so (review L8): a planted override is never silent.
    let overridden = app
        .element("[data-testid=endpoints-overridden]")
        .await
        .text()
        .await
        .expect("banner");
    assert!(
        overridden.contains("SWITCHBOARD_ENDPOINTS") && overridden.contains("Claude Code"),
        "{overridden}"
    );
    app.screenshot("window-with-accounts.png").await;
    let light = background_of_body(&app).await;
    app.quit().await;

    // The theme follows the desktop's: a dark GTK theme gives the dark palette.
    let app = AppSession::start_with(&env, &[("GTK_THEME", "Adwaita:dark")]).await;
    app.element("[data-testid=provider-opencode] [data-testid=account]")
        .await;
    let dark = background_of_body(&app).await;
    app.screenshot("window-with-accounts-dark.png").await;
    app.quit().await;
    assert_eq!(light, "rgb(245, 246, 250)", "light palette");
    assert_eq!(
        dark, "rgb(17, 19, 29)",
        "dark palette under a dark desktop theme"
    );
}

async fn background_of_body(app: &AppSession) -> String {
    app.script_string("return getComputedStyle(document.documentElement).backgroundColor")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_relabels_rotates_and_removes_an_account() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let first = canary("xai-");
    let id = env
        .board()
        .add_key_account(NewKeyAccount {
            provider: ProviderId::Grok,
            label: Some("Old name".into()),
            description: None,
            credential: KeyCredential::ApiKey {
                key: first.clone().into(),
            },
            endpoint: None,
            model: None,
            effort: None,
        })
        .expect("seed")
        .account
        .id;
    let app = AppSession::start(&env).await;
    let row = format!("[data-testid=account][data-account-id='{id}']");

    // Rotate the key: the hint changes, the keychain holds the new key, the page never the old.
    app.click(&format!("{row} [data-testid=edit]")).await;
    let second = canary("xai-");
    app.type_into(
        "[data-testid=edit-dialog] [data-testid=key]",
        second.as_str(),
    )
    .await;
    app.click("[data-testid=edit-dialog] [data-testid=replace-secret]")
        .await;
    // Wait for the replacement itself: the hint alone cannot tell (canaries share their
    // last characters, so the old and new hints look alike).
    app.eventually("[data-testid=notice]", |e| {
        text_is(e, "Replaced the key of Old name")
    })
    .await;
    let new_hint = mask(&second, &["xai-"]);
    app.eventually(&format!("{row} [data-testid=secret-hint]"), |e| {
        text_is(e, &new_hint)
    })
    .await;
    let stored = secret_tool_lookup(&env.config.keyring_service, &id).expect("entry");
    assert!(stored.contains(&second) && !stored.contains(&first));

    // Relabel and describe.
    let label = app
        .element("[data-testid=edit-dialog] [data-testid=edit-label]")
        .await;
    label.clear().await.expect("clear");
    label.send_keys("Personal xAI").await.expect("label");
    app.type_into(
        "[data-testid=edit-dialog] [data-testid=edit-description]",
        "rotate in spring",
    )
    .await;
    app.screenshot("06-edit-dialog.png").await;
    app.click("[data-testid=edit-dialog] [data-testid=save-edit]")
        .await;
    app.eventually(&format!("{row} [data-testid=label]"), |e| {
        text_is(e, "Personal xAI")
    })
    .await;
    let account = env.board().account(&id).expect("reload");
    assert_eq!(
        (account.label.as_str(), account.description.as_str()),
        ("Personal xAI", "rotate in spring")
    );

    // Remove takes a second, explicit click.
    app.click(&format!("{row} [data-testid=edit]")).await;
    app.click("[data-testid=edit-dialog] [data-testid=remove]")
        .await;
    app.click("[data-testid=edit-dialog] [data-testid=confirm-remove]")
        .await;
    app.element("[data-testid=provider-grok] [data-testid=empty]")
        .await;
    assert!(
        secret_tool_lookup(&env.config.keyring_service, &id).is_none(),
        "keychain entry removed"
    );
    let source = app.driver.source().await.expect("source");
    assert!(
        !source.contains(&first) && !source.contains(&second),
        "no key in the page"
    );
    app.quit().await;
}

/// While the keychain does not answer (its daemon stopped), a switch waits, the window goes
/// on answering other clicks, and the command line is not blocked; once the keychain
/// answers, the switch completes. The keyring client gives up on a call after 2 s (a fixed
/// timeout of dbus-secret-service), so the daemon is stopped only for the few quick steps
/// in between.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_keychain_freezes_neither_the_window_nor_the_command_line() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let board = env.board();
    switchboard_tests::add_key(&board, ProviderId::Codex, "Work", &canary("sk-"));
    let app = AppSession::start(&env).await;
    let check = "[data-testid=account][data-label='Work'] [data-testid=activate]";
    app.eventually(check, |e| attr_is(e, "aria-pressed", "false"))
        .await;
    let mut list = env.switchboard();
    list.args(["list"]);

    let frozen = FrozenKeychain::freeze();
    let stopped = std::time::Instant::now();
    // The switch needs the key from the keychain: it waits.
    app.click(check).await;
    // Meanwhile the window answers another click, which reads the database.
    app.click("[data-testid=settings]").await;
    app.element("[data-testid=settings-dialog] [data-testid=links-without-asking]")
        .await;
    // And the command line is not blocked by the waiting switch.
    let listed = list.output().expect("switchboard list");
    let waiting = !env.home().join(".codex/auth.json").exists();
    drop(frozen);
    println!(
        "the window and the command line answered within {:?} of stopping the keychain",
        stopped.elapsed()
    );
    assert!(
        listed.status.success() && String::from_utf8_lossy(&listed.stdout).contains("Work"),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(waiting, "the switch waited for the keychain");
    app.screenshot("12-window-answers-during-a-slow-keychain.png")
        .await;
    app.click("[data-testid=settings-dialog] button[type=button]")
        .await;
    app.gone("[data-testid=settings-dialog]").await;
    app.eventually(check, |e| attr_is(e, "aria-pressed", "true"))
        .await;
    assert!(env.home().join(".codex/auth.json").exists());
    app.quit().await;
}
