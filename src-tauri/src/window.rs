//! The main window, brought to the front for a link, a second launch or the tray.

use tauri::Manager;

/// Shows, unminimises and focuses the main window.
pub fn show_main(app: &tauri::AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}
