//! Watching what changes outside this process: the CLIs' login files (when a CLI refreshes
//! its tokens, or someone signs in with the CLI itself, Switchboard takes the tokens back or
//! offers the new login) and the database (a switch made by the command line reaches the
//! window and tray).
//!
//! The OS says when something changed (inotify on Linux, FSEvents on macOS,
//! ReadDirectoryChangesW on Windows), so the thread sleeps until then. It watches the
//! folders, not the files: a CLI writes a temporary file and renames it over its login file,
//! which a watch on the file itself would lose. A folder that does not exist yet is stood for
//! by its nearest existing parent until it appears. What a change means is still decided by
//! comparing each file's modification time and size, and SQLite's data version, so a
//! notification for something else costs one look and does nothing. Where notifications
//! cannot be had (no inotify instance left, say), it polls every half second.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::catalog::ProviderId;
use crate::providers;
use crate::Switchboard;

/// How often the files are looked at when the OS cannot notify.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Changes that come together (a write, then a rename; a file and its folder) are looked at
/// once: the watcher waits this long after the first for the rest.
const SETTLE: Duration = Duration::from_millis(30);

/// Stops watching when dropped.
pub struct LoginWatcher {
    wake: Sender<Wake>,
    thread: Option<JoinHandle<()>>,
}

enum Wake {
    /// Something changed under `0` (a login file, a folder on the way to one, the database).
    Changed(Vec<PathBuf>),
    Stop,
}

type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// What is watched, and what a notification must touch to matter.
struct Targets {
    /// Every provider's login files.
    logins: Vec<(ProviderId, Vec<PathBuf>)>,
    /// The database folder; its files whose name starts with the database's matter.
    data_dir: PathBuf,
    database_name: String,
}

impl Targets {
    fn of(board: &Switchboard) -> Self {
        let config = board.config();
        let database = config.database_path();
        Self {
            logins: ProviderId::ALL
                .into_iter()
                .map(|p| (p, providers::get(p).login_files(&config.cli_paths)))
                .collect(),
            data_dir: config.data_dir.clone(),
            database_name: database
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// The folders to watch: each login file's folder, or its nearest existing parent while
    /// it does not exist, and the database's folder.
    fn folders(&self) -> BTreeSet<PathBuf> {
        let mut folders: BTreeSet<PathBuf> = self
            .logins
            .iter()
            .flat_map(|(_, files)| files)
            .filter_map(|file| nearest_existing(file.parent()?))
            .collect();
        folders.insert(self.data_dir.clone());
        folders
    }

    /// Whether a change at `path` can matter: a login file, a folder on the way to one, or
    /// one of the database's files.
    fn matters(&self, path: &Path) -> bool {
        let in_data_dir = path.parent() == Some(self.data_dir.as_path())
            && path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&self.database_name));
        in_data_dir
            || self
                .logins
                .iter()
                .flat_map(|(_, files)| files)
                .any(|file| file.starts_with(path))
    }
}

fn nearest_existing(folder: &Path) -> Option<PathBuf> {
    folder
        .ancestors()
        .find(|f| f.is_dir())
        .map(Path::to_path_buf)
}

/// The OS's notifications, on the folders of [`Targets::folders`].
struct Notifications {
    watcher: RecommendedWatcher,
    watched: BTreeSet<PathBuf>,
}

impl Notifications {
    fn start(wake: Sender<Wake>) -> Option<Self> {
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            match event {
                Ok(event) => {
                    let _ = wake.send(Wake::Changed(event.paths));
                }
                // The OS dropped events (its queue overflowed): everything is looked at.
                Err(_) => {
                    let _ = wake.send(Wake::Changed(Vec::new()));
                }
            }
        });
        match watcher {
            Ok(watcher) => Some(Self {
                watcher,
                watched: BTreeSet::new(),
            }),
            Err(err) => {
                tracing::warn!(
                    "no file-change notifications ({err}); looking at the login files every {} ms",
                    POLL_INTERVAL.as_millis()
                );
                None
            }
        }
    }

    /// Watches `folders` and stops watching the rest. A folder that cannot be watched is
    /// logged and left out; its files are still looked at after any other change.
    fn watch(&mut self, folders: BTreeSet<PathBuf>) {
        for gone in self.watched.difference(&folders) {
            let _ = self.watcher.unwatch(gone);
        }
        for new in folders.difference(&self.watched) {
            if let Err(err) = self.watcher.watch(new, RecursiveMode::NonRecursive) {
                tracing::warn!(folder = %new.display(), "cannot watch a folder: {err}");
            }
        }
        self.watched = folders;
    }
}

