//! Links and second launches reaching the running app: `switchboard://` links from the OS
//! (registered for the scheme) or handed over by a second launch (single instance).
//! `open` shows the window, `connect` opens the sign-in dialog, `use` and `next` switch
//! through the facade like everything else; a malformed link is shown and changes nothing.

use std::sync::{Arc, Mutex};

use tauri::{Emitter, Manager};

use switchboard_core::deep_link::{self, DeepLink, LinkRequest};
use switchboard_core::Switchboard;

/// The event carrying a [`LinkRequest`] to the window.
pub const LINK_EVENT: &str = "switchboard:link";

/// A request that arrived before the window listened (the app was started by a link).
#[derive(Default)]
pub struct PendingLink(pub Mutex<Option<LinkRequest>>);

/// Carries out one link in the running app.
pub fn handle_link(app: &tauri::AppHandle, link: &str) {
    let request = match deep_link::parse(link) {
        Ok(DeepLink::Open) => None,
        Ok(DeepLink::Connect { provider }) => Some(LinkRequest::Connect { provider }),
        Ok(action) => {
            let board = app.state::<Arc<Switchboard>>();
            deep_link::carry_out(&board, &action)
                .err()
                .map(|err| LinkRequest::Failed {
                    message: err.to_string(),
                })
        }
        Err(err) => Some(LinkRequest::Failed {
            message: err.to_string(),
        }),
    };
    tracing::info!(
        link = link.split('/').take(3).collect::<Vec<_>>().join("/"),
        "link"
    );
    crate::show_main_window(app);
    if let Some(request) = request {
        if let Some(pending) = app.try_state::<PendingLink>() {
            *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(request.clone());
        }
        let _ = app.emit(LINK_EVENT, request);
    }
}

/// A second launch handed over its arguments: a link (already delivered by the deep-link
/// plugin) or nothing, which shows the window.
pub fn second_launch(app: &tauri::AppHandle, args: &[String]) {
    if !args.iter().skip(1).any(|a| deep_link::is_link(a)) {
        crate::show_main_window(app);
    }
}

/// Registers the `switchboard://` scheme with the OS (Linux: the command line `cli` is the
/// handler; Windows registers this app at run time; macOS through the bundle), follows links as they arrive, and carries out the link
/// the app was started with.
pub fn listen(app: &tauri::App, cli: &std::path::Path) -> tauri::Result<()> {
    use tauri_plugin_deep_link::DeepLinkExt;
    #[cfg(target_os = "linux")]
    if let Err(err) = crate::scheme::register(app.handle(), cli) {
        tracing::warn!("could not register switchboard:// links with the system: {err}");
    }
    #[cfg(windows)]
    if let Err(err) = app.deep_link().register_all() {
        tracing::warn!("could not register switchboard:// links with the system: {err}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cli;
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
    Ok(())
}
