//! The small `switchboard` command line the app ships beside itself: the program the CLIs'
//! helper hooks (`apiKeyHelper`, `awsCredentialExport`) and the OS's link handler run, so
//! they never start GTK and WebKit. From an AppImage, whose mount point changes every run,
//! it is installed into the data dir first.

use std::path::{Path, PathBuf};

/// Where the command line is for CLIs to run it.
pub fn locate(data_dir: &Path) -> PathBuf {
    let name = format!("switchboard{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .unwrap_or_else(|| PathBuf::from(&name));
    if !beside.is_file() {
        tracing::warn!(
            path = %beside.display(),
            "the switchboard command line is not beside the app: CLI helper hooks will fail until it is installed there"
        );
        return beside;
    }
    if std::env::var_os("APPIMAGE").is_none_or(|v| v.is_empty()) {
        return beside;
    }
    let installed = data_dir.join("bin").join(&name);
    match install(&beside, &installed) {
        Ok(()) => installed,
        Err(err) => {
            tracing::warn!("could not install the command line into the data dir: {err}");
            beside
        }
    }
}

/// Copies `from` to `to` (executable by its owner only) unless it is already there.
fn install(from: &Path, to: &Path) -> std::io::Result<()> {
    let bytes = std::fs::read(from)?;
    if std::fs::read(to).is_ok_and(|current| current == bytes) {
        return Ok(());
    }
    let dir = to.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".switchboard-{}.tmp", std::process::id()));
    std::fs::write(&temp, &bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o700))?;
    }
    std::fs::rename(&temp, to)
}
