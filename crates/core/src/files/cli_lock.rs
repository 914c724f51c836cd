//! A CLI's own lock on its credential file, taken the way the CLI takes it, so Switchboard
//! never rewrites the file while the CLI refreshes it. Grok Build serialises every change to
//! `~/.grok/auth.json` through `auth.json.lock`: an exclusive `flock` whose holder writes
//! `PID:unix-seconds` into it (and rewrites it every 5 s); a holder that is dead, or silent
//! for 60 s, is broken by unlinking the file (grok-build `auth/manager/lock.rs`). Switchboard
//! holds it for one read-and-write, well under that.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long to wait for a CLI that holds its lock (a refresh takes seconds).
const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

/// A held CLI lock; dropping it lets go.
pub struct CliLock {
    _file: File,
}

/// Takes the CLI's lock at `path`, waiting while the CLI holds it. `None` when the CLI's
/// dir does not exist (no CLI can be using it).
pub fn lock_cli_file(path: &Path) -> Result<Option<CliLock>> {
    if !path.parent().is_some_and(Path::is_dir) {
        return Ok(None);
    }
    let io = |e: std::io::Error| Error::io(format!("taking the lock {}", path.display()), e);
    let deadline = Instant::now() + WAIT;
    loop {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // Never through a symbolic link: one planted in the CLI's dir would make Switchboard
        // truncate whatever file it points at.
        #[cfg(unix)]
        {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
        }
        let mut file = options.open(path).map_err(|e| not_followed(path, e))?;
        if !file.metadata().map_err(io)?.is_file() {
            return Err(Error::NotAllowed(format!(
                "{} is not a regular file; Switchboard takes no lock through it.",
                path.display()
            )));
        }
        match file.try_lock() {
            Ok(()) => {
                // A holder judged stale is broken by unlinking the file: a lock on an
                // unlinked file protects nothing, so take the new one.
                if !same_file(&file, path) {
                    continue;
                }
                write_holder(&mut file).map_err(io)?;
                return Ok(Some(CliLock { _file: file }));
            }
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(POLL);
            }
            Err(TryLockError::WouldBlock) => {
                return Err(Error::Conflict(format!(
                    "{} has been held by the CLI for {} s; nothing was written. Try again.",
                    path.display(),
                    WAIT.as_secs()
                )))
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// The error of opening the lock file: a symbolic link is refused in words.
fn not_followed(path: &Path, err: std::io::Error) -> Error {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return Error::NotAllowed(format!(
            "{} is a symbolic link; Switchboard takes no lock through one (remove it: the CLI makes a new one).",
            path.display()
        ));
    }
    Error::io(format!("taking the lock {}", path.display()), err)
}

/// `PID:unix-seconds`, as the CLI's own holders write it.
fn write_holder(file: &mut File) -> std::io::Result<()> {
    let seconds = crate::time::now_ms() / 1000;
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    write!(file, "{}:{seconds}", std::process::id())?;
    file.sync_all()
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.ino() == named.ino() && open.dev() == named.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The security review of 2026-12-07, L9.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_lock_file_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious.txt");
        std::fs::write(&target, "the user's own file").unwrap();
        let path = dir.path().join("auth.json.lock");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let err = lock_cli_file(&path).err().expect("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "the user's own file"
        );
    }

    #[test]
    fn waits_for_the_cli_and_leaves_its_own_pid_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth.json.lock");
        let held = File::create(&path).unwrap();
        held.lock().unwrap();
        let (tx, rx) = mpsc::channel();
        let waiting = path.clone();
        let waiter = std::thread::spawn(move || {
            let lock = lock_cli_file(&waiting).unwrap();
            tx.send(()).unwrap();
            drop(lock);
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "must wait"
        );
        drop(held);
        rx.recv_timeout(Duration::from_secs(5))
            .expect("gets it once released");
        waiter.join().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let (pid, seconds) = text.split_once(':').expect("PID:seconds");
        assert_eq!(pid, std::process::id().to_string());
        let seconds: i64 = seconds.parse().unwrap();
        assert!(
            (seconds - crate::time::now_ms() / 1000).abs() < 60,
            "{text}"
        );
    }

    #[test]
    fn no_dir_no_lock() {
        let dir = tempfile::tempdir().unwrap();
        assert!(lock_cli_file(&dir.path().join("absent/auth.json.lock"))
            .unwrap()
            .is_none());
        assert!(!dir.path().join("absent").exists());
    }
}
