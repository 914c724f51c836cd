//! Opening a sign-in page: the system browser, or the command in `SWITCHBOARD_OPEN_WITH`
//! (split on spaces, the URL appended as the last argument).

use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// How sign-in pages are opened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OpenWith {
    /// The system browser.
    #[default]
    System,
    /// A command given the URL as its last argument (`SWITCHBOARD_OPEN_WITH`).
    Command(String),
    /// Nowhere: the page is shown for the user to open (`login --no-browser`).
    Nothing,
}

impl OpenWith {
    /// `SWITCHBOARD_OPEN_WITH`'s value, or the system browser.
    pub fn from_env() -> Self {
        match std::env::var("SWITCHBOARD_OPEN_WITH") {
            Ok(command) if !command.trim().is_empty() => OpenWith::Command(command),
            _ => OpenWith::System,
        }
    }
}

/// Opens `url`; `Ok(false)` when told to open nothing.
pub fn open(url: &str, open_with: &OpenWith) -> Result<bool> {
    let command = match open_with {
        OpenWith::Nothing => return Ok(false),
        OpenWith::System => {
            return open::that_detached(url)
                .map(|()| true)
                .map_err(|e| Error::io("opening the browser", e))
        }
        OpenWith::Command(command) => command,
    };
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or_default();
    let mut child = Command::new(program)
        .args(words)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::io(format!("running SWITCHBOARD_OPEN_WITH ({program})"), e))?;
    // Reap it whenever it ends, so no zombie outlives it.
    std::thread::spawn(move || child.wait());
    Ok(true)
}
