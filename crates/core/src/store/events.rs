//! The event log: what happened to which account, when. Never a secret — details are labels.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::{corrupt, Tx};
use crate::catalog::ProviderId;
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    AccountAdded,
    AccountUpdated,
    SecretReplaced,
    AccountRemoved,
    ActiveChanged,
    PoolChanged,
    FilesRestored,
    /// A CLI refreshed a sign-in account's tokens; Switchboard took the new ones back.
    TokensTakenBack,
    /// A login no account knows appeared in a CLI's files (the user ran the CLI's own login).
    NewLoginFound,
    /// Switchboard refreshed a sign-in account's tokens.
    TokensRefreshed,
    /// A refresh was refused for good: the account needs signing in again.
    SignInNeeded,
    /// A sign-in account's refresh token was revoked at the provider (on removal).
    TokensRevoked,
    /// The active sign-in needed signing in again and the provider's fallback policy made
    /// another account active.
    FellBack,
    /// An account's usage was read (published to this process only, never logged).
    UsageRead,
    /// The active account crossed its provider's auto-switch threshold and another pool
    /// account with room became active; the detail is the notice.
    AutoSwitched,
}

impl EventKind {
    const ALL: [EventKind; 15] = [
        EventKind::AccountAdded,
        EventKind::AccountUpdated,
        EventKind::SecretReplaced,
        EventKind::AccountRemoved,
        EventKind::ActiveChanged,
        EventKind::PoolChanged,
        EventKind::FilesRestored,
        EventKind::TokensTakenBack,
        EventKind::NewLoginFound,
        EventKind::TokensRefreshed,
        EventKind::SignInNeeded,
        EventKind::TokensRevoked,
        EventKind::FellBack,
        EventKind::UsageRead,
        EventKind::AutoSwitched,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::AccountAdded => "account_added",
            EventKind::AccountUpdated => "account_updated",
            EventKind::SecretReplaced => "secret_replaced",
            EventKind::AccountRemoved => "account_removed",
            EventKind::ActiveChanged => "active_changed",
            EventKind::PoolChanged => "pool_changed",
            EventKind::FilesRestored => "files_restored",
            EventKind::TokensTakenBack => "tokens_taken_back",
            EventKind::NewLoginFound => "new_login_found",
            EventKind::TokensRefreshed => "tokens_refreshed",
            EventKind::SignInNeeded => "sign_in_needed",
            EventKind::TokensRevoked => "tokens_revoked",
            EventKind::FellBack => "fell_back",
            EventKind::UsageRead => "usage_read",
            EventKind::AutoSwitched => "auto_switched",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One line of the event log.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EventRecord {
    #[ts(type = "number")]
    pub at: i64,
    pub kind: EventKind,
    pub provider: ProviderId,
    pub account_id: Option<String>,
    pub detail: String,
}

/// An event a transaction logged, as its commit hook hears of it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    /// Its row in the event log.
    pub id: i64,
    pub kind: EventKind,
    pub provider: ProviderId,
    pub account_id: Option<String>,
}

impl Tx<'_> {
    /// Logs an event; once the transaction commits, it is published (see
    /// `Store::on_commit`). Refused inside `Store::read`.
    pub fn log_event(
        &self,
        kind: EventKind,
        provider: ProviderId,
        account_id: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        if self.read_only {
            return Err(crate::error::Error::Storage(
                "an event was logged outside a transaction".into(),
            ));
        }
        self.conn().execute(
            "INSERT INTO events (at, kind, provider, account_id, detail, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![self.now(), kind.as_str(), provider.as_str(), account_id, detail, self.origin()],
        )?;
        self.logged.borrow_mut().push(LoggedEvent {
            id: self.conn().last_insert_rowid(),
            kind,
            provider,
            account_id: account_id.map(str::to_owned),
        });
        Ok(())
    }

    /// Events other openings of the database (other processes) logged after the one with id
    /// `after`, oldest first, and the id of the newest event of all.
    pub fn others_events_after(&self, after: i64) -> Result<(Vec<EventRecord>, i64)> {
        let rows = self.select_events(
            "SELECT id, at, kind, provider, account_id, detail, origin FROM events WHERE id > ?1 ORDER BY id",
            after,
        )?;
        let last = rows.last().map_or(after, |(id, _, _)| *id);
        let others = rows
            .into_iter()
            .filter(|(_, _, origin)| origin != self.origin())
            .map(|(_, event, _)| event)
            .collect();
        Ok((others, last))
    }

    /// The newest `limit` events, newest first.
    pub fn recent_events(&self, limit: u32) -> Result<Vec<EventRecord>> {
        let rows = self.select_events(
            "SELECT id, at, kind, provider, account_id, detail, origin FROM events ORDER BY id DESC LIMIT ?1",
            i64::from(limit),
        )?;
        Ok(rows.into_iter().map(|(_, event, _)| event).collect())
    }

    pub fn last_event_id(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(id), 0) FROM events", [], |row| {
                row.get(0)
            })?)
    }

    /// Rows of `sql` (id, at, kind, provider, account_id, detail, origin) with their ids and
    /// origins.
    fn select_events(&self, sql: &str, param: i64) -> Result<Vec<(i64, EventRecord, String)>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([param], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (id, at, kind, provider, account_id, detail, origin) = row?;
            events.push((
                id,
                EventRecord {
                    at,
                    kind: EventKind::parse(&kind).ok_or_else(|| corrupt("events.kind", &kind))?,
                    provider: ProviderId::parse(&provider)
                        .ok_or_else(|| corrupt("events.provider", &provider))?,
                    account_id,
                    detail,
                },
                origin,
            ));
        }
        Ok(events)
    }
}
