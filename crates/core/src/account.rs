//! An account as the rest of the app sees it (metadata only — no secret field exists), and
//! the inputs that create or change one. Inputs may carry secrets, wrapped in `Sensitive`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::catalog::EndpointPreset;
use crate::catalog::{AccountKind, Effort, ProviderId};
use crate::secret::Sensitive;

/// Whether an account can be used right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Ok,
    NeedsSignIn,
    RefreshFailed,
    /// A key account whose key is gone from the keychain (deleted there, or a data dir
    /// copied to a machine without its keychain): it needs a new key.
    SecretMissing,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Ok => "ok",
            AccountStatus::NeedsSignIn => "needs_sign_in",
            AccountStatus::RefreshFailed => "refresh_failed",
            AccountStatus::SecretMissing => "secret_missing",
        }
    }

    /// Whether nothing is tried with the account (refreshed, read, fallen back to) until the
    /// user acts: signs in again, or gives it a new key.
    pub fn waits_for_user(self) -> bool {
        matches!(
            self,
            AccountStatus::NeedsSignIn | AccountStatus::SecretMissing
        )
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            AccountStatus::Ok,
            AccountStatus::NeedsSignIn,
            AccountStatus::RefreshFailed,
            AccountStatus::SecretMissing,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// What happens when a provider's active sign-in needs signing in again. Never silent: a
/// notification and the event log say what changed. Default: nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum Fallback {
    /// Nothing switches; the account waits for Reconnect.
    #[default]
    None,
    /// The next ready account of the round-robin pool becomes active.
    Pool,
    /// This account (an API key, say) becomes active.
    Account { account_id: String },
}

/// A key account's endpoint, normalised and validated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Endpoint {
    pub preset: EndpointPreset,
    pub base_url: Option<String>,
    pub api_version: Option<String>,
}

/// One account. There is no secret here: the UI gets `secret_hint`, a masked form.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Account {
    pub id: String,
    pub provider: ProviderId,
    pub kind: AccountKind,
    pub label: String,
    pub email: Option<String>,
    /// The subscription plan of a sign-in account ("max", "pro", ...).
    pub plan: Option<String>,
    /// A masked hint such as `sk-ant-…wxyz`.
    pub secret_hint: String,
    pub endpoint: Endpoint,
    /// AWS region (Bedrock accounts).
    pub region: Option<String>,
    pub model: Option<String>,
    pub effort: Option<Effort>,
    /// Free text, e.g. when a key is due for rotation.
    pub description: String,
    pub in_pool: bool,
    pub status: AccountStatus,
    /// Why the account needs attention, in words (empty when it is fine).
    pub status_reason: String,
    /// When a sign-in account's access token expires (Unix ms), as last seen.
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    /// When its refresh token expires (Unix ms), where the provider says (Claude).
    #[ts(type = "number | null")]
    pub refresh_expires_at: Option<i64>,
    /// When its tokens were last renewed (Unix ms).
    #[ts(type = "number | null")]
    pub refreshed_at: Option<i64>,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// How long before a refresh token's own expiry the window warns.
const EXPIRY_WARNING_MS: i64 = 3 * 24 * 3600 * 1000;
/// How long a sign-in may go unrenewed (refresh token expiry unknown) before a note.
const IDLE_NOTE_MS: i64 = 30 * 24 * 3600 * 1000;

impl Account {
    /// A sign-in that is about to lapse, in words, at `now` (Unix ms): a refresh token that
    /// expires within three days (where the provider says when), or one not renewed for
    /// thirty days (where it does not; such tokens die unused, Google's after six months).
    pub fn lapse_warning(&self, now: i64) -> Option<String> {
        if self.kind != crate::catalog::AccountKind::Oauth || self.status.waits_for_user() {
            return None;
        }
        let days = |ms: i64| (ms / (24 * 3600 * 1000)).max(0);
        if let Some(ends) = self.refresh_expires_at {
            let left = ends.saturating_sub(now);
            return match left {
                l if l <= 0 => Some("The sign-in has lapsed: Reconnect it.".to_owned()),
                l if l < EXPIRY_WARNING_MS => Some(match days(l) {
                    0 => "The sign-in lapses within a day unless it is refreshed.".to_owned(),
                    1 => "The sign-in lapses in 1 day unless it is refreshed.".to_owned(),
                    n => format!("The sign-in lapses in {n} days unless it is refreshed."),
                }),
                _ => None,
            };
        }
        let idle = now.saturating_sub(self.refreshed_at.unwrap_or(self.created_at));
        (idle > IDLE_NOTE_MS).then(|| {
            format!(
                "Not renewed for {} days: refresh it (`switchboard refresh`) to keep it alive.",
                days(idle)
            )
        })
    }

