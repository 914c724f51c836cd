//! Queries on accounts and on the active account of each provider.

use rusqlite::{params, OptionalExtension, Row};

use super::{corrupt, Tx};
use crate::account::{Account, AccountStatus, Endpoint, EndpointPreset, Fallback};
use crate::catalog::{AccountKind, Effort, ProviderId};
use crate::error::{Error, Result};

/// What the refresher needs of a sign-in account, from SQLite alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshPlan {
    pub id: String,
    pub provider: ProviderId,
    /// When the access token expires (Unix ms), if known.
    pub expires_at: Option<i64>,
    /// Not before this (a backoff after a failure, or the gap after a refresh).
    pub retry_at: Option<i64>,
    /// When the tokens were last renewed.
    pub refreshed_at: Option<i64>,
    pub status: AccountStatus,
}

const COLUMNS: &str =
    "id, provider, kind, label, email, secret_hint, endpoint_preset, base_url, api_version, \
                       region, model, effort, description, in_pool, status, created_at, updated_at, plan, \
                       status_reason, expires_at, refresh_expires_at, refreshed_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Account>> {
    let text = |i: usize| row.get::<_, String>(i);
    let provider = text(1)?;
    let kind = text(2)?;
    let preset = text(6)?;
    let effort: Option<String> = row.get(11)?;
    let status = text(14)?;
    let parsed = (|| -> Result<Account> {
        Ok(Account {
            id: text(0)?,
            provider: ProviderId::parse(&provider).ok_or_else(|| corrupt("provider", &provider))?,
            kind: AccountKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
            label: text(3)?,
            email: row.get(4)?,
            secret_hint: text(5)?,
            endpoint: Endpoint {
                preset: EndpointPreset::parse(&preset)
                    .ok_or_else(|| corrupt("endpoint_preset", &preset))?,
                base_url: row.get(7)?,
                api_version: row.get(8)?,
            },
            region: row.get(9)?,
            model: row.get(10)?,
            effort: match effort {
                Some(e) => Some(Effort::parse(&e).ok_or_else(|| corrupt("effort", &e))?),
                None => None,
            },
            description: text(12)?,
            in_pool: row.get(13)?,
            status: AccountStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
            created_at: row.get(15)?,
            updated_at: row.get(16)?,
            plan: row.get(17)?,
            status_reason: text(18)?,
            expires_at: row.get(19)?,
            refresh_expires_at: row.get(20)?,
            refreshed_at: row.get(21)?,
        })
    })();
    Ok(parsed)
}