/// The watching thread's state: what each login file looked like when last seen.
struct Looker {
    board: std::sync::Arc<Switchboard>,
    targets: Targets,
    seen: HashMap<PathBuf, Stamp>,
    first: bool,
}

impl Looker {
    /// Takes back the logins whose files changed, and publishes what other processes wrote
    /// to the database.
    fn look(&mut self) {
        for (provider, files) in &self.targets.logins {
            let mut changed = false;
            for path in files {
                let now = stamp(path);
                if self.seen.insert(path.clone(), now) != Some(now)
                    && (now.is_some() || !self.first)
                {
                    changed = true;
                }
            }
            if changed {
                if let Err(err) = self.board.take_back(*provider) {
                    tracing::warn!(
                        provider = provider.as_str(),
                        "could not look at the CLI's login: {err}"
                    );
                }
            }
        }
        if let Err(err) = self.board.follow_other_processes() {
            tracing::warn!("could not follow changes made by other processes: {err}");
        }
        self.first = false;
    }
}

impl LoginWatcher {
    /// Starts watching. Logins changed while Switchboard was not running are looked at at
    /// once. The folders are watched before this returns, so a change made after it is seen.
    pub fn start(board: std::sync::Arc<Switchboard>) -> Self {
        let (wake, woken) = mpsc::channel();
        let targets = Targets::of(&board);
        let mut notifications = Notifications::start(wake.clone());
        if let Some(notifications) = notifications.as_mut() {
            notifications.watch(targets.folders());
        }
        let looker = Looker {
            board,
            targets,
            seen: HashMap::new(),
            first: true,
        };
        let thread = std::thread::Builder::new()
            .name("login-watcher".into())
            .spawn(move || watch(looker, notifications, &woken))
            .ok();
        Self { wake, thread }
    }
}

/// Looks, then sleeps until a change that matters (or the poll interval without
/// notifications), until told to stop.
fn watch(mut looker: Looker, mut notifications: Option<Notifications>, woken: &Receiver<Wake>) {
    loop {
        looker.look();
        // Wait for a change that matters.
        loop {
            let wake = match notifications {
                Some(_) => woken.recv().map_err(|_| RecvTimeoutError::Disconnected),
                None => woken.recv_timeout(POLL_INTERVAL),
            };
            match wake {
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
                Ok(Wake::Changed(paths)) => {
                    if paths.is_empty() || paths.iter().any(|p| looker.targets.matters(p)) {
                        break;
                    }
                }
            }
        }
        // Let the rest of a burst arrive, then follow folders that appeared or went before
        // looking (a file renamed into a new folder before its watch existed is still seen).
        std::thread::sleep(SETTLE);
        while let Ok(wake) = woken.try_recv() {
            if matches!(wake, Wake::Stop) {
                return;
            }
        }
        if let Some(notifications) = notifications.as_mut() {
            notifications.watch(looker.targets.folders());
        }
    }
}

impl Drop for LoginWatcher {
    fn drop(&mut self) {
        let _ = self.wake.send(Wake::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(home: &Path) -> Targets {
        Targets {
            logins: vec![(
                ProviderId::Codex,
                vec![home.join(".codex").join("auth.json")],
            )],
            data_dir: home.join("data"),
            database_name: "switchboard.sqlite3".into(),
        }
    }

    #[test]
    fn a_folder_that_does_not_exist_yet_is_stood_for_by_its_parent() {
        let home = tempfile::tempdir().expect("home");
        std::fs::create_dir(home.path().join("data")).expect("data");
        let targets = targets(home.path());
        assert_eq!(
            targets.folders(),
            BTreeSet::from([home.path().to_path_buf(), home.path().join("data")])
        );
        std::fs::create_dir(home.path().join(".codex")).expect("codex");
        assert_eq!(
            targets.folders(),
            BTreeSet::from([home.path().join(".codex"), home.path().join("data")])
        );
    }

    #[test]
    fn only_login_files_their_folders_and_the_database_matter() {
        let home = Path::new("/home/ada");
        let targets = targets(home);
        for path in [
            "/home/ada/.codex/auth.json",
            "/home/ada/.codex",
            "/home/ada/data/switchboard.sqlite3",
            "/home/ada/data/switchboard.sqlite3-wal",
        ] {
            assert!(targets.matters(Path::new(path)), "{path} should matter");
        }
        for path in [
            "/home/ada/.bash_history",
            "/home/ada/.codex/history.jsonl",
            "/home/ada/.codex/auth.json.tmp",
            "/home/ada/data/logs",
            "/home/ada/data/other.sqlite3",
        ] {
            assert!(
                !targets.matters(Path::new(path)),
                "{path} should not matter"
            );
        }
    }
}
