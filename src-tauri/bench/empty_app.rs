//! An empty Tauri 2 app: a second binary of the desktop app's crate, so it is built from the
//! same Tauri with the same features, lock file and release profile, with the same window
//! size and an empty page (`bench/tauri.conf.json`, `bench/empty-dist/`). What `make bench`
//! measures Switchboard's start-up, memory and CPU against. It paints as the window does
//! without a GPU (`rendering::paint_in_software`), so the floor is an empty app at its best.

fn main() {
    switchboard_app::rendering::paint_in_software();
    if let Err(err) =
        tauri::Builder::default().run(tauri::generate_context!("bench/tauri.conf.json"))
    {
        eprintln!("empty-tauri-app: {err}");
        std::process::exit(1);
    }
}