    /// A new account with a fresh id, no label yet, default settings and status `Ok`.
    pub fn new(provider: ProviderId, kind: AccountKind, secret_hint: String) -> Self {
        let now = crate::time::now_ms();
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            provider,
            kind,
            label: String::new(),
            email: None,
            plan: None,
            secret_hint,
            endpoint: Endpoint::default(),
            region: None,
            model: None,
            effort: None,
            description: String::new(),
            in_pool: false,
            status: AccountStatus::Ok,
            status_reason: String::new(),
            expires_at: None,
            refresh_expires_at: None,
            refreshed_at: Some(now),
            created_at: now,
            updated_at: now,
        }
    }
}

/// The secret part of a key account, as entered. Never serialised.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KeyCredential {
    /// A provider API key.
    ApiKey {
        #[ts(type = "string")]
        key: Sensitive<String>,
    },
    /// AWS access keys for Claude Code on Bedrock.
    BedrockAccessKeys {
        #[ts(type = "string")]
        access_key_id: Sensitive<String>,
        #[ts(type = "string")]
        secret_access_key: Sensitive<String>,
        region: String,
    },
    /// A Bedrock API key (`AWS_BEARER_TOKEN_BEDROCK`).
    BedrockApiKey {
        #[ts(type = "string")]
        api_key: Sensitive<String>,
        region: String,
    },
}

impl KeyCredential {
    pub fn kind(&self) -> AccountKind {
        match self {
            KeyCredential::ApiKey { .. } => AccountKind::ApiKey,
            KeyCredential::BedrockAccessKeys { .. } | KeyCredential::BedrockApiKey { .. } => {
                AccountKind::Bedrock
            }
        }
    }

    pub fn region(&self) -> Option<&str> {
        match self {
            KeyCredential::ApiKey { .. } => None,
            KeyCredential::BedrockAccessKeys { region, .. }
            | KeyCredential::BedrockApiKey { region, .. } => Some(region),
        }
    }
}

/// A custom endpoint as entered in the form.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct EndpointInput {
    pub preset: EndpointPreset,
    pub base_url: Option<String>,
    pub api_version: Option<String>,
}

/// Everything the "Add account" form sends for a key or Bedrock account.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewKeyAccount {
    pub provider: ProviderId,
    pub label: Option<String>,
    pub description: Option<String>,
    pub credential: KeyCredential,
    pub endpoint: Option<EndpointInput>,
    pub model: Option<String>,
    pub effort: Option<Effort>,
}

/// Settings of an account that can change after it was added.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AccountSettings {
    pub endpoint: Option<EndpointInput>,
    pub model: Option<String>,
    pub effort: Option<Effort>,
}

/// Everything the edit dialog saves at once: all of it, or (on any error) none of it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AccountEdit {
    pub label: String,
    pub description: String,
    pub settings: AccountSettings,
}

/// The result of adding or changing a key: the account and any non-fatal warnings
/// (an unusual key prefix, say).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Saved {
    pub account: Account,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod lapse_tests {
    use super::*;
    use crate::catalog::{AccountKind, ProviderId};

    const DAY: i64 = 24 * 3600 * 1000;

    fn sign_in(refresh_expires_at: Option<i64>, refreshed_at: Option<i64>) -> Account {
        Account {
            refresh_expires_at,
            refreshed_at,
            ..Account::new(ProviderId::Claude, AccountKind::Oauth, "hint".into())
        }
    }

    #[test]
    fn a_refresh_token_that_expires_soon_is_warned_about_days_ahead() {
        let now = 1_000 * DAY;
        assert_eq!(
            sign_in(Some(now + 2 * DAY + 5), Some(now))
                .lapse_warning(now)
                .as_deref(),
            Some("The sign-in lapses in 2 days unless it is refreshed.")
        );
        assert_eq!(
            sign_in(Some(now + 10 * DAY), Some(now)).lapse_warning(now),
            None
        );
        assert_eq!(
            sign_in(Some(now - 1), Some(now))
                .lapse_warning(now)
                .as_deref(),
            Some("The sign-in has lapsed: Reconnect it.")
        );
    }

    #[test]
    fn without_a_known_expiry_a_long_idle_sign_in_gets_a_note() {
        let now = 1_000 * DAY;
        assert_eq!(sign_in(None, Some(now - 29 * DAY)).lapse_warning(now), None);
        let note = sign_in(None, Some(now - 45 * DAY))
            .lapse_warning(now)
            .unwrap();
        assert!(note.starts_with("Not renewed for 45 days"), "{note}");
        let key = Account::new(ProviderId::Claude, AccountKind::ApiKey, "k".into());
        assert_eq!(
            key.lapse_warning(now + 400 * DAY),
            None,
            "keys do not lapse"
        );
    }
}