impl Tx<'_> {
    pub fn insert_account(&self, account: &Account) -> Result<()> {
        self.conn()
            .execute(
                &format!("INSERT INTO accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"),
                params![
                    account.id,
                    account.provider.as_str(),
                    account.kind.as_str(),
                    account.label,
                    account.email,
                    account.secret_hint,
                    account.endpoint.preset.as_str(),
                    account.endpoint.base_url,
                    account.endpoint.api_version,
                    account.region,
                    account.model,
                    account.effort.map(Effort::as_str),
                    account.description,
                    account.in_pool,
                    account.status.as_str(),
                    account.created_at,
                    account.updated_at,
                    account.plan,
                    account.status_reason,
                    account.expires_at,
                    account.refresh_expires_at,
                    account.refreshed_at,
                ],
            )
            .map_err(|e| label_conflict(e, &account.label))?;
        Ok(())
    }

    pub fn account(&self, id: &str) -> Result<Account> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()
            .map_err(Error::from)?
            .ok_or_else(|| Error::not_found("Account"))?
    }

    /// Every account, grouped by provider in catalog order, oldest first within a provider.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM accounts ORDER BY created_at, rowid"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        let mut accounts = Vec::new();
        for row in rows {
            accounts.push(row??);
        }
        accounts.sort_by_key(|a| a.provider);
        Ok(accounts)
    }

    pub fn label_taken(
        &self,
        provider: ProviderId,
        label: &str,
        except_id: Option<&str>,
    ) -> Result<bool> {
        let taken: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM accounts WHERE provider = ?1 AND label = ?2 COLLATE NOCASE AND id IS NOT ?3",
                params![provider.as_str(), label, except_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(taken.is_some())
    }

    /// Writes every mutable field of `account` back and bumps `updated_at`.
    pub fn update_account(&self, account: &Account) -> Result<Account> {
        let changed = self
            .conn()
            .execute(
                "UPDATE accounts SET label = ?2, email = ?3, secret_hint = ?4, endpoint_preset = ?5, base_url = ?6,
                        api_version = ?7, region = ?8, model = ?9, effort = ?10, description = ?11, in_pool = ?12,
                        status = ?13, updated_at = ?14, plan = ?15
                 WHERE id = ?1",
                params![
                    account.id,
                    account.label,
                    account.email,
                    account.secret_hint,
                    account.endpoint.preset.as_str(),
                    account.endpoint.base_url,
                    account.endpoint.api_version,
                    account.region,
                    account.model,
                    account.effort.map(Effort::as_str),
                    account.description,
                    account.in_pool,
                    account.status.as_str(),
                    self.now().max(account.updated_at),
                    account.plan,
                ],
            )
            .map_err(|e| label_conflict(e, &account.label))?;
        if changed == 0 {
            return Err(Error::not_found("Account"));
        }
        self.account(&account.id)
    }

    /// Records tokens that work: their dates, no failure, no reason; with `renewed`, they
    /// are new (a refresh, a take-back, a sign-in) rather than only looked at.
    pub fn record_tokens_fresh(
        &self,
        id: &str,
        dates: &crate::lifecycle::TokenDates,
        renewed: bool,
    ) -> Result<()> {
        let now = self.now();
        // Renewed tokens are not refreshed again within the minimum gap.
        let not_before = renewed.then_some(now + crate::lifecycle::MIN_REFRESH_GAP_MS);
        self.conn().execute(
            "UPDATE accounts SET status = 'ok', status_reason = '', expires_at = ?2,
                    refresh_expires_at = ?3, refresh_failures = 0, retry_at = ?6,
                    refreshed_at = CASE WHEN ?5 THEN ?4 ELSE refreshed_at END, updated_at = ?4
             WHERE id = ?1",
            params![
                id,
                dates.expires_at,
                dates.refresh_expires_at,
                now,
                renewed,
                not_before
            ],
        )?;
        Ok(())
    }

    /// The endpoints an account's credential came with (see migration 12); `None` for an
    /// account kept before they were recorded.
    pub fn credential_endpoints(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT credential_endpoints FROM accounts WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn set_credential_endpoints(&self, id: &str, endpoints: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET credential_endpoints = ?2 WHERE id = ?1",
            params![id, endpoints],
        )?;
        Ok(())
    }

    /// Sets an account's status and its reason in words, as they are (no failure counted).
    pub fn set_status(&self, id: &str, status: AccountStatus, reason: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET status = ?2, status_reason = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, status.as_str(), reason, self.now()],
        )?;
        Ok(())
    }

    /// Puts a sign-in's next refresh off until `at` (a command runs as it meanwhile).
    pub fn defer_refresh(&self, id: &str, at: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET retry_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    /// Records a refresh that failed: `status` (needs sign-in, or failed for now), the
    /// reason in words, and when to try again (`None`: not until the user signs in).
    pub fn record_refresh_failure(
        &self,
        id: &str,
        status: AccountStatus,
        reason: &str,
        retry_at: Option<i64>,
    ) -> Result<u32> {
        self.conn().execute(
            "UPDATE accounts SET status = ?2, status_reason = ?3, retry_at = ?4,
                    refresh_failures = refresh_failures + 1, updated_at = ?5
             WHERE id = ?1",
            params![id, status.as_str(), reason, retry_at, self.now()],
        )?;
        self.refresh_failures(id)
    }

    /// How many refreshes of this account failed in a row.
    pub fn refresh_failures(&self, id: &str) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT refresh_failures FROM accounts WHERE id = ?1",
            params![id],
            |row| row.get(0),
        )?)
    }

    /// Every sign-in account's refresh plan: id, expiry, retry time and status.
    pub fn refresh_plans(&self) -> Result<Vec<RefreshPlan>> {
        let mut statement = self.conn().prepare(
            "SELECT id, provider, expires_at, retry_at, status, refreshed_at FROM accounts WHERE kind = 'oauth'",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<i64>>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<i64>>(5)?,
            ))
        })?;
        let mut plans = Vec::new();
        for row in rows {
            let (id, provider, expires_at, retry_at, status, refreshed_at) = row?;
            plans.push(RefreshPlan {
                provider: ProviderId::parse(&provider)
                    .ok_or_else(|| corrupt("provider", &provider))?,
                status: AccountStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                id,
                expires_at,
                retry_at,
                refreshed_at,
            });
        }
        Ok(plans)
    }

    /// The provider's own identity record of a sign-in account (not secret), `{}` if none.
    pub fn account_identity(&self, id: &str) -> Result<serde_json::Value> {
        let text: String = self
            .conn()
            .query_row("SELECT identity FROM accounts WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::not_found("Account"))?;
        serde_json::from_str(&text).map_err(|_| corrupt("accounts.identity", &text))
    }

    pub fn set_account_identity(&self, id: &str, identity: &serde_json::Value) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET identity = ?2 WHERE id = ?1",
            params![id, identity.to_string()],
        )?;
        Ok(())
    }

    pub fn delete_account(&self, id: &str) -> Result<()> {
        if self
            .conn()
            .execute("DELETE FROM accounts WHERE id = ?1", [id])?
            == 0
        {
            return Err(Error::not_found("Account"));
        }
        Ok(())
    }

    /// The salt of this database's secret fingerprints.
    pub fn fingerprint_salt(&self) -> Result<String> {
        self.setting("fingerprint_salt")?
            .ok_or_else(|| Error::Storage("the database has no fingerprint salt".into()))
    }

    pub fn set_secret_fingerprint(&self, id: &str, fingerprint: Option<&str>) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET secret_fingerprint = ?2 WHERE id = ?1",
            params![id, fingerprint],
        )?;
        Ok(())
    }

    /// The ids of `provider`'s accounts whose secret has this fingerprint.
    pub fn accounts_by_fingerprint(
        &self,
        provider: ProviderId,
        fingerprint: &str,
    ) -> Result<Vec<String>> {
        let mut query = self.conn().prepare_cached(
            "SELECT id FROM accounts WHERE provider = ?1 AND secret_fingerprint = ?2",
        )?;
        let ids = query.query_map(params![provider.as_str(), fingerprint], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// The ids of `provider`'s key accounts of `kind` with no fingerprint yet (added before
    /// fingerprints were kept).
    pub fn accounts_without_fingerprint(
        &self,
        provider: ProviderId,
        kind: AccountKind,
    ) -> Result<Vec<String>> {
        let mut query = self.conn().prepare_cached(
            "SELECT id FROM accounts WHERE provider = ?1 AND kind = ?2 AND secret_fingerprint IS NULL",
        )?;
        let ids = query.query_map(params![provider.as_str(), kind.as_str()], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// The active account of `provider`, if any.
    pub fn active_account_id(&self, provider: ProviderId) -> Result<Option<String>> {
        self.provider_state(provider, StateColumn::ActiveAccount)
    }

    pub fn set_active_account_id(&self, provider: ProviderId, id: Option<&str>) -> Result<()> {
        self.set_provider_state(provider, StateColumn::ActiveAccount, id)
    }

    /// The account round-robin chose last for `provider`.
    pub fn pool_cursor(&self, provider: ProviderId) -> Result<Option<String>> {
        self.provider_state(provider, StateColumn::PoolCursor)
    }

    pub fn set_pool_cursor(&self, provider: ProviderId, id: &str) -> Result<()> {
        self.set_provider_state(provider, StateColumn::PoolCursor, Some(id))
    }

    /// The sign-in account whose tokens were last written into `provider`'s CLI files.
    pub fn last_login_account(&self, provider: ProviderId) -> Result<Option<String>> {
        self.provider_state(provider, StateColumn::LastLogin)
    }

    pub fn set_last_login_account(&self, provider: ProviderId, id: &str) -> Result<()> {
        self.set_provider_state(provider, StateColumn::LastLogin, Some(id))
    }

    /// What happens when the provider's active sign-in needs signing in again.
    pub fn fallback(&self, provider: ProviderId) -> Result<Fallback> {
        let policy = self.provider_state(provider, StateColumn::FallbackPolicy)?;
        let account = self.provider_state(provider, StateColumn::FallbackAccount)?;
        Ok(match (policy.as_deref(), account) {
            (Some("pool"), _) => Fallback::Pool,
            // The chosen account was removed: nothing to fall back to.
            (Some("account"), Some(id)) => Fallback::Account { account_id: id },
            _ => Fallback::None,
        })
    }

    pub fn set_fallback(&self, provider: ProviderId, fallback: &Fallback) -> Result<()> {
        let (policy, account) = match fallback {
            Fallback::None => (None, None),
            Fallback::Pool => (Some("pool"), None),
            Fallback::Account { account_id } => (Some("account"), Some(account_id.as_str())),
        };
        self.set_provider_state(provider, StateColumn::FallbackPolicy, policy)?;
        self.set_provider_state(provider, StateColumn::FallbackAccount, account)
    }

    fn provider_state(&self, provider: ProviderId, column: StateColumn) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {} FROM provider_state WHERE provider = ?1",
                    column.name()
                ),
                [provider.as_str()],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    fn set_provider_state(
        &self,
        provider: ProviderId,
        column: StateColumn,
        id: Option<&str>,
    ) -> Result<()> {
        let name = column.name();
        self.conn().execute(
            &format!(
                "INSERT INTO provider_state (provider, {name}) VALUES (?1, ?2)
                 ON CONFLICT (provider) DO UPDATE SET {name} = excluded.{name}"
            ),
            params![provider.as_str(), id],
        )?;
        Ok(())
    }
}

/// The per-provider account references kept in `provider_state`.
#[derive(Clone, Copy)]
enum StateColumn {
    ActiveAccount,
    PoolCursor,
    LastLogin,
    FallbackPolicy,
    FallbackAccount,
}

impl StateColumn {
    fn name(self) -> &'static str {
        match self {
            StateColumn::ActiveAccount => "active_account_id",
            StateColumn::PoolCursor => "pool_cursor",
            StateColumn::LastLogin => "last_login_account",
            StateColumn::FallbackPolicy => "fallback_policy",
            StateColumn::FallbackAccount => "fallback_account",
        }
    }
}

fn label_conflict(err: rusqlite::Error, label: &str) -> Error {
    match &err {
        rusqlite::Error::SqliteFailure(e, Some(msg))
            if e.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.contains("accounts.label") =>
        {
            Error::Conflict(format!(
                "Another account of this provider is already labelled \u{201c}{label}\u{201d}."
            ))
        }
        _ => Error::from(err),
    }
}
