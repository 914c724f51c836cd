//! Generates the Tauri context of the empty app.

fn main() {
    tauri_build::build();
}
