//! Registers `switchboard://` with the Linux desktop: a `switchboard-handler.desktop` entry
//! whose `Exec` is the small command line (not this app), made the scheme's default handler
//! with `xdg-mime`. The command line switches at once where the user allowed it and hands
//! everything else to the window. The path is written unquoted when it can be, which every
//! launcher reads (xdg-utils' generic mode cannot run a quoted one).

use std::path::Path;
use std::process::Command;

use tauri::Manager;

const FILE_NAME: &str = "switchboard-handler.desktop";
const MIME_TYPE: &str = "x-scheme-handler/switchboard";

/// Writes the handler (when it differs) and makes it the default for the scheme.
pub fn register(app: &tauri::AppHandle, cli: &Path) -> Result<(), String> {
    let dir = app
        .path()
        .data_dir()
        .map_err(|e| e.to_string())?
        .join("applications");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join(FILE_NAME);
    let entry = desktop_entry(cli);
    if std::fs::read_to_string(&file).ok().as_deref() != Some(entry.as_str()) {
        std::fs::write(&file, entry).map_err(|e| e.to_string())?;
        // Refreshes the MIME cache where desktop-file-utils is installed; optional.
        let _ = Command::new("update-desktop-database").arg(&dir).status();
    }
    let status = Command::new("xdg-mime")
        .args(["default", FILE_NAME, MIME_TYPE])
        .status()
        .map_err(|e| format!("running xdg-mime: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdg-mime failed ({status})"))
    }
}

fn desktop_entry(cli: &Path) -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName=Switchboard link handler\nExec={} %u\nTerminal=false\nMimeType={MIME_TYPE}\nNoDisplay=true\n",
        exec_argument(&cli.to_string_lossy())
    )
}

/// A path as a Desktop Entry `Exec` argument: bare when it holds only safe characters,
/// otherwise double-quoted with the specification's escapes.
fn exec_argument(path: &str) -> String {
    let safe = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,@".contains(c));
    if safe {
        return path.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        if c == '%' {
            quoted.push('%');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_stay_bare_and_others_are_quoted_as_the_spec_says() {
        assert_eq!(
            exec_argument("/usr/bin/switchboard"),
            "/usr/bin/switchboard"
        );
        assert_eq!(
            exec_argument("/home/a b/100%/$x"),
            "\"/home/a b/100%%/\\$x\""
        );
        assert!(desktop_entry(Path::new("/opt/sb/switchboard"))
            .contains("\nExec=/opt/sb/switchboard %u\n"));
    }
}
