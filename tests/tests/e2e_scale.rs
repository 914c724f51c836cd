//! A long list in the real window: a provider with 120 accounts renders a page of rows at
//! first, the next page when the end of the list is scrolled near, and the rest on a click;
//! painted without compositing, its header scrolls away with the page and no shadow is blurred.

use std::time::Duration;

use switchboard_core::catalog::ProviderId;
use switchboard_tests::webdriver::AppSession;
use switchboard_tests::{add_key, canary, TestEnv};
use thirtyfour::prelude::*;

const ROWS: &str = "[data-testid=provider-codex] [data-testid=account]";
const MORE: &str = "[data-testid=provider-codex] [data-testid=more-accounts]";

async fn rows(app: &AppSession) -> usize {
    app.driver
        .find_all(By::Css(ROWS))
        .await
        .expect("rows")
        .len()
}

/// `expression`, evaluated in the page with `header` bound to its header, as a string.
async fn header(app: &AppSession, expression: &str) -> String {
    app.script_string(&format!(
        "const header = document.querySelector('header.top'); return {expression};"
    ))
    .await
}

/// "N shadowed; blurred: …": how many elements on the screen have a box shadow, and those
/// whose shadow is blurred (its third length, the blur radius, above 0), by tag and class.
const SHADOWS: &str = r"
    const shown = [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length > 0);
    const shadowed = shown.filter(e => getComputedStyle(e).boxShadow !== 'none');
    const blurred = shadowed.filter(e => getComputedStyle(e).boxShadow
        .split(/,(?![^(]*\))/)
        .some(one => parseFloat(one.replace(/rgba?\([^)]*\)/g, '').trim().split(/\s+/)[2] ?? '0') > 0));
    const scheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    return `${scheme} ${shadowed.length} shadowed; blurred: ${blurred.map(e => e.tagName + '.' + e.className).join(' ')}`;
";

/// Waits up to 15 s for `count` rows.
async fn rows_become(app: &AppSession, count: usize) {
    for _ in 0..150 {
        if rows(app).await == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {count} rows, found {}", rows(app).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_renders_a_page_at_a_time_as_it_is_scrolled() {
    let env = TestEnv::new();
    let board = env.board();
    for n in 1..=120 {
        add_key(
            &board,
            ProviderId::Codex,
            &format!("Key {n:03}"),
            &canary("sk-"),
        );
    }
    // As on a machine without a GPU, whatever this one has.
    let app = AppSession::start_with(&env, &[("SWITCHBOARD_COMPOSITING", "off")]).await;

    app.element(MORE).await;
    assert_eq!(rows(&app).await, 50, "the first page only");
    assert_eq!(
        header(&app, "document.documentElement.dataset.paint").await,
        "software",
        "the app tells the page it paints without compositing"
    );
    assert_eq!(
        header(&app, "getComputedStyle(header).position").await,
        "static",
        "without compositing the header is not sticky"
    );
    // Without a GPU WebKit paints shadows in software, and a blurred one cost the first frame
    // 35 ms (README, "Performance"): the cards keep a shadow, unblurred.
    let shadows = app.script_string(SHADOWS).await;
    let (counted, blurred) = shadows.split_once(" shadowed; blurred: ").expect(&shadows);
    let (scheme, shadowed) = counted.split_once(' ').expect(&shadows);
    // The dark scheme has no shadows (`--shadow: none`); in the light one the cards have
    // one, so the check for blur below has something to look at.
    if scheme == "light" {
        assert!(
            shadowed.parse::<usize>().expect(&shadows) > 0,
            "the cards have a shadow: {shadows}"
        );
    } else {
        eprintln!("the page is in the dark scheme, which has no shadows: {shadows}");
    }
    assert_eq!(blurred, "", "shadows painted blurred: {shadows}");
    let label = app.element(MORE).await.text().await.expect("label");
    assert_eq!(label, "Show 50 more (70 not shown)");
    app.screenshot("scale-01-first-page.png").await;

    // Scrolled near the end of what is rendered: the next page comes by itself.
    app.element(MORE)
        .await
        .scroll_into_view()
        .await
        .expect("scroll");
    rows_become(&app, 100).await;
    assert_eq!(
        header(&app, "String(header.getBoundingClientRect().bottom <= 0)").await,
        "true",
        "the header scrolled away with the page"
    );
    // The last 20 on a click (its coming into view asks for the same step, taken once).
    app.click(MORE).await;
    rows_become(&app, 120).await;
    app.gone(MORE).await;
    app.element("[data-testid=provider-codex] [data-testid=account][data-label='Key 120']")
        .await;
    app.quit().await;
}
