//! An empty Tauri 2 app, built from the same Tauri as Switchboard's and with the same window
//! size: what `make bench` measures Switchboard's start-up, memory and CPU against.

fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("empty-tauri-app: {err}");
        std::process::exit(1);
    }
}
