//! `switchboard-app`: the Switchboard window and tray. A `switchboard://` link given as an
//! argument reaches the window (a running one, if there is one).

fn main() -> std::process::ExitCode {
    // Before anything starts a thread: it sets WebKit's environment.
    switchboard_app::rendering::configure();
    switchboard_app::run()
}
