//! The desktop app — the only crate that imports tauri. It opens the facade, hands it to the
//! thin IPC commands, and forwards every change to the window as an event and to the tray.

mod cli_binary;
mod commands;
mod links;
#[cfg(target_os = "linux")]
mod paint_gate;
pub mod rendering;
#[cfg(target_os = "linux")]
mod scheme;
mod startup;
mod tray;
mod window;

use std::process::ExitCode;

use tauri::{Emitter, Manager};

use std::sync::Arc;

use switchboard_core::api::store::EventKind;
use switchboard_core::{Config, Switchboard};

use switchboard_core::api::ipc::CHANGE_EVENT;

/// Opens the window. Returns when the app exits.
pub fn run() -> ExitCode {
    switchboard_core::api::http::install_crypto();
    let board = match Config::from_env().and_then(|mut config| {
        switchboard_core::api::logging::init(&config, true);
        config.helper_exe = cli_binary::locate(&config.data_dir);
        Switchboard::open(config)
    }) {
        Ok(board) => board,
        Err(err) => {
            eprintln!("switchboard: {err}");
            return ExitCode::FAILURE;
        }
    };
    let board = Arc::new(board);
    let cli = board.config().helper_exe.clone();
    let result = tauri::Builder::default()
        // First: a second launch hands its arguments (a link) to this one and exits.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            links::second_launch(app, &args)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .manage(links::Links::default())
        .setup(move |app| {
            // Only the first instance gets here: a second launch has handed over and exited.
            // The window first, with the list in it (SQLite only); the rest waits for its page.
            let first = board
                .first_view()
                .inspect_err(|err| tracing::warn!("no first view for the window: {err}"))
                .ok();
            let rest = startup::Deferred::arm(app.handle().clone(), board.clone(), cli.clone());
            window::open_main(app, first.as_ref(), move || rest.now())?;
            let handle = app.handle().clone();
            let notices = board.clone();
            board.subscribe(move |change| {
                if let Err(err) = handle.emit(CHANGE_EVENT, change) {
                    tracing::warn!("could not forward a change to the window: {err}");
                }
                tray::refresh(&handle);
                match change.kind {
                    EventKind::SignInNeeded => {
                        tray::notify_sign_in_needed(&handle, &notices, change.account_id.as_deref())
                    }
                    EventKind::AutoSwitched => {
                        tray::notify_auto_switched(&handle, &notices, change.account_id.as_deref())
                    }
                    _ => {}
                }
            });
            app.manage(board);
            links::listen(app);
            Ok(())
        })
        .on_window_event(|window, event| {
            // With a tray to come back from, closing the window keeps Switchboard running.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if tray::exists(window.app_handle()) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::catalog,
            commands::overview,
            commands::add_key_account,
            commands::replace_secret,
            commands::edit_account,
            commands::remove_account,
            commands::toggle_active,
            commands::set_in_pool,
            commands::set_fallback,
            commands::set_auto_switch,
            commands::read_usage,
            commands::usage_history,
            commands::restore_cli_files,
            commands::import_logins,
            commands::start_sign_in,
            commands::finish_sign_in,
            commands::paste_sign_in,
            commands::poll_sign_in_now,
            commands::cancel_sign_in,
            commands::take_pending_link,
            commands::answer_link,
            commands::check_account,
            commands::settings,
            commands::save_settings,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("switchboard: the window failed: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// A plain build (default features, what `cargo build --release` makes) serves the UI
    /// embedded in the binary; only `--features dev-server` without the default would load
    /// the Vite dev server at http://localhost:5173.
    #[test]
    fn a_default_build_embeds_the_ui() {
        assert!(
            !tauri::is_dev(),
            "this build would load the dev server instead of its own UI"
        );
    }
}
