//! What the app starts once the window's page has loaded (its scripts have run, so the list
//! is in the document): the import of the CLIs' logins, the `switchboard://` registration,
//! the login watcher, the refresh and usage timer and the tray. Each reads the keychain, runs
//! a program or wakes threads, and none of it is needed for the first frame; on two cores,
//! running it before the page would delay that frame.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::Manager;

use switchboard_core::api::refresher::Refresher;
use switchboard_core::api::watch::LoginWatcher;
use switchboard_core::Switchboard;

use crate::window::PAGE_LOAD_AT_THE_LATEST;

/// Starts the rest once: when `now()` is called (the page loaded) or after
/// [`PAGE_LOAD_AT_THE_LATEST`].
pub struct Deferred {
    started: AtomicBool,
    app: tauri::AppHandle,
    board: Arc<Switchboard>,
    cli: PathBuf,
}

impl Deferred {
    /// Arms the fallback timer; the caller calls [`Deferred::now`] when the page has loaded.
    pub fn arm(app: tauri::AppHandle, board: Arc<Switchboard>, cli: PathBuf) -> Arc<Self> {
        let deferred = Arc::new(Self {
            started: AtomicBool::new(false),
            app,
            board,
            cli,
        });
        let later = deferred.clone();
        let _ = std::thread::Builder::new()
            .name("start-fallback".into())
            .spawn(move || {
                std::thread::sleep(PAGE_LOAD_AT_THE_LATEST);
                later.now();
            });
        deferred
    }

    /// Starts the rest on a thread of its own, the first time only.
    pub fn now(self: &Arc<Self>) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let this = self.clone();
        let _ = std::thread::Builder::new()
            .name("start-rest".into())
            .spawn(move || this.start_rest());
    }

    fn start_rest(&self) {
        let (app, board) = (&self.app, &self.board);
        // The tray first: it is what the user sees of the rest. Menus live on the main thread,
        // where it waits for the paints already due there.
        let tray_app = app.clone();
        let tray_board = board.clone();
        on_main_thread_after_paints(app, move || {
            if let Err(err) = crate::tray::create(&tray_app, &tray_board) {
                // No tray (no StatusNotifier host, say): the window still works.
                tracing::warn!("no tray icon: {err}");
            }
        });
        import_on_first_start(board);
        crate::links::register_scheme(app, &self.cli);
        app.manage(LoginWatcher::start(board.clone()));
        match Refresher::start(board.clone()) {
            Ok(refresher) => {
                app.manage(refresher);
            }
            Err(err) => tracing::warn!("no refresh timer: {err}"),
        }
        tracing::info!("started the watcher, the timer and the tray");
    }
}

/// Runs `work` on the main thread once nothing of higher priority is due there, GTK's paints
/// included. The page's first frame arrives about when the page has loaded: built before that
/// frame was drawn, the tray held it back by 5 to 10 ms (README, "Performance").
#[cfg(target_os = "linux")]
fn on_main_thread_after_paints(_: &tauri::AppHandle, work: impl FnOnce() + Send + 'static) {
    // GTK's main loop runs the default context: from another thread this adds an idle source.
    gtk::glib::MainContext::default().invoke_with_priority(gtk::glib::Priority::DEFAULT_IDLE, work);
}

#[cfg(not(target_os = "linux"))]
fn on_main_thread_after_paints(app: &tauri::AppHandle, work: impl FnOnce() + Send + 'static) {
    let _ = app.run_on_main_thread(work);
}

/// On the very first start (no accounts yet), the logins already in the CLI files become
/// accounts. A failure is logged, never fatal: the window still works.
fn import_on_first_start(board: &Switchboard) {
    let empty = board
        .overview()
        .map(|o| o.providers.iter().all(|p| p.accounts.is_empty()))
        .unwrap_or(false);
    if empty {
        match board.import_logins() {
            Ok(imported) => tracing::info!(
                count = imported.len(),
                "imported the logins found in CLI files"
            ),
            Err(err) => tracing::warn!("could not import the logins in CLI files: {err}"),
        }
    }
}
