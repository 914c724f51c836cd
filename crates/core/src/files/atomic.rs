//! Crash-safe file replacement: a temp file in the same folder, written and fsynced, renamed
//! over the target, then the folder fsynced. A reader (or a crash) sees the old file or the
//! new one, never a torn one. Files are 0600; folders Switchboard creates are 0700.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Creates `dir` and any missing parents with mode 0700.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| Error::io(format!("creating the folder {}", dir.display()), e))
}

/// Makes an existing file or folder private: 0600 for a file, 0700 for a folder. A path
/// that does not exist is left alone.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        };
        let wanted = if meta.is_dir() { 0o700 } else { 0o600 };
        if meta.permissions().mode() & 0o777 != wanted {
            fs::set_permissions(path, fs::Permissions::from_mode(wanted))
                .map_err(|e| Error::io(format!("making {} private", path.display()), e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Atomically replaces `path` with `contents` (mode 0600).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let temp = write_temp(path, contents)?;
    let context = || format!("writing {}", path.display());
    let dir = path.parent().unwrap_or(Path::new("."));
    let result = fs::rename(&temp, path).and_then(|()| sync_dir(dir));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(|e| Error::io(context(), e))
}

/// What [`replace_if_unchanged`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// The file held what was expected and now holds the new contents.
    Done,
    /// Someone else (the CLI) changed the file first: it keeps their version.
    Raced,
}

/// Atomically replaces `path` with `contents`, only if it holds `expected` (`None`: only
/// if it does not exist). On Linux the swap is exact: the new file is exchanged with the old
/// one (`renameat2` with `RENAME_EXCHANGE`), and if what came out is not what was expected,
/// another writer got in first and their version is swapped back. Elsewhere the file is
/// compared just before the rename.
pub fn replace_if_unchanged(
    path: &Path,
    contents: &[u8],
    expected: Option<&str>,
) -> Result<Replaced> {
    let temp = write_temp(path, contents)?;
    let context = || format!("writing {}", path.display());
    let dir = path.parent().unwrap_or(Path::new("."));
    let result = swap_in(&temp, path, contents, expected).and_then(|replaced| {
        sync_dir(dir)?;
        Ok(replaced)
    });
    let _ = fs::remove_file(&temp);
    result.map_err(|e| Error::io(context(), e))
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn swap_in(
    temp: &Path,
    path: &Path,
    ours: &[u8],
    expected: Option<&str>,
) -> std::io::Result<Replaced> {
    use nix::fcntl::{renameat2, RenameFlags, AT_FDCWD};
    let Some(expected) = expected else {
        return match renameat2(
            AT_FDCWD,
            temp,
            AT_FDCWD,
            path,
            RenameFlags::RENAME_NOREPLACE,
        ) {
            Ok(()) => Ok(Replaced::Done),
            Err(nix::errno::Errno::EEXIST) => Ok(Replaced::Raced),
            Err(e) => Err(e.into()),
        };
    };
    // Each exchange puts what `temp` holds in place and pulls out what was there. What comes
    // out should be what we believe is there; anything else was written meanwhile, is the
    // newest, and goes back in place with the next exchange.
    let mut believed: Vec<u8> = expected.as_bytes().to_vec();
    let mut placed: Vec<u8> = ours.to_vec();
    for round in 0..8 {
        match renameat2(AT_FDCWD, temp, AT_FDCWD, path, RenameFlags::RENAME_EXCHANGE) {
            Ok(()) => {}
            // The file went away meanwhile: nothing to put back; ours is not written.
            Err(nix::errno::Errno::ENOENT) => return Ok(Replaced::Raced),
            Err(e) => return Err(e.into()),
        }
        let pulled = fs::read(temp)?;
        if pulled == believed {
            return Ok(if round == 0 {
                Replaced::Done
            } else {
                Replaced::Raced
            });
        }
        believed = placed;
        placed = pulled;
    }
    Err(std::io::Error::other(
        "another program keeps rewriting this file",
    ))
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn swap_in(
    temp: &Path,
    path: &Path,
    _ours: &[u8],
    expected: Option<&str>,
) -> std::io::Result<Replaced> {
    let now = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if now.as_deref() != expected.map(str::as_bytes) {
        return Ok(Replaced::Raced);
    }
    fs::rename(temp, path)?;
    Ok(Replaced::Done)
}

/// A fsynced, private temp file beside `path` holding `contents`.
fn write_temp(path: &Path, contents: &[u8]) -> Result<std::path::PathBuf> {
    let dir = path.parent().ok_or_else(|| {
        Error::io(
            "writing a file",
            format!("{} has no parent folder", path.display()),
        )
    })?;
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let context = || format!("writing {}", path.display());
    remove_stale_temp_files(dir, &name);
    let mut attempt = 0u32;
    let (temp_path, mut file) = loop {
        let candidate = dir.join(format!(
            ".{name}.switchboard-{}-{attempt}.tmp",
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&candidate) {
            Ok(file) => break (candidate, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(Error::io(context(), e)),
        }
    };
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(temp_path),
        Err(e) => {
            let _ = fs::remove_file(&temp_path);
            Err(Error::io(context(), e))
        }
    }
}

/// Temp files of a writer that was killed mid-write: older than a minute (a live writer's
/// exists for milliseconds), they are litter beside the user's files.
fn remove_stale_temp_files(dir: &Path, name: &str) {
    let prefix = format!(".{name}.switchboard-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60));
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") && stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Deletes `path` if it exists, then fsyncs its folder.
pub fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("removing {}", path.display()), e)),
    }
    match path.parent() {
        Some(dir) => {
            sync_dir(dir).map_err(|e| Error::io(format!("removing {}", path.display()), e))
        }
        None => Ok(()),
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn replaces_the_file_with_private_modes_and_leaves_no_temp_file() {
        let root = tempfile::tempdir().expect("tmp");
        let path = root.path().join("new/dir/auth.json");
        write_atomic(&path, b"{\"a\":1}").expect("first write");
        write_atomic(&path, b"{\"a\":2}").expect("second write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "{\"a\":2}");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&root.path().join("new/dir")), 0o700);
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_becomes_private_even_if_it_was_not() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().expect("tmp");
        let path = root.path().join("settings.json");
        fs::write(&path, "{}").expect("seed");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&path, b"{}").expect("write");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn stale_temp_files_of_killed_writers_are_swept_and_fresh_ones_kept() {
        let root = tempfile::tempdir().expect("tmp");
        let path = root.path().join("auth.json");
        let stale = root.path().join(".auth.json.switchboard-999999-0.tmp");
        let fresh = root.path().join(".auth.json.switchboard-999998-0.tmp");
        let other = root.path().join(".config.toml.switchboard-999999-0.tmp");
        for p in [&stale, &fresh, &other] {
            fs::write(p, "x").expect("seed");
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
        for p in [&stale, &other] {
            fs::File::options()
                .write(true)
                .open(p)
                .expect("open")
                .set_modified(old)
                .expect("age");
        }
        write_atomic(&path, b"{}").expect("write");
        assert!(
            !stale.exists(),
            "a stale temp file of this target is removed"
        );
        assert!(fresh.exists(), "a live writer's temp file is left alone");
        assert!(
            other.exists(),
            "another file's temp files are not this write's business"
        );
    }

    #[test]
    fn a_checked_replace_swaps_in_only_over_what_was_expected() {
        let root = tempfile::tempdir().expect("tmp");
        let path = root.path().join("auth.json");
        assert_eq!(
            replace_if_unchanged(&path, b"ours-1", None).expect("create"),
            Replaced::Done
        );
        assert_eq!(fs::read(&path).expect("read"), b"ours-1");
        // Someone else wrote in between: theirs stays, ours is not written.
        fs::write(&path, b"theirs").expect("their write");
        assert_eq!(
            replace_if_unchanged(&path, b"ours-2", Some("ours-1")).expect("replace"),
            Replaced::Raced
        );
        assert_eq!(fs::read(&path).expect("read"), b"theirs");
        assert_eq!(
            replace_if_unchanged(&path, b"ours-3", None).expect("create over"),
            Replaced::Raced,
            "a file that appeared meanwhile is not overwritten"
        );
        assert_eq!(
            replace_if_unchanged(&path, b"ours-4", Some("theirs")).expect("replace"),
            Replaced::Done
        );
        assert_eq!(fs::read(&path).expect("read"), b"ours-4");
        fs::remove_file(&path).expect("rm");
        assert_eq!(
            replace_if_unchanged(&path, b"ours-5", Some("ours-4")).expect("gone"),
            Replaced::Raced
        );
        assert!(!path.exists());
        let litter: Vec<_> = fs::read_dir(root.path()).expect("ls").flatten().collect();
        assert!(litter.is_empty(), "no temp file left: {litter:?}");
    }

    #[test]
    fn removing_a_missing_file_is_fine() {
        let root = tempfile::tempdir().expect("tmp");
        remove_file(&root.path().join("absent")).expect("no error");
    }
}
