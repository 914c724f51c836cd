//! The outbox: what this process tells its window and tray. A change is published only
//! because a transaction committed its event (this process's own, handed over by the
//! store's commit hook, or another process's, read from the event log), or because it is
//! explicitly local (a usage reading, which never travels). Each is published once, after
//! the action that made it has finished.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;

use super::Change;
use crate::error::Result;
use crate::store::{EventRecord, LoggedEvent, Store};

type Listener = Arc<dyn Fn(&Change) + Send + Sync>;

pub(super) struct Outbox {
    listeners: Mutex<Vec<Listener>>,
    /// Actions under way, per thread: how deeply nested, and what they committed so far.
    actions: Mutex<HashMap<ThreadId, Pending>>,
    /// What this process has seen of the database: its data version and the last event id
    /// it has accounted for.
    seen: Mutex<(i64, i64)>,
}

#[derive(Default)]
struct Pending {
    depth: usize,
    changes: Vec<Change>,
}

/// An action under way on this thread: the changes committed meanwhile are published when
/// the outermost one ends (dropped), so listeners see the action's result, never a part.
pub(super) struct Action<'a> {
    outbox: &'a Outbox,
}

impl Drop for Action<'_> {
    fn drop(&mut self) {
        let id = std::thread::current().id();
        let done = {
            let mut actions = lock(&self.outbox.actions);
            match actions.get_mut(&id) {
                Some(pending) if pending.depth > 1 => {
                    pending.depth -= 1;
                    None
                }
                Some(_) => actions.remove(&id).map(|p| p.changes),
                None => None,
            }
        };
        if let Some(changes) = done {
            self.outbox.deliver(&changes);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Outbox {
    /// An outbox for a store whose data version and newest event id are `seen`.
    pub(super) fn new(seen: (i64, i64)) -> Self {
        Self {
            listeners: Mutex::default(),
            actions: Mutex::default(),
            seen: Mutex::new(seen),
        }
    }

    pub(super) fn subscribe(&self, listener: Listener) {
        lock(&self.listeners).push(listener);
    }

    /// Starts an action on this thread (see [`Action`]).
    pub(super) fn action(&self) -> Action<'_> {
        lock(&self.actions)
            .entry(std::thread::current().id())
            .or_default()
            .depth += 1;
        Action { outbox: self }
    }

    /// The store's commit hook: `events` were just committed by this process. They are
    /// accounted as seen when nothing another process logged lies before them, and
    /// published now, or when this thread's action ends.
    pub(super) fn committed(&self, events: Vec<LoggedEvent>) {
        if let (Some(first), Some(last)) = (events.first(), events.last()) {
            let mut seen = lock(&self.seen);
            if first.id == seen.1 + 1 {
                seen.1 = last.id;
            }
        }
        self.publish(events.into_iter().map(Change::from).collect());
    }

    /// Publishes a change that is never logged, to this process only.
    pub(super) fn publish_local(&self, change: Change) {
        self.publish(vec![change]);
    }

    fn publish(&self, changes: Vec<Change>) {
        {
            let mut actions = lock(&self.actions);
            if let Some(pending) = actions.get_mut(&std::thread::current().id()) {
                pending.changes.extend(changes);
                return;
            }
        }
        self.deliver(&changes);
    }

    fn deliver(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        let listeners = lock(&self.listeners).clone();
        for change in changes {
            tracing::info!(
                kind = change.kind.as_str(),
                provider = change.provider.as_str(),
                account = change.account_id.as_deref(),
                "change"
            );
            for listener in &listeners {
                listener(change);
            }
        }
    }

    /// Publishes what other processes committed since the last call; never this process's
    /// own rows, which were published when they were committed. Returns how many.
    pub(super) fn follow(&self, store: &Store) -> Result<usize> {
        // Held throughout, so two threads following at once never publish a row twice (the
        // commit hook takes it only after the store's connection is released).
        let mut seen = lock(&self.seen);
        let version = store.data_version()?;
        if seen.0 == version {
            return Ok(0);
        }
        let (events, newest) = store.read(|tx| tx.others_events_after(seen.1))?;
        *seen = (version, seen.1.max(newest));
        drop(seen);
        let count = events.len();
        self.publish(events.into_iter().map(Change::from).collect());
        Ok(count)
    }
}

impl From<LoggedEvent> for Change {
    fn from(e: LoggedEvent) -> Self {
        Self {
            kind: e.kind,
            provider: e.provider,
            account_id: e.account_id,
        }
    }
}

impl From<EventRecord> for Change {
    fn from(e: EventRecord) -> Self {
        Self {
            kind: e.kind,
            provider: e.provider,
            account_id: e.account_id,
        }
    }
}
