//! Reading usage and limits: one read-only request (two for Gemini) with the account's own
//! credential, never a refresh; and when to read again: every five minutes, sooner near a
//! limit, backing off after failures and as long as a provider's `Retry-After` asks.

use serde_json::Value;

use crate::account::Account;
use crate::check;
use crate::http::Http;
use crate::limits::{Limits, UsageFailure};
use crate::providers::{self, Fetch, Probe, UsageCredential};
use crate::signin::client::EndpointOverrides;
use crate::vault::AccountSecret;

/// How often an account is read.
pub const POLL_MS: i64 = 5 * 60 * 1000;
/// How often once a window is past [`NEAR_LIMIT_PERCENT`] (Claude's budget allows about 30
/// reads an hour, shared with Claude Code: this is well inside it).
pub const NEAR_LIMIT_POLL_MS: i64 = 3 * 60 * 1000;
pub const NEAR_LIMIT_PERCENT: f64 = 80.0;
/// The longest wait after failures in a row.
pub const MAX_BACKOFF_MS: i64 = 30 * 60 * 1000;
/// The least time between two readings of one account, even when the user asks.
pub const MIN_GAP_MS: i64 = 5 * 1000;

/// Reads `account`'s limits now; `None` when its provider reports none for it.
pub fn read(
    account: &Account,
    secret: &AccountSecret,
    overrides: &EndpointOverrides,
) -> Option<Result<Limits, UsageFailure>> {
    read_unbounded(account, secret, overrides).map(|read| read.map(Limits::bounded))
}

fn read_unbounded(
    account: &Account,
    secret: &AccountSecret,
    overrides: &EndpointOverrides,
) -> Option<Result<Limits, UsageFailure>> {
    let provider = providers::get(account.provider);
    let fetch = match Http::new(account.provider) {
        Ok(http) => HttpFetch(http),
        Err(err) => return Some(Err(UsageFailure::Unavailable(err.to_string()))),
    };
    match secret {
        AccountSecret::OAuthTokens(_) => {
            let tokens = secret.oauth_tokens()?;
            let client = overrides.apply(provider.oauth_client()?);
            let credential = UsageCredential::SignIn {
                tokens: &tokens,
                client: &client,
            };
            provider.read_limits(&credential, &fetch)
        }
        AccountSecret::ApiKey(key) => {
            let api_base = check::api_base(account, overrides);
            let credential = UsageCredential::Key {
                key: key.expose(),
                api_base: &api_base,
            };
            provider.read_limits(&credential, &fetch)
        }
        AccountSecret::BedrockAccessKeys { .. } | AccountSecret::BedrockApiKey(_) => None,
    }
}

/// When to read again after a good reading at `now`.
pub fn next_after_reading(limits: &Limits, now: i64) -> i64 {
    let near = limits
        .windows
        .iter()
        .any(|w| w.used_at(now) >= NEAR_LIMIT_PERCENT && !w.at_limit());
    now + if near { NEAR_LIMIT_POLL_MS } else { POLL_MS }
}

/// The wait after the `failures`-th failure in a row: the poll interval doubled per
/// failure, up to [`MAX_BACKOFF_MS`].
pub fn backoff_ms(failures: u32) -> i64 {
    POLL_MS
        .saturating_mul(1 << failures.saturating_sub(1).min(8))
        .min(MAX_BACKOFF_MS)
}

/// When to read again after the `failures`-th failure in a row at `now`: the poll interval
/// doubled per failure up to [`MAX_BACKOFF_MS`], and never before a `Retry-After`.
pub fn next_after_failure(failure: &UsageFailure, failures: u32, now: i64) -> i64 {
    let backoff = backoff_ms(failures);
    let asked = match failure {
        UsageFailure::RateLimited {
            retry_after_secs: Some(secs),
            ..
        } => i64::try_from(*secs)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000),
        _ => 0,
    };
    now.saturating_add(backoff.max(asked.min(24 * 3600 * 1000)))
}

/// [`Fetch`] over HTTP, under [`Http`]'s rules.
struct HttpFetch(Http);

impl Fetch for HttpFetch {
    fn fetch(&self, request: &Probe) -> Result<Value, UsageFailure> {
        let reply = check::send(&self.0, request, "reading usage")
            .map_err(|err| UsageFailure::Unavailable(err.to_string()))?;
        let host = check::host_of(request);
        match reply.status {
            200..=299 if reply.json.is_object() => Ok(reply.into_public_json()),
            200..=299 => Err(UsageFailure::Garbled { host }),
            401 | 403 => Err(UsageFailure::Refused {
                detail: reply.oauth_error().1,
                host,
                status: reply.status,
            }),
            429 => Err(UsageFailure::RateLimited {
                host,
                retry_after_secs: reply.retry_after,
            }),
            status => Err(UsageFailure::Unavailable(format!(
                "{host} answered HTTP {status}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::UsageWindow;

    #[test]
    fn readings_come_sooner_near_a_limit() {
        let now = 1_000_000;
        let calm = Limits {
            windows: vec![UsageWindow::new("5-hour", 40.0, None)],
            ..Limits::default()
        };
        assert_eq!(next_after_reading(&calm, now), now + POLL_MS);
        let near = Limits {
            windows: vec![UsageWindow::new("5-hour", 85.0, None)],
            ..Limits::default()
        };
        assert_eq!(next_after_reading(&near, now), now + NEAR_LIMIT_POLL_MS);
    }

    #[test]
    fn failures_back_off_to_a_cap_and_honour_retry_after() {
        let down = UsageFailure::Unavailable("down".into());
        assert_eq!(next_after_failure(&down, 1, 0), POLL_MS);
        assert_eq!(next_after_failure(&down, 2, 0), 2 * POLL_MS);
        assert_eq!(next_after_failure(&down, 40, 0), MAX_BACKOFF_MS);
        let limited = UsageFailure::RateLimited {
            host: "h".into(),
            retry_after_secs: Some(3600),
        };
        assert_eq!(next_after_failure(&limited, 1, 0), 3_600_000);
        let absurd = UsageFailure::RateLimited {
            host: "h".into(),
            retry_after_secs: Some(u64::MAX),
        };
        assert_eq!(next_after_failure(&absurd, 1, 0), 24 * 3600 * 1000);
    }
}
