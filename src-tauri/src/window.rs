//! The main window: opened with the list already in it (and, on Linux, not painted before its
//! page has loaded), and brought to the front for a link, a second launch or the tray.

use std::time::Duration;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, WebviewWindowBuilder};

use switchboard_core::api::facade::FirstView;

/// The label of the main window, as in `tauri.conf.json`.
pub const MAIN: &str = "main";
/// How long what waits for the page's load (the rest of start-up, the first paint on Linux)
/// waits at most: when the page has not said it loaded by then, it goes ahead anyway.
pub const PAGE_LOAD_AT_THE_LATEST: Duration = Duration::from_secs(3);
// The globals the page reads its first view and its paint mode from (`ui/src/lib/api.ts`)
// are the IPC contract's (`switchboard_core::api::ipc`).
use switchboard_core::api::ipc::FIRST_VIEW_GLOBAL;
/// Tells the page WebKit paints it without compositing (`crate::rendering`), read by
/// `paintMode` in `ui/src/lib/api.ts`.
fn software_paint_script() -> String {
    format!(
        "window.{} = \"software\";",
        switchboard_core::api::ipc::PAINT_GLOBAL
    )
}

/// Creates the main window from its entry in `tauri.conf.json` (which has `create: false`)
/// with `first` handed to the page before its scripts run, so its first frame is the list
/// rather than "Loading". `loaded` runs once the page has loaded.
pub fn open_main(
    app: &tauri::App,
    first: Option<&FirstView>,
    loaded: impl Fn() + Send + Sync + 'static,
) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| std::io::Error::other("tauri.conf.json has no main window"))?;
    let mut builder = WebviewWindowBuilder::from_config(app.handle(), &config)?.on_page_load(
        move |_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                loaded();
            }
        },
    );
    if let Some(script) = first.and_then(first_view_script) {
        builder = builder.initialization_script(script);
    }
    if crate::rendering::compositing_disabled(|name| std::env::var(name).ok()) {
        builder = builder.initialization_script(software_paint_script());
    }
    let window = builder.build()?;
    hold_paint_until_loaded(&window)
}

/// On Linux the webview is not painted before its page has loaded ([`crate::paint_gate`]).
/// Runs on the main thread (`setup`), so `with_webview` runs at once, before the first paint.
#[cfg(target_os = "linux")]
fn hold_paint_until_loaded(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        crate::paint_gate::hold_until_loaded(&webview.inner(), PAGE_LOAD_AT_THE_LATEST)
    })
}

#[cfg(not(target_os = "linux"))]
fn hold_paint_until_loaded(_: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

/// `window.__SWITCHBOARD_FIRST_VIEW__ = {…};` — JSON is a JavaScript expression. The page's
/// CSP does not apply: the webview injects it as a user script.
fn first_view_script(first: &FirstView) -> Option<String> {
    match serde_json::to_string(first) {
        Ok(json) => Some(format!("window.{FIRST_VIEW_GLOBAL} = {json};")),
        Err(err) => {
            tracing::warn!("could not hand the first view to the page: {err}");
            None
        }
    }
}

/// Shows, unminimises and focuses the main window.
pub fn show_main(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
