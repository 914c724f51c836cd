//! Generates the Tauri context and the permissions of the app's own IPC commands.

/// Every IPC command (`commands.list`); `capabilities/main.json` grants exactly these.
const COMMANDS: &[&str] = &include!("commands.list");

fn main() {
    println!("cargo:rerun-if-changed=commands.list");
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
