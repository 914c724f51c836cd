//! The window itself shows the list: what Xvfb's screen holds, not a WebDriver screenshot
//! (which the page's process draws whether or not the window was ever painted). On Linux the
//! app holds the webview's paints until its page has loaded (`paint_gate.rs`); a gate that
//! never opened would leave the window blank while every other end-to-end test passed.

use std::time::Duration;

use switchboard_core::catalog::ProviderId;
use switchboard_tests::screen::{distinct_colours, framebuffer, tiny_xwd};
use switchboard_tests::webdriver::{artifacts_dir, AppSession};
use switchboard_tests::{add_key, canary, TestEnv};

/// Fewer colours than this is an empty screen with at most a blank window on it.
const PAINTED: usize = 16;

#[test]
fn colours_are_counted_over_the_pixels_after_the_header_and_colour_map() {
    assert_eq!(distinct_colours(&tiny_xwd([0, 0, 0, 0])), Ok(1));
    assert_eq!(distinct_colours(&tiny_xwd([0, 1, 0xffffff, 1])), Ok(3));
    let mut short = tiny_xwd([0, 1, 2, 3]);
    short.truncate(short.len() - 1);
    assert!(distinct_colours(&short).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_on_the_screen_shows_the_account_list() {
    let Some(screen) = framebuffer() else {
        eprintln!(
            "skipped: SWITCHBOARD_TEST_SCREEN does not name Xvfb's screen file (`make test` \
             starts Xvfb with -fbdir and sets it)"
        );
        return;
    };
    let env = TestEnv::new();
    let board = env.board();
    for n in 1..=3 {
        add_key(
            &board,
            ProviderId::Claude,
            &format!("Key {n}"),
            &canary("sk-ant-api03-"),
        );
    }
    let app = AppSession::start(&env).await;
    app.element("[data-testid=provider-claude] [data-testid=account][data-label='Key 3']")
        .await;

    // The page has its list; the screen shows it once the window has been painted.
    let mut colours = 0;
    for _ in 0..100 {
        let xwd = std::fs::read(&screen).expect("Xvfb's screen file");
        colours = distinct_colours(&xwd).expect("Xvfb's screen is an XWD file");
        if colours >= PAINTED {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::copy(&screen, artifacts_dir().join("screen-list.xwd")).expect("copy the screen");
    app.quit().await;
    assert!(
        colours >= PAINTED,
        "after 10 s the screen shows {colours} colours: the window was never painted \
         (artifacts/e2e/screen-list.xwd)"
    );
}
