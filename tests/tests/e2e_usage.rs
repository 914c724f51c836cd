//! Usage in the real window: two Claude and two Codex sign-ins with different figures in
//! the fake provider. The app's own timer reads them at start; each row shows its windows
//! as bars with the figures the fake served, the refresh button reads again at once, and the
//! edit dialog draws the history. Screenshots go to artifacts/e2e/.

use switchboard_core::catalog::ProviderId;
use switchboard_tests::cli::{login, run, text};
use switchboard_tests::fake_provider::FakeProvider;
use switchboard_tests::webdriver::AppSession;
use switchboard_tests::TestEnv;

fn row(provider: ProviderId, email: &str) -> String {
    format!(
        "[data-testid=provider-{}] [data-testid=account][data-label='{email}']",
        provider.as_str()
    )
}

/// Waits until the row's `window` bar shows `used` percent.
async fn bar_shows(app: &AppSession, row: &str, window: &str, used: f64) {
    let selector = format!("{row} [data-testid=usage-window][data-window='{window}']");
    app.eventually(&selector, |e| async move {
        e.attr("data-used")
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse::<f64>().ok())
            == Some(used)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_shows_each_sign_in_s_limits_as_bars_and_reads_them_again_on_request() {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    let served = [
        (ProviderId::Claude, "work@example.com", 62.0, 18.0),
        (ProviderId::Claude, "home@example.com", 12.0, 41.0),
        (ProviderId::Codex, "team@example.com", 87.0, 35.0),
        (ProviderId::Codex, "solo@example.com", 4.0, 9.0),
    ];
    for (provider, email, short, long) in served {
        login(&env, &fake, provider.as_str(), email);
        fake.set_usage(email, short, long);
        let out = run(&env, &["pool", provider.as_str(), email, "on"]);
        assert!(out.status.success(), "{}", text(&out));
    }

    let app = AppSession::start(&env).await;
    for (provider, email, short, long) in served {
        let row = row(provider, email);
        bar_shows(&app, &row, "5-hour", short).await;
        bar_shows(&app, &row, "7-day", long).await;
        let age = app.element(&format!("{row} [data-testid=usage-age]")).await;
        let age = switchboard_tests::webdriver::text_content(&age).await;
        assert!(age.contains("ago"), "{age}");
    }
    app.screenshot("usage-01-bars.png").await;

    // The refresh button reads again at once (after the few seconds every reading waits).
    fake.set_usage("work@example.com", 97.0, 20.0);
    tokio::time::sleep(std::time::Duration::from_millis(5_100)).await;
    let work = row(ProviderId::Claude, "work@example.com");
    app.click(&format!("{work} [data-testid=read-usage]")).await;
    bar_shows(&app, &work, "5-hour", 97.0).await;

    // Two readings make a line in the edit dialog's history.
    app.click(&format!("{work} [data-testid=edit]")).await;
    app.element("[data-testid=edit-dialog] [data-testid=sparkline][data-window='5-hour'] polyline")
        .await;
    app.screenshot("usage-02-history.png").await;
    app.quit().await;
}
