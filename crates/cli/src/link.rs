//! A `switchboard://` link handed over by the OS (the desktop's handler for the scheme runs
//! this binary). `use` and `next` switch here; `open` and `connect` belong to the window, so
//! they go to the desktop app, which is started with the link (its single instance passes
//! it to a window already open).

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use switchboard_core::deep_link::{self, DeepLink};
use switchboard_core::error::{Error, Result};

use crate::commands::{exit_code, open, print_switch};

pub fn run(link: &str) -> ExitCode {
    let result = deep_link::parse(link).and_then(|parsed| match parsed {
        DeepLink::Open | DeepLink::Connect { .. } => hand_to_app(link),
        _ => {
            let board = open()?;
            match deep_link::carry_out(&board, &parsed)? {
                Some(switched) => print_switch(&board, &switched),
                None => Ok(()),
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("switchboard: {err}");
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Starts the desktop app with `link` (a running one receives it and this one exits).
fn hand_to_app(link: &str) -> Result<()> {
    let app = app_exe().ok_or_else(|| {
        Error::NotAllowed(
            "This link is for the Switchboard window, and the desktop app was not found beside this command (set SWITCHBOARD_APP to its path). Nothing changed.".to_owned(),
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
