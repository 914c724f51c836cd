//! Linux only: the webview is not painted until its page has loaded. Without compositing,
//! WebKitGTK (2.50) paints a webview that has nothing to show yet by asking the page's
//! process for a frame and blocking the main thread up to 500 ms for it. When that happens
//! while the page's process is still starting, the process is itself waiting on this thread
//! (its stack shows a synchronous message), so the window stays blank for the whole 500 ms.
//! Skipping the webview's paints until the page has loaded avoids the wait; the page's
//! process paints in the meantime, so the first paint after it shows the list at once.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gtk::glib;
use gtk::prelude::*;
use webkit2gtk::{LoadEvent, WebViewExt};

/// Holds `webview`'s paints until its page has loaded (or `at_the_latest`). Must run on
/// the main thread before the window's first paint.
pub fn hold_until_loaded(webview: &webkit2gtk::WebView, at_the_latest: Duration) {
    let held = webview.connect_draw(|_, _| glib::Propagation::Stop);
    let gate = Rc::new(RefCell::new(Some(held)));
    let open = move |webview: &webkit2gtk::WebView| {
        if let Some(held) = gate.borrow_mut().take() {
            webview.disconnect(held);
            webview.queue_draw();
        }
    };
    let on_load = open.clone();
    webview.connect_load_changed(move |webview, event| {
        if event == LoadEvent::Finished {
            on_load(webview);
        }
    });
    let weak = webview.downgrade();
    glib::timeout_add_local_once(at_the_latest, move || {
        if let Some(webview) = weak.upgrade() {
            open(&webview);
        }
    });
}
