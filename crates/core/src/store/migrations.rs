//! Embedded, ordered schema migrations; `PRAGMA user_version` records how many have run.

use rusqlite::Connection;

use crate::error::Result;

/// Each entry moves the schema one version up. Never edit a released entry; append.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, the active account per provider, and the event log.
    "CREATE TABLE accounts (
        id            TEXT PRIMARY KEY,
        provider      TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('oauth', 'api_key', 'bedrock')),
        label         TEXT NOT NULL,
        email         TEXT,
        secret_hint   TEXT NOT NULL,
        endpoint_preset TEXT NOT NULL DEFAULT 'default',
        base_url      TEXT,
        api_version   TEXT,
        region        TEXT,
        model         TEXT,
        effort        TEXT,
        description   TEXT NOT NULL DEFAULT '',
        in_pool       INTEGER NOT NULL DEFAULT 0 CHECK (in_pool IN (0, 1)),
        status        TEXT NOT NULL DEFAULT 'ok',
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        CHECK (in_pool = 0 OR kind = 'oauth')
    );
    CREATE UNIQUE INDEX accounts_label ON accounts (provider, label COLLATE NOCASE);
    CREATE TABLE provider_state (
        provider          TEXT PRIMARY KEY,
        active_account_id TEXT REFERENCES accounts (id) ON DELETE SET NULL
    );
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        provider   TEXT NOT NULL,
        account_id TEXT,
        detail     TEXT NOT NULL DEFAULT ''
    );",
    // 2: the CLI files Switchboard has touched (their originals are backed up in the
    // keychain) and the keys it wrote to each, so clearing removes exactly those.
    "CREATE TABLE managed_files (
        path           TEXT PRIMARY KEY,
        provider       TEXT NOT NULL,
        existed_before INTEGER NOT NULL CHECK (existed_before IN (0, 1)),
        backed_up_at   INTEGER NOT NULL
    );
    CREATE TABLE written_keys (
        path TEXT NOT NULL REFERENCES managed_files (path) ON DELETE CASCADE,
        key  TEXT NOT NULL,
        PRIMARY KEY (path, key)
    );",
    // 3: what sign-in accounts know about themselves: the plan, and the provider's identity
    // record (Claude's oauthAccount, Codex's account id) that goes back into the CLI files.
    "ALTER TABLE accounts ADD COLUMN plan TEXT;
    ALTER TABLE accounts ADD COLUMN identity TEXT NOT NULL DEFAULT '{}';",
    // 4: where each provider's round-robin stands (the account "next" chose last).
    "ALTER TABLE provider_state ADD COLUMN pool_cursor TEXT;",
    // 5: the user's settings, one row each.
    "CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 6: the sign-in account whose tokens Switchboard last wrote into each CLI's files: a
    // token the CLI refreshes after a switch has no identity beside it, and is its.
    "ALTER TABLE provider_state ADD COLUMN last_login_account TEXT REFERENCES accounts (id) ON DELETE SET NULL;",
    // 7: keeping sign-ins alive: why an account needs attention (in words), when its access
    // token expires (metadata for the refresh timers, so planning reads no keychain), and
    // the backoff of a refresh that failed for a reason that may pass.
    "ALTER TABLE accounts ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
     ALTER TABLE accounts ADD COLUMN expires_at INTEGER;
     ALTER TABLE accounts ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE accounts ADD COLUMN retry_at INTEGER;",
    // 8: what happens when the active sign-in needs signing in again: nothing (NULL), the
    // next pool account ('pool'), or a chosen account ('account', gone with that account).
    "ALTER TABLE provider_state ADD COLUMN fallback_policy TEXT CHECK (fallback_policy IN ('pool', 'account'));
     ALTER TABLE provider_state ADD COLUMN fallback_account TEXT REFERENCES accounts (id) ON DELETE SET NULL;",
    // 9: when a sign-in's refresh token itself expires, where the provider says (Claude),
    // and when its tokens were last renewed, for a warning before a sign-in lapses.
    "ALTER TABLE accounts ADD COLUMN refresh_expires_at INTEGER;
     ALTER TABLE accounts ADD COLUMN refreshed_at INTEGER;",
    // 10: usage and limits: each account's last good reading (JSON of windows, metadata
    // only), the last failure and when to read again; samples of each window for the
    // history; and each provider's auto-switch threshold (NULL: off).
    "CREATE TABLE usage_state (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        limits     TEXT,
        fetched_at INTEGER,
        error      TEXT,
        failures   INTEGER NOT NULL DEFAULT 0,
        next_at    INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE usage_samples (
        account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        at           INTEGER NOT NULL,
        window_name  TEXT NOT NULL,
        used_percent REAL NOT NULL
    );
    CREATE INDEX usage_samples_by_account ON usage_samples (account_id, at);
    ALTER TABLE provider_state ADD COLUMN auto_switch_percent REAL;",
    // 11: a salted fingerprint of each key account's key (never the key), so finding which
    // account a key in a CLI's file belongs to reads no keychain; the salt is this
    // database's own.
    "ALTER TABLE accounts ADD COLUMN secret_fingerprint TEXT;
     CREATE INDEX accounts_by_fingerprint ON accounts (provider, secret_fingerprint);
     INSERT OR IGNORE INTO settings (key, value) VALUES ('fingerprint_salt', lower(hex(randomblob(32))));",
    // 12: which endpoints an account's credential was given to Switchboard with (a
    // fingerprint of the provider's SWITCHBOARD_ENDPOINTS overrides, `default` for none),
    // so a stored token or key is never sent where an override set later points.
    "ALTER TABLE accounts ADD COLUMN credential_endpoints TEXT;",
    // 13: which process logged an event, so a process follows the others' changes without
    // replaying its own (empty for events logged before).
    "ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT '';",
];

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let current: usize = conn
        .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))?
        .try_into()
        .unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(crate::error::Error::Storage(format!(
            "the database was written by a newer Switchboard (schema {current}, this build knows {}); update Switchboard",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_record_the_version() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        apply(&mut conn).expect("first");
        apply(&mut conn).expect("second run is a no-op");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        conn.pragma_update(None, "user_version", 99).expect("set");
        assert!(apply(&mut conn).is_err());
    }
}
