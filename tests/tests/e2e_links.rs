//! Links in the real window: `switchboard://` registered with the desktop, links and second
//! launches handed to the running app, and a link that would switch asking first. The app runs
//! under Xvfb, driven over WebDriver, with its real database and keychain.

use switchboard_core::catalog::ProviderId;
use switchboard_tests::webdriver::{attr_is, text_content, text_is, AppSession};
use switchboard_tests::{canary, TestEnv};
use tokio::sync::Mutex;

/// One window at a time: two WebKit instances would only slow each other down.
static WINDOW: Mutex<()> = Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_would_switch_asks_in_the_window_and_switches_only_on_a_click() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let board = env.board();
    for label in ["Work", "Side"] {
        switchboard_tests::add_key(&board, ProviderId::Codex, label, &canary("sk-"));
    }
    let app = AppSession::start(&env).await;
    let check = "[data-testid=account][data-label='Side'] [data-testid=activate]";
    app.eventually(check, |e| attr_is(e, "aria-pressed", "false"))
        .await;
    let auth = env.home().join(".codex/auth.json");
    let open_link = |link: &str| {
        // What the desktop runs when a page opens a link: the command line, which hands it
        // to the running window.
        let mut command = env.switchboard();
        command.arg(link).stdout(std::process::Stdio::null());
        assert!(command.status().expect("run").success(), "{link}");
    };

    // A link the user ignores changes nothing.
    open_link("switchboard://use/codex/Side");
    let question = text_content(&app.element("[data-testid=link-question]").await).await;
    assert_eq!(
        question,
        "A link asks to switch Codex to \u{201c}Side\u{201d}."
    );
    app.screenshot("07-link-asks.png").await;
    assert!(!auth.exists(), "nothing switched before the click");
    app.click("[data-testid=link-ignore]").await;
    // The answer is in once the question is gone.
    app.gone("[data-testid=link-confirm]").await;
    let summary = "[data-testid=provider-codex] [data-testid=active-summary]";
    let said = text_content(&app.element(summary).await).await;
    assert!(said.starts_with("Not configured"), "{said}");
    assert!(!auth.exists(), "an ignored link changed nothing");

    // The same link, accepted: the window and the CLI file follow.
    open_link("switchboard://use/codex/Side");
    app.element("[data-testid=link-question]").await;
    // Switch can be clicked once the question has been shown for a moment.
    app.eventually("[data-testid=link-accept]", |e| async move {
        e.is_enabled().await.unwrap_or(false)
    })
    .await;
    app.click("[data-testid=link-accept]").await;
    app.eventually(check, |e| attr_is(e, "aria-pressed", "true"))
        .await;
    app.eventually(
        "[data-testid=provider-codex] [data-testid=active-summary]",
        |e| text_is(e, "Active: Side"),
    )
    .await;
    let notice = text_content(&app.element("[data-testid=notice]").await).await;
    assert!(notice.contains("Codex now uses Side"), "{notice}");
    app.screenshot("07-switched-by-link.png").await;
    let written = std::fs::read_to_string(&auth).expect("auth.json");
    assert!(
        written.contains("\"apikey\""),
        "the CLI file follows the link: {written}"
    );
    let log = std::fs::read_to_string(env.config.log_path()).expect("the app's log");
    assert!(
        log.contains("tray icon ready"),
        "the app started with its tray under Xvfb:\n{log}"
    );
    app.quit().await;
}

/// Waits up to 15 s for `check` to hold (a file a running app writes, say).
async fn within_seconds(what: &str, check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheme_is_registered_and_links_and_second_launches_reach_the_running_app() {
    let _window = WINDOW.lock().await;
    let env = TestEnv::new();
    let data_home = env.home().join(".local/share");
    let app = AppSession::start(&env).await;
    app.element("[data-testid=provider-claude]").await;

    // The app registered switchboard:// with the desktop (under the test's own home).
    let handler = data_home.join("applications/switchboard-handler.desktop");
    within_seconds("the .desktop handler", || handler.exists()).await;
    let entry = std::fs::read_to_string(&handler).expect("handler");
    assert!(entry.contains("x-scheme-handler/switchboard"), "{entry}");
    let query = env
        .command("xdg-mime")
        .args(["query", "default", "x-scheme-handler/switchboard"])
        .env("XDG_DATA_HOME", &data_home)
        .output()
        .expect("xdg-mime");
    assert_eq!(
        String::from_utf8_lossy(&query.stdout).trim(),
        "switchboard-handler.desktop"
    );

    // A second launch with a connect link hands it over and exits; the running window opens
    // the sign-in dialog for that provider.
    let started = std::time::Instant::now();
    let status = env
        .switchboard()
        .arg("switchboard://connect/gemini")
        .env("XDG_DATA_HOME", &data_home)
        .status()
        .expect("second launch");
    assert!(status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    app.element("[data-testid=add-dialog] [data-testid=sign-in-start]")
        .await;
    app.eventually(
        "[data-testid=add-dialog] [data-testid=provider]",
        |e| async move { e.prop("value").await.ok().flatten().as_deref() == Some("gemini") },
    )
    .await;
    app.screenshot("08-connect-link.png").await;

    // The same through the desktop: `gio open` (what xdg-open runs on GNOME) finds the
    // registered handler. (xdg-utils' own generic mode cannot run a quoted Exec line.)
    let status = env
        .command("gio")
        .args(["open", "switchboard://connect/grok"])
        .env("XDG_DATA_HOME", &data_home)
        .status()
        .expect("gio");
    assert!(status.success());
    app.eventually(
        "[data-testid=add-dialog] [data-testid=provider]",
        |e| async move { e.prop("value").await.ok().flatten().as_deref() == Some("grok") },
    )
    .await;

    // A second plain launch opens no second app: it hands over and exits.
    let status = env
        .app()
        .env("XDG_DATA_HOME", &data_home)
        .status()
        .expect("plain second launch");
    assert!(status.success());
    assert!(
        env.accounts().is_empty(),
        "links that open things change nothing"
    );
    app.quit().await;

    // A later start finds the handler registered and leaves the user's mimeapps.list alone
    // (xdg-mime rewrote it at every start).
    let list = env.home().join(".config/mimeapps.list");
    let before = std::fs::read(&list).expect("mimeapps.list written at the first start");
    let modified = std::fs::metadata(&list)
        .and_then(|m| m.modified())
        .expect("mtime");
    let log = env.config.log_path();
    let started = |log: &std::path::Path| {
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .matches("started the watcher, the timer and the tray")
            .count()
    };
    let starts_before = started(&log);
    let app = AppSession::start(&env).await;
    app.element("[data-testid=provider-claude]").await;
    within_seconds("the second start's registration", || {
        started(&log) > starts_before
    })
    .await;
    assert_eq!(std::fs::read(&list).expect("mimeapps.list"), before);
    assert_eq!(
        std::fs::metadata(&list)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified,
        "the second start rewrote mimeapps.list"
    );
    app.quit().await;
}
