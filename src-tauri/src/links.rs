//! Links and second launches reaching the running app: `switchboard://` links from the OS
//! or handed over by a second launch (single instance). `open` shows the window, `connect`
//! opens the sign-in dialog. `use` and `next` change which account a CLI bills, and any web
//! page can open a link, so they ask first: the window shows what the link will do and waits
//! for a click, unless the user allowed links to switch without asking. A malformed link is
//! shown and changes nothing.

use std::sync::{Arc, Mutex, MutexGuard};

use tauri::{Emitter, Manager};

use switchboard_core::api::deep_link::{self, Asked, DeepLink, LinkRequest, PendingAsks};
use switchboard_core::api::error::{Error, Result};
use switchboard_core::Switchboard;

use switchboard_core::api::ipc::LINK_EVENT;

/// Links waiting for the window: the request that arrived before the window listened (the
/// app was started by a link), and the links that asked and wait for an answer.
#[derive(Default)]
pub struct Links {
    pending: Mutex<Option<LinkRequest>>,
    asked: PendingAsks,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Links {
    /// The request that arrived before the window listened, once.
    pub fn take_pending(&self) -> Option<LinkRequest> {
        lock(&self.pending).take()
    }

    /// What an answer is for: the account the question named (each is answered once,
    /// within two minutes).
    pub fn answer(&self, id: &str) -> Result<Asked> {
        self.asked.take(id)
    }
}

/// Handles one link in the running app, off the main thread (a switch reads the keychain).
pub fn handle_link(app: &tauri::AppHandle, link: &str) {
    tracing::info!(
        link = link.split('/').take(3).collect::<Vec<_>>().join("/"),
        "link"
    );
    crate::window::show_main(app);
    let app = app.clone();
    let link = link.to_owned();
    tauri::async_runtime::spawn_blocking(move || {
        if let Some(request) = request_for(&app, &link) {
            *lock(&app.state::<Links>().pending) = Some(request.clone());
            let _ = app.emit(LINK_EVENT, request);
        }
    });
}

/// What the window is asked to do for `link` (nothing for `open`).
fn request_for(app: &tauri::AppHandle, link: &str) -> Option<LinkRequest> {
    let failed = |err: Error| {
        Some(LinkRequest::Failed {
            message: err.to_string(),
        })
    };
    let action = match deep_link::parse(link) {
        Ok(DeepLink::Open) => return None,
        Ok(DeepLink::Connect { provider }) => return Some(LinkRequest::Connect { provider }),
        Ok(action) => action,
        Err(err) => return failed(err),
    };
    let board = app.state::<Arc<Switchboard>>();
    let allowed = board
        .settings()
        .map(|s| s.links_switch_without_asking)
        .unwrap_or(false);
    if allowed {
        return match deep_link::carry_out(&board, &action) {
            Ok(switched) => switched.map(|s| LinkRequest::Done { message: s.notice }),
            Err(err) => failed(err),
        };
    }
    let asked = deep_link::ask(&board, &action).and_then(|asked| {
        let question = asked.question.clone();
        Ok((app.state::<Links>().asked.put(asked)?, question))
    });
    match asked {
        Ok((id, question)) => Some(LinkRequest::Confirm { id, question }),
        Err(err) => failed(err),
    }
}

/// A second launch handed over its arguments: a link (already delivered by the deep-link
/// plugin) or nothing, which shows the window.
pub fn second_launch(app: &tauri::AppHandle, args: &[String]) {
    if !args.iter().skip(1).any(|a| deep_link::is_link(a)) {
        crate::window::show_main(app);
    }
}

/// Registers the `switchboard://` scheme with the OS (Linux: the command line `cli` is the
/// handler, written as a desktop entry and set with `xdg-mime`; Windows registers this app at
/// run time; macOS through the bundle). Runs after the first paint: it starts programs.
pub fn register_scheme(app: &tauri::AppHandle, cli: &std::path::Path) {
    #[cfg(target_os = "linux")]
    if let Err(err) = crate::scheme::register(app, cli) {
        tracing::warn!("could not register switchboard:// links with the system: {err}");
    }
    #[cfg(windows)]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Err(err) = app.deep_link().register_all() {
            tracing::warn!("could not register switchboard:// links with the system: {err}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (app, cli);
}

/// Follows links as they arrive, and handles the link the app was started with.
pub fn listen(app: &tauri::App) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            handle_link(&handle, url.as_str());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            handle_link(app.handle(), url.as_str());
        }
    }
}
