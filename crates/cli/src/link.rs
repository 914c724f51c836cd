//! A `switchboard://` link handed over by the OS (the desktop's handler for the scheme runs
//! this binary). Any web page can open a link, so `use` and `next` switch here only when the
//! user allowed links to switch without asking; otherwise, like `open` and `connect`, they go
//! to the desktop app (started with the link; its single instance passes it to a window
//! already open), which shows what the link will do and waits for a click. Where no window
//! can open, the link changes nothing and says why.

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use switchboard_core::api::deep_link;
use switchboard_core::api::error::{Error, Result};

use crate::commands::{fail, open, print_switch};

pub fn run(link: &str) -> ExitCode {
    let result = deep_link::parse(link).and_then(|parsed| {
        if !parsed.changes_state() {
            return hand_to_app(link);
        }
        let board = open()?;
        if board.settings()?.links_switch_without_asking {
            return match deep_link::carry_out(&board, &parsed)? {
                Some(switched) => print_switch(&switched),
                None => Ok(()),
            };
        }
        // Checked before asking: a link to an account that does not exist asks nothing.
        deep_link::ask(&board, &parsed)?;
        hand_to_app(link).map_err(|err| {
            Error::NotAllowed(format!(
                "{err} This link would change which account a CLI uses, and Switchboard asks first in its window. (To let links switch without asking, turn that on in the window's Settings.)"
            ))
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// Starts the desktop app with `link` (a running one receives it and this one exits).
fn hand_to_app(link: &str) -> Result<()> {
    if cfg!(target_os = "linux")
        && ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .all(|v| std::env::var_os(v).is_none_or(|v| v.is_empty()))
    {
        return Err(Error::NotAllowed(
            "This link needs the Switchboard window, and there is no display here to open it on. Nothing changed.".to_owned(),
        ));
    }
    let app = app_exe().ok_or_else(|| {
        Error::NotAllowed(
            "This link needs the Switchboard window, and the desktop app was not found beside this command (set SWITCHBOARD_APP to its path). Nothing changed.".to_owned(),
        )
    })?;
    Command::new(&app)
        .arg(link)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| Error::io(format!("starting {}", app.display()), e))
}

/// The desktop app: `SWITCHBOARD_APP`, or `switchboard-app` beside this binary.
fn app_exe() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SWITCHBOARD_APP").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let exe = std::env::current_exe().ok()?;
    let beside = exe
        .parent()?
        .join(format!("switchboard-app{}", std::env::consts::EXE_SUFFIX));
    beside.is_file().then_some(beside)
}
