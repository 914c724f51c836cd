//! Registers `switchboard://` with the Linux desktop: a `switchboard-handler.desktop` entry
//! whose `Exec` is the small command line (not this app), made the scheme's default handler
//! with `xdg-mime`. The command line switches at once where the user allowed it and hands
//! everything else to the window. The path is written unquoted when it can be, which every
//! launcher reads (xdg-utils' generic mode cannot run a quoted one). Where the user's
//! `mimeapps.list` already names the handler, nothing runs: otherwise `xdg-mime default`
//! would rewrite that file, through a dozen processes, at every start.

use std::path::Path;
use std::process::Command;

use tauri::Manager;

const FILE_NAME: &str = "switchboard-handler.desktop";
const MIME_TYPE: &str = "x-scheme-handler/switchboard";

/// Writes the handler (when it differs) and makes it the default for the scheme (unless it
/// is already).
pub fn register(app: &tauri::AppHandle, cli: &Path) -> Result<(), String> {
    let paths = app.path();
    let dir = paths
        .data_dir()
        .map_err(|e| e.to_string())?
        .join("applications");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join(FILE_NAME);
    let entry = desktop_entry(cli);
    let unchanged = std::fs::read_to_string(&file).ok().as_deref() == Some(entry.as_str());
    if !unchanged {
        std::fs::write(&file, entry).map_err(|e| e.to_string())?;
        // Refreshes the MIME cache where desktop-file-utils is installed; optional.
        let _ = Command::new("update-desktop-database").arg(&dir).status();
    }
    // Read only when the handler was already there: a new one always goes through xdg-mime.
    let already_default = unchanged
        && paths
            .config_dir()
            .ok()
            .and_then(|config| std::fs::read_to_string(config.join("mimeapps.list")).ok())
            .is_some_and(|list| names_handler_default(&list));
    if already_default {
        return Ok(());
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

/// Whether a `mimeapps.list` makes the handler the scheme's default: the first entry of the
/// scheme's key in `[Default Applications]`, as xdg-mime and gio write it.
fn names_handler_default(list: &str) -> bool {
    let mut in_defaults = false;
    for line in list.lines().map(str::trim) {
        if line.starts_with('[') {
            in_defaults = line == "[Default Applications]";
        } else if in_defaults {
            if let Some((key, value)) = line.split_once('=') {
                if key.trim() == MIME_TYPE {
                    return value.split(';').next().map(str::trim) == Some(FILE_NAME);
                }
            }
        }
    }
    false
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

    #[test]
    fn the_handler_is_the_default_only_where_default_applications_names_it_first() {
        let ours = "[Added Associations]\nx-scheme-handler/switchboard=other.desktop;\n\n\
                    [Default Applications]\ntext/html=firefox.desktop\n\
                    x-scheme-handler/switchboard=switchboard-handler.desktop;other.desktop;\n";
        assert!(names_handler_default(ours));
        // xdg-mime's generic mode writes the value without a trailing semicolon.
        assert!(names_handler_default(
            "[Default Applications]\nx-scheme-handler/switchboard=switchboard-handler.desktop\n"
        ));
        // Another handler first, ours only associated, or no entry: xdg-mime must run.
        assert!(!names_handler_default(
            "[Default Applications]\nx-scheme-handler/switchboard=other.desktop;switchboard-handler.desktop;\n"
        ));
        assert!(!names_handler_default(
            "[Added Associations]\nx-scheme-handler/switchboard=switchboard-handler.desktop;\n"
        ));
        assert!(!names_handler_default(
            "[Default Applications]\nx-scheme-handler/switchboard-x=switchboard-handler.desktop\n"
        ));
        assert!(!names_handler_default(""));
    }
}
