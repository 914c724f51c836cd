//! One lock per CLI file, shared by every Switchboard process (the window, the command line,
//! a deep link): whoever rewrites a file holds its lock from reading it to recording what it
//! wrote. Lock files live in the data dir (`locks/<hash of the path>.lock`), never beside the
//! CLI's file, and are taken in a fixed order so two processes cannot deadlock.

use std::fs::File;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::atomic::create_private_dir;
use crate::error::{Error, Result};

/// Held locks; dropping releases them.
pub struct FileLocks {
    _held: Vec<File>,
}

/// The lock file standing for `path` under `locks_dir`.
pub fn lock_path(locks_dir: &Path, path: &Path) -> PathBuf {
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    locks_dir.join(format!("{name}.lock"))
}

/// Waits for and takes the locks of every path in `paths`.
pub fn lock_files<'a>(
    locks_dir: &Path,
    paths: impl IntoIterator<Item = &'a Path>,
) -> Result<FileLocks> {
    create_private_dir(locks_dir)?;
    let mut lock_paths: Vec<PathBuf> = paths.into_iter().map(|p| lock_path(locks_dir, p)).collect();
    lock_paths.sort();
    lock_paths.dedup();
    let mut held = Vec::with_capacity(lock_paths.len());
    for lock in lock_paths {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| Error::io(format!("opening the lock {}", lock.display()), e))?;
        file.lock()
            .map_err(|e| Error::io(format!("taking the lock {}", lock.display()), e))?;
        held.push(file);
    }
    Ok(FileLocks { _held: held })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let a = Path::new("/h/.codex/auth.json");
        let b = Path::new("/h/.codex/config.toml");
        let first = lock_files(dir.path(), [a, b]).unwrap();
        let (tx, rx) = mpsc::channel();
        let locks = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let _second = lock_files(&locks, [b]).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "must wait"
        );
        drop(first);
        rx.recv_timeout(Duration::from_secs(5))
            .expect("gets the lock once released");
        waiter.join().unwrap();
    }

    #[test]
    fn each_path_has_its_own_lock_file() {
        let dir = Path::new("/locks");
        assert_ne!(
            lock_path(dir, Path::new("/h/a.json")),
            lock_path(dir, Path::new("/h/b.json"))
        );
        assert_eq!(
            lock_path(dir, Path::new("/h/a.json")),
            lock_path(dir, Path::new("/h/a.json"))
        );
    }
}
