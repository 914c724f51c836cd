//! Generates the Tauri context and the permissions of the app's own IPC commands.

/// Every IPC command; `capabilities/main.json` grants exactly these to the main window.
const COMMANDS: &[&str] = &[
    "catalog",
    "overview",
    "add_key_account",
    "replace_secret",
    "rename_account",
    "set_description",
    "update_settings",
    "remove_account",
    "toggle_active",
    "set_in_pool",
    "restore_cli_files",
    "import_logins",
    "start_sign_in",
    "finish_sign_in",
    "paste_sign_in",
    "poll_sign_in_now",
    "cancel_sign_in",
    "take_pending_link",
    "check_account",
];

fn main() {
    // The UI is embedded unless the dev server was asked for, explicitly.
    if std::env::var_os("CARGO_FEATURE_EMBED_UI").is_none()
        && std::env::var_os("CARGO_FEATURE_DEV_SERVER").is_none()
    {
        panic!("build the app with its UI embedded (the default `embed-ui` feature) or, for development, with `--no-default-features --features dev-server`");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
