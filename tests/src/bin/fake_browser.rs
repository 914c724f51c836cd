//! The browser of the tests (`SWITCHBOARD_OPEN_WITH`): opens the URL it is given against
//! the fake provider and follows its redirects, as a user approving the sign-in would. It
//! only ever talks to loopback addresses.

fn main() {
    let url = std::env::args().nth(1).unwrap_or_default();
    if !url.starts_with("http://127.0.0.1:") {
        eprintln!("fake-browser: refusing non-loopback URL {url}");
        std::process::exit(2);
    }
    if let Some(log) = std::env::var_os("FAKE_BROWSER_LOG") {
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(file, "{url}");
        }
    }
    if std::env::var_os("FAKE_BROWSER_ONLY_RECORD").is_some() {
        return;
    }
    match switchboard_tests::fake_provider::browse(&url) {
        Ok(_) => {}
        Err(err) => {
            eprintln!("fake-browser: {err}");
            std::process::exit(1);
        }
    }
}
