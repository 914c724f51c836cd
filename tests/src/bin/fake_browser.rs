//! The browser of the tests (`SWITCHBOARD_OPEN_WITH`): opens the URL it is given against
//! the fake provider and follows its redirects, as a user approving the sign-in would. It
//! only ever talks to loopback addresses. With `FAKE_BROWSER_LOG`, it appends each URL it
//! is given and then how the page it ended on answered (`-> ok`, or `-> HTTP 400: ...`).

use std::io::Write;

fn log(line: &str) {
    if let Some(log) = std::env::var_os("FAKE_BROWSER_LOG") {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(file, "{line}");
        }
    }
}

fn main() {
    let url = std::env::args().nth(1).unwrap_or_default();
    if !url.starts_with("http://127.0.0.1:") {
        eprintln!("fake-browser: refusing non-loopback URL {url}");
        std::process::exit(2);
    }
    log(&url);
    if std::env::var_os("FAKE_BROWSER_ONLY_RECORD").is_some() {
        return;
    }
    match switchboard_tests::fake_provider::browse(&url) {
        Ok(_) => log("-> ok"),
        Err(err) => {
            log(&format!("-> {}", err.lines().next().unwrap_or_default()));
            eprintln!("fake-browser: {err}");
            std::process::exit(1);
        }
    }
}
