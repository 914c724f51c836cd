//! Sign-in end to end in the real window: the test plays the browser through
//! `SWITCHBOARD_OPEN_WITH` (the fake browser) against the fake provider. Screenshots of each
//! dialog state go to artifacts/e2e/.

use std::time::Duration;

use switchboard_core::catalog::ProviderId;
use switchboard_tests::fake_provider::{paste_text_for, Failure, FakeProvider, Identity, Route};
use switchboard_tests::notifications::NotificationService;
use switchboard_tests::webdriver::{text_content, AppSession};
use switchboard_tests::TestEnv;
use tokio::sync::Mutex;

static WINDOW: Mutex<()> = Mutex::const_new(());

/// Waits until the account row with this email is there, and returns its selector.
async fn account_row(app: &AppSession, provider: ProviderId, email: &str) -> String {
    let row = format!(
        "[data-testid=provider-{}] [data-testid=account][data-label='{email}']",
        provider.as_str()
    );
    app.element(&row).await;
    row
}

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_signs_in_with_the_browser_and_becomes_active() {
    let _window = WINDOW.lock().await;
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("ada@example.com", "max"));
    let browser_log = env.root().join("browser.log");
    let app = AppSession::start_with(
        &env,
        &[("FAKE_BROWSER_LOG", browser_log.to_str().expect("path"))],
    )
    .await;

    app.click("[data-testid=add-claude]").await;
    app.element("[data-testid=add-dialog] [data-testid=sign-in-start]")
        .await;
    app.screenshot("sign-in-01-claude-start.png").await;

    // A first attempt whose answer carries a forged state (what a page sending the browser
    // to the listener would do): the listener answers it 400, the sign-in goes on waiting,
    // nothing is added; cancelling it returns to the start.
    fake.fail_next(Route::Authorize, Failure::WrongState);
    app.click("[data-testid=start-sign-in]").await;
    app.element("[data-testid=sign-in-waiting]").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&browser_log)
        .unwrap_or_default()
        .contains("-> HTTP 400")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the forged answer was not refused: {:?}",
            std::fs::read_to_string(&browser_log)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.element("[data-testid=sign-in-waiting]").await;
    app.gone("[data-testid=sign-in-error]").await;
    app.screenshot("sign-in-02-claude-forged-answer-refused.png")
        .await;
    assert!(env.accounts().is_empty());
    app.click("[data-testid=cancel-sign-in]").await;
    app.element("[data-testid=add-dialog] [data-testid=sign-in-start]")
        .await;

    // Again, with the provider slow to answer: the dialog shows it is waiting.
    fake.fail_next(Route::Authorize, Failure::Slow(Duration::from_secs(3)));
    app.click("[data-testid=start-sign-in]").await;
    let waiting = app.element("[data-testid=sign-in-waiting]").await;
    assert_eq!(
        waiting.attr("data-method").await.unwrap().as_deref(),
        Some("browser")
    );
    let progress = text_content(&app.element("[data-testid=sign-in-progress]").await).await;
    assert!(progress.contains("Waiting for the browser"), "{progress}");
    app.screenshot("sign-in-03-claude-waiting.png").await;

    // The browser comes back: the account is there with its email and the checkmark on.
    let row = account_row(&app, ProviderId::Claude, "ada@example.com").await;
    app.eventually(&format!("{row} [data-testid=activate]"), |e| async move {
        e.attr("aria-pressed").await.ok().flatten().as_deref() == Some("true")
    })
    .await;
    let notice = text_content(&app.element("[data-testid=notice]").await).await;
    assert!(
        notice.contains("Signed in to Claude Code as ada@example.com"),
        "{notice}"
    );
    app.screenshot("sign-in-04-claude-signed-in.png").await;
    let creds = std::fs::read_to_string(env.home().join(".claude/.credentials.json")).unwrap();
    assert!(
        creds.contains("sk-ant-ort01-"),
        "the CLI file holds the login"
    );

    // Test asks the provider (the fake's profile endpoint) whether the sign-in works.
    app.click(&format!("{row} [data-testid=edit]")).await;
    app.click("[data-testid=edit-dialog] [data-testid=check]")
        .await;
    let result = app
        .eventually("[data-testid=check-result]", |e| async move {
            text_content(&e).await.starts_with("Works")
        })
        .await;
    let said = text_content(&result).await;
    assert!(said.contains("127.0.0.1 accepted it (HTTP 200)"), "{said}");
    app.screenshot("sign-in-09-claude-test.png").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codex_signs_in_by_pasting_the_redirected_address() {
    let _window = WINDOW.lock().await;
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("cy@example.com", "plus"));
    // The browser records the page but never reaches this computer (an SSH session, say).
    let app = AppSession::start_with(&env, &[("FAKE_BROWSER_ONLY_RECORD", "1")]).await;

    app.click("[data-testid=add-codex]").await;
    app.click("[data-testid=method-paste]").await;
    app.type_into("[data-testid=label-input]", "ChatGPT Plus")
        .await;
    app.click("[data-testid=start-sign-in]").await;
    let url = app
        .element("[data-testid=paste-url]")
        .await
        .prop("value")
        .await
        .expect("url")
        .expect("a sign-in page");
    let input = app.element("[data-testid=paste-input]").await;
    input.send_keys("this is not it").await.expect("paste");
    app.click("[data-testid=complete-sign-in]").await;
    let refused = text_content(&app.element("[data-testid=paste-error]").await).await;
    assert!(refused.contains("not a sign-in code"), "{refused}");
    app.screenshot("sign-in-05-codex-paste-refused.png").await;

    // What the user copies from the address bar after approving.
    let redirected = tokio::task::spawn_blocking(move || paste_text_for(&url))
        .await
        .unwrap();
    assert!(redirected.starts_with("http://localhost:"), "{redirected}");
    input.clear().await.expect("clear");
    input.send_keys(redirected.as_str()).await.expect("paste");
    app.screenshot("sign-in-06-codex-pasted.png").await;
    app.click("[data-testid=complete-sign-in]").await;

    let row = account_row(&app, ProviderId::Codex, "ChatGPT Plus").await;
    let details = text_content(&app.element(&format!("{row} [data-testid=details]")).await).await;
    assert!(details.contains("cy@example.com"), "{details}");
    let auth = std::fs::read_to_string(env.home().join(".codex/auth.json")).unwrap();
    assert!(
        auth.contains("\"auth_mode\": \"chatgpt\"") || auth.contains("\"auth_mode\":\"chatgpt\""),
        "{auth}"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grok_signs_in_with_a_device_code() {
    let _window = WINDOW.lock().await;
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("hal@example.com", ""));
    let app = AppSession::start_with(&env, &[("FAKE_BROWSER_ONLY_RECORD", "1")]).await;

    app.click("[data-testid=add-grok]").await;
    // Grok offers the device code first.
    app.element("[data-testid=method-device][aria-pressed=true]")
        .await;
    app.click("[data-testid=start-sign-in]").await;
    let code = text_content(&app.element("[data-testid=user-code]").await).await;
    assert_eq!(code.len(), 9, "{code}");
    let progress = text_content(&app.element("[data-testid=sign-in-progress]").await).await;
    assert!(
        progress.contains("expires in 9:") || progress.contains("expires in 10:"),
        "{progress}"
    );
    app.screenshot("sign-in-07-grok-device-code.png").await;

    // The user approves on another device, then says so.
    assert!(fake.approve_device(&code));
    app.click("[data-testid=poll-now]").await;
    let row = account_row(&app, ProviderId::Grok, "hal@example.com").await;
    app.eventually(&format!("{row} [data-testid=activate]"), |e| async move {
        e.attr("aria-pressed").await.ok().flatten().as_deref() == Some("true")
    })
    .await;
    app.screenshot("sign-in-08-grok-signed-in.png").await;
    let sessions = std::fs::read_to_string(env.home().join(".grok/auth.json")).unwrap();
    assert!(sessions.contains("hal@example.com"), "{sessions}");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_by_a_connect_link_the_window_opens_at_that_sign_in() {
    let _window = WINDOW.lock().await;
    let (env, _fake) = world();
    let app = AppSession::start_with_args(&env, &["switchboard://connect/codex"]).await;
    app.element("[data-testid=add-dialog] [data-testid=sign-in-start]")
        .await;
    let provider = app
        .element("[data-testid=add-dialog] [data-testid=provider]")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(provider.as_deref(), Some("codex"));
    // Codex offers the browser, paste-back and the device code.
    for method in ["browser", "paste", "device"] {
        app.element(&format!("[data-testid=method-{method}]")).await;
    }
    app.screenshot("sign-in-10-started-by-link.png").await;
    app.quit().await;
}

/// The app's own refresh timer finds a due sign-in at start; the fake refuses the refresh.
/// The row says "Needs sign-in" with the reason, the desktop shows one notification (on a
/// stand-in notification service on the test's bus), and Reconnect signs in again, fixing
/// the same account in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_refresh_shows_needs_sign_in_and_reconnect_fixes_the_account() {
    let _window = WINDOW.lock().await;
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("lapsed@example.com", "max"));
    // Due at once: a token that lives less than the refresh margin.
    fake.set_lifetime("claude", 60);
    let out = env
        .switchboard()
        .args(["login", "claude"])
        .output()
        .expect("login");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = env.accounts()[0].id.clone();
    fake.set_lifetime("claude", 3600);
    // The refusal carries markup: a phishing link and a tracking image.
    fake.fail_next(Route::Token, Failure::MarkupText);

    let notifications = NotificationService::start();
    let app = AppSession::start(&env).await;
    let row = account_row(&app, ProviderId::Claude, "lapsed@example.com").await;
    let status = app
        .eventually(&format!("{row} [data-testid=status]"), |e| async move {
            text_content(&e).await.contains("Needs sign-in")
        })
        .await;
    let reason = status.attr("title").await.unwrap().unwrap_or_default();
    assert!(reason.contains("invalid_grant"), "{reason}");
    app.element(&format!("{row} [data-testid=reconnect]")).await;
    app.screenshot("refresh-01-needs-sign-in.png").await;
    assert!(
        fake.refreshes("claude").is_empty(),
        "the refresh was refused"
    );
    let shown = notifications
        .wait_for("sign in again", Duration::from_secs(20))
        .await
        .unwrap_or_else(|| panic!("no notification; shown: {:?}", notifications.shown()));
    assert_eq!(shown.summary, "Claude Code: sign in again");
    assert!(
        shown.body.contains("lapsed@example.com") && shown.body.contains("invalid_grant"),
        "the notification names the account and the reason: {shown:?}"
    );
    // Nothing of the provider's markup is a tag the notification server could render, and
    // its addresses are gone, in the notification and in the window alike.
    assert!(
        shown.body.contains("&lt;a") && !shown.body.contains('<'),
        "markup escaped: {shown:?}"
    );
    for said in [&shown.body, &shown.summary, &reason] {
        assert!(!said.contains("evil.example"), "a provider's link: {said}");
    }
    let tokens = fake.issued_to("lapsed@example.com");
    assert!(!tokens.is_empty(), "the fake issued the sign-in's tokens");
    for token in &tokens {
        assert!(
            !shown.body.contains(token.as_str()) && !shown.summary.contains(token.as_str()),
            "a token in a notification"
        );
    }

    app.click(&format!("{row} [data-testid=reconnect]")).await;
    app.element("[data-testid=add-dialog] [data-testid=sign-in-start]")
        .await;
    app.click("[data-testid=start-sign-in]").await;
    app.eventually(&format!("{row} [data-testid=status]"), |e| async move {
        text_content(&e).await.contains("Ready")
    })
    .await;
    app.gone(&format!("{row} [data-testid=reconnect]")).await;
    app.screenshot("refresh-02-reconnected.png").await;
    assert_eq!(
        notifications.shown().len(),
        1,
        "one notification for the refused refresh, none for the reconnect: {:?}",
        notifications.shown()
    );
    let accounts = env.accounts();
    assert_eq!(accounts.len(), 1, "the same account, not a new one");
    assert_eq!(accounts[0].id, id);
    app.quit().await;
}
