//! Keeping sign-ins alive: when an account's tokens are due for a refresh, what a failed
//! refresh or revocation means (sign in again, or try later), and the backoff between tries.
//! The requests themselves are in [`requests`]; the facade runs them under one lock per account.

pub mod requests;

use crate::http::Reply;

/// What the database keeps of a sign-in's tokens (dates only, never a token).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenDates {
    /// When the access token expires (Unix ms).
    pub expires_at: Option<i64>,
    /// When the refresh token itself expires (Unix ms), where the provider says.
    pub refresh_expires_at: Option<i64>,
}

impl TokenDates {
    /// The dates in `provider`'s stored tokens.
    pub fn of(provider: crate::catalog::ProviderId, tokens: &serde_json::Value) -> Self {
        let source = crate::providers::get(provider);
        Self {
            expires_at: source.expires_at(tokens),
            refresh_expires_at: source.refresh_token_expires_at(tokens),
        }
    }
}

/// Why a refresh or revocation did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The provider refused the refresh token for good: only a new sign-in helps.
    NeedsSignIn(String),
    /// The provider could not be reached, or answered 5xx or 429: try again later.
    Offline(String),
    /// The provider answered with another error (kept, tried again later).
    Provider(String),
    /// Switchboard's own configuration is wrong (an endpoint that is not a URL).
    Config(String),
}

/// OAuth error codes that mean the refresh token is dead (RFC 6749 `invalid_grant`, and
/// OpenAI's `refresh_token_*` codes; USAGE-AND-LIFECYCLE §2).
const TERMINAL_CODES: [&str; 4] = [
    "invalid_grant",
    "refresh_token_expired",
    "refresh_token_reused",
    "refresh_token_invalidated",
];

impl Failure {
    /// What a provider's error answer means. The reason is in words and never quotes more
    /// than the provider's `error` fields (cleaned by [`Reply::oauth_error`]).
    pub fn from_reply(reply: &Reply) -> Self {
        let (code, detail) = reply.oauth_error();
        if reply.status == 429 || reply.status >= 500 {
            return Failure::Offline(format!("the provider answered HTTP {}", reply.status));
        }
        let terminal = code.is_some_and(|c| TERMINAL_CODES.contains(&c))
            || TERMINAL_CODES.iter().any(|c| detail.starts_with(c))
            || (reply.status == 401 && code.is_none());
        if terminal {
            Failure::NeedsSignIn(detail)
        } else {
            Failure::Provider(detail)
        }
    }

    /// The reason, as the window and the command line show it.
    pub fn reason(&self) -> &str {
        match self {
            Failure::NeedsSignIn(r) | Failure::Offline(r) | Failure::Provider(r) => r,
            Failure::Config(r) => r,
        }
    }
}

/// How long to wait after the `failures`-th failed try in a row: 1 min, doubling, at most
/// 6 h; a provider's `Retry-After` is not shorter than asked.
pub fn backoff_ms(failures: u32) -> i64 {
    let minutes = 1i64 << failures.min(9);
    (minutes * 60_000).min(6 * 3600 * 1000)
}

/// When tokens that expire at `expires_at` (Unix ms) are due for a refresh.
pub fn due_at(expires_at: i64, margin_ms: i64) -> i64 {
    expires_at.saturating_sub(margin_ms)
}

/// How often tokens whose expiry cannot be read are renewed.
pub const UNKNOWN_EXPIRY_RENEWAL_MS: i64 = 3600 * 1000;
/// The shortest time between two refreshes of one account that the timer plans, whatever
/// lifetime the provider gives (a token that lives less than the margin would otherwise be
/// due again at once).
pub const MIN_REFRESH_GAP_MS: i64 = 60 * 1000;

/// When a sign-in is next due: its expiry less the margin, or, when its tokens carry no
/// expiry, an hour after they were last renewed (at once if that is unknown too).
pub fn next_due(expires_at: Option<i64>, refreshed_at: Option<i64>, margin_ms: i64) -> i64 {
    match expires_at {
        Some(at) => due_at(at, margin_ms),
        None => refreshed_at.map_or(0, |at| at.saturating_add(UNKNOWN_EXPIRY_RENEWAL_MS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply(status: u16, json: serde_json::Value) -> Reply {
        Reply {
            status,
            json,
            retry_after: None,
        }
    }

    #[test]
    fn a_dead_refresh_token_means_sign_in_again_whatever_the_dialect() {
        for body in [
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
            json!({"error": {"code": "refresh_token_reused", "message": "already used"}}),
            json!({"error": "refresh_token_expired"}),
            json!({"error": "invalid_grant: refresh_token_invalidated"}),
        ] {
            let failure = Failure::from_reply(&reply(400, body.clone()));
            assert!(
                matches!(failure, Failure::NeedsSignIn(_)),
                "{body}: {failure:?}"
            );
        }
        assert!(matches!(
            Failure::from_reply(&reply(401, serde_json::Value::Null)),
            Failure::NeedsSignIn(_)
        ));
    }

    #[test]
    fn throttling_and_server_errors_are_tried_again_without_a_badge() {
        for status in [429, 500, 502, 503] {
            let failure = Failure::from_reply(&reply(status, json!({"error": "invalid_grant"})));
            assert!(matches!(failure, Failure::Offline(_)), "{status}");
        }
        let other = Failure::from_reply(&reply(400, json!({"error": "invalid_client"})));
        assert_eq!(other, Failure::Provider("invalid_client".into()));
    }

    #[test]
    fn backoff_doubles_from_a_minute_to_six_hours() {
        assert_eq!(backoff_ms(0), 60_000);
        assert_eq!(backoff_ms(1), 120_000);
        assert_eq!(backoff_ms(30), 6 * 3600 * 1000);
        assert_eq!(due_at(10_000, 3_000), 7_000);
        assert_eq!(due_at(i64::MIN, 5), i64::MIN);
        assert_eq!(next_due(Some(10_000), Some(1), 3_000), 7_000);
        assert_eq!(
            next_due(None, Some(1_000), 3_000),
            1_000 + UNKNOWN_EXPIRY_RENEWAL_MS
        );
        assert_eq!(next_due(None, None, 3_000), 0);
    }
}
