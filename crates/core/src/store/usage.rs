//! Queries on usage: each account's last reading and when to read it again, the samples
//! kept for the history, and each provider's auto-switch threshold. Metadata only.

use rusqlite::{params, OptionalExtension};

use super::Tx;
use crate::catalog::ProviderId;
use crate::error::Result;
use crate::limits::{Limits, UsageReading, UsageSample};

/// How long samples are kept (the history shows seven days).
pub const SAMPLES_KEPT_MS: i64 = 8 * 24 * 3600 * 1000;

/// Where an account's readings stand.
#[derive(Debug, Clone, Default)]
pub struct UsageState {
    pub reading: UsageReading,
    /// Failures in a row since the last good reading.
    pub failures: u32,
    /// When to read again (Unix ms).
    pub next_at: i64,
}

impl Tx<'_> {
    /// The account's usage state (a default one before the first reading).
    pub fn usage_state(&self, account_id: &str) -> Result<UsageState> {
        let row = self
            .conn()
            .query_row(
                "SELECT limits, fetched_at, error, failures, next_at FROM usage_state WHERE account_id = ?1",
                [account_id],
                |row| {
                    Ok((
                        row.get::<_, Option<String>>(0)?,
                        row.get::<_, Option<i64>>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((limits, fetched_at, error, failures, next_at)) = row else {
            return Ok(UsageState::default());
        };
        Ok(UsageState {
            reading: UsageReading {
                // A reading this build cannot parse (written by another version) is no reading.
                limits: limits.and_then(|text| serde_json::from_str::<Limits>(&text).ok()),
                fetched_at: fetched_at.map(crate::time::rfc3339),
                error,
            },
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
            next_at,
        })
    }

    /// A good reading at `at`: kept as the last one, with a sample of each window.
    pub fn record_usage(
        &self,
        account_id: &str,
        limits: &Limits,
        at: i64,
        next_at: i64,
    ) -> Result<()> {
        let json = serde_json::to_string(limits)
            .map_err(|e| crate::error::Error::Storage(e.to_string()))?;
        self.conn().execute(
            "INSERT INTO usage_state (account_id, limits, fetched_at, error, failures, next_at)
             VALUES (?1, ?2, ?3, NULL, 0, ?4)
             ON CONFLICT (account_id) DO UPDATE SET limits = excluded.limits,
               fetched_at = excluded.fetched_at, error = NULL, failures = 0, next_at = excluded.next_at",
            params![account_id, json, at, next_at],
        )?;
        let mut insert = self.conn().prepare_cached(
            "INSERT INTO usage_samples (account_id, at, window_name, used_percent) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for window in &limits.windows {
            insert.execute(params![account_id, at, window.name, window.used_percent])?;
        }
        self.conn().execute(
            "DELETE FROM usage_samples WHERE account_id = ?1 AND at < ?2",
            params![account_id, at - SAMPLES_KEPT_MS],
        )?;
        Ok(())
    }

    /// A failed reading: the last good one stays; `error` says why, in words.
    pub fn record_usage_failure(&self, account_id: &str, error: &str, next_at: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO usage_state (account_id, error, failures, next_at) VALUES (?1, ?2, 1, ?3)
             ON CONFLICT (account_id) DO UPDATE SET error = excluded.error,
               failures = failures + 1, next_at = excluded.next_at",
            params![account_id, error, next_at],
        )?;
        Ok(())
    }

    /// Puts the next reading off until `next_at` without counting a failure.
    pub fn defer_usage(&self, account_id: &str, next_at: i64) -> Result<()> {
        self.conn().execute(
            "INSERT INTO usage_state (account_id, next_at) VALUES (?1, ?2)
             ON CONFLICT (account_id) DO UPDATE SET next_at = excluded.next_at",
            params![account_id, next_at],
        )?;
        Ok(())
    }

    /// The samples of the account since `since` (Unix ms), oldest first.
    pub fn usage_samples(&self, account_id: &str, since: i64) -> Result<Vec<UsageSample>> {
        let mut query = self.conn().prepare_cached(
            "SELECT at, window_name, used_percent FROM usage_samples
             WHERE account_id = ?1 AND at >= ?2 ORDER BY at, rowid",
        )?;
        let rows = query.query_map(params![account_id, since], |row| {
            Ok(UsageSample {
                at: row.get(0)?,
                window: row.get(1)?,
                used_percent: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The provider's auto-switch threshold (percent), `None` when it is off.
    pub fn auto_switch(&self, provider: ProviderId) -> Result<Option<f64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT auto_switch_percent FROM provider_state WHERE provider = ?1",
                [provider.as_str()],
                |row| row.get::<_, Option<f64>>(0),
            )
            .optional()?
            .flatten())
    }

    pub fn set_auto_switch(&self, provider: ProviderId, percent: Option<f64>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO provider_state (provider, auto_switch_percent) VALUES (?1, ?2)
             ON CONFLICT (provider) DO UPDATE SET auto_switch_percent = excluded.auto_switch_percent",
            params![provider.as_str(), percent],
        )?;
        Ok(())
    }
}
