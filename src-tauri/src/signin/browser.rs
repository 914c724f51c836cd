//! Opening a sign-in page: the system browser, or the command in `SWITCHBOARD_OPEN_WITH`
//! (split on spaces, the URL appended as the last argument).

use std::process::{Command, Stdio};

use crate::error::{Error, Result};

pub fn open(url: &str, open_with: Option<&str>) -> Result<()> {
    let Some(command) = open_with.map(str::trim).filter(|c| !c.is_empty()) else {
        return open::that_detached(url).map_err(|e| Error::io("opening the browser", e));
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
    Ok(())
}
