//! Watching what changes outside this process: the CLIs' login files (when a CLI refreshes
//! its tokens, or someone signs in with the CLI itself, Switchboard takes the tokens back or
//! offers the new login) and the database (a switch made by the command line reaches the
//! window and tray). It polls every half second — modification times and SQLite's
//! data version — rather than relying on file-system notifications, which miss atomic
//! renames on some platforms and need folders that may not exist yet.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use crate::catalog::ProviderId;
use crate::providers;
use crate::Switchboard;

/// How often the login files are looked at.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Stops watching when dropped.
pub struct LoginWatcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &PathBuf) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl LoginWatcher {
    /// Starts watching. Logins changed while Switchboard was not running are looked at at once.
    pub fn start(board: Arc<Switchboard>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("login-watcher".into())
            .spawn(move || {
                let mut seen: HashMap<PathBuf, Stamp> = HashMap::new();
                let mut first = true;
                while !stopping.load(Ordering::Relaxed) {
                    for provider in ProviderId::ALL {
                        let mut changed = false;
                        for path in providers::get(provider).login_files(&board.config().cli_paths)
                        {
                            let now = stamp(&path);
                            if seen.insert(path, now) != Some(now) && (now.is_some() || !first) {
                                changed = true;
                            }
                        }
                        if changed {
                            if let Err(err) = board.take_back(provider) {
                                tracing::warn!(
                                    provider = provider.as_str(),
                                    "could not look at the CLI's login: {err}"
                                );
                            }
                        }
                    }
                    if let Err(err) = board.follow_other_processes() {
                        tracing::warn!("could not follow changes made by other processes: {err}");
                    }
                    first = false;
                    std::thread::sleep(POLL_INTERVAL);
                }
            })
            .ok();
        Self { stop, thread }
    }
}

impl Drop for LoginWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
