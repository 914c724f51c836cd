//! The SQLite store: one file, WAL, foreign keys, embedded versioned migrations. Holds
//! metadata only — accounts, which account is active per provider, and an event log.

mod accounts;
mod events;
mod files;
mod migrations;
mod settings;
mod usage;

use std::cell::RefCell;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};

use rusqlite::{Connection, OpenFlags};

pub use events::{EventKind, EventRecord, LoggedEvent};
pub use files::ManagedFile;

use crate::error::{Error, Result};
use crate::time::Clock;

/// How long a writer waits for another process (the window vs the command line).
const BUSY_TIMEOUT_MS: u64 = 5_000;

pub struct Store {
    conn: Mutex<Connection>,
    /// This opening of the database, unique among processes and openings: the events it
    /// logs carry it, so it can tell its own from the others'.
    origin: String,
    /// Called with the events a transaction logged, once it has committed (never for one
    /// that rolled back), after the connection is released.
    on_commit: OnceLock<CommitHook>,
    /// What "now" is for the rows written (event times, statuses, managed files).
    clock: std::sync::Arc<dyn Clock>,
}

type CommitHook = Box<dyn Fn(Vec<LoggedEvent>) + Send + Sync>;

/// A name for one opening of the database: the process, a count, and the time.
fn new_origin() -> String {
    static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let count = OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}.{count}.{nanos}", std::process::id())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// The file is created 0600 before SQLite opens it, so its WAL and shared-memory files
    /// (which SQLite creates with the database's mode) are private too.
    pub fn open(path: &Path, clock: std::sync::Arc<dyn Clock>) -> Result<Self> {
        let mut create = std::fs::OpenOptions::new();
        create.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
        create
            .open(path)
            .map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            crate::files::make_private(Path::new(&file))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let mut conn = conn;
        migrations::apply(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            origin: new_origin(),
            on_commit: OnceLock::new(),
            clock,
        })
    }

    /// Sets what hears of the events each committed transaction logged (once per store; a
    /// second hook is refused).
    pub fn on_commit(&self, hook: impl Fn(Vec<LoggedEvent>) + Send + Sync + 'static) -> bool {
        self.on_commit.set(Box::new(hook)).is_ok()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to keep using.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in an immediate transaction: committed if it returns `Ok`, rolled back
    /// otherwise. The events it logged go to the commit hook once it has committed: the
    /// only way an event is published is by having been committed.
    pub fn transaction<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let (value, logged) = {
            let mut conn = self.lock();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let scope = Tx::new(&tx, &self.origin, &*self.clock, false);
            let value = f(&scope)?;
            let logged = scope.logged.take();
            tx.commit()?;
            (value, logged)
        };
        if !logged.is_empty() {
            if let Some(hook) = self.on_commit.get() {
                hook(logged);
            }
        }
        Ok(value)
    }

    /// Runs a read-only `f` (logging an event in it is a bug, refused).
    pub fn read<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        f(&Tx::new(&conn, &self.origin, &*self.clock, true))
    }

    /// Changes whenever another connection (another Switchboard process) commits.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .lock()
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }
}

/// A connection inside `Store::transaction` or `Store::read`; the queries hang off it.
pub struct Tx<'a> {
    conn: &'a Connection,
    /// The opening of the database this runs in (see `Store::origin`).
    origin: &'a str,
    /// The events logged so far, handed to the commit hook if the transaction commits.
    logged: RefCell<Vec<LoggedEvent>>,
    /// Inside `Store::read`: no event may be logged.
    read_only: bool,
    clock: &'a dyn Clock,
}

impl<'a> Tx<'a> {
    fn new(conn: &'a Connection, origin: &'a str, clock: &'a dyn Clock, read_only: bool) -> Self {
        Self {
            conn,
            origin,
            clock,
            logged: RefCell::default(),
            read_only,
        }
    }

    fn conn(&self) -> &Connection {
        self.conn
    }

    fn origin(&self) -> &str {
        self.origin
    }

    /// Now, by the store's clock.
    fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

fn corrupt(column: &str, value: &str) -> Error {
    Error::Storage(format!("unexpected value {value:?} in column {column}"))
}
