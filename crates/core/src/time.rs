//! Time helpers: the clock (the system's, or one a test sets), Unix milliseconds, RFC 3339
//! text, and expiries computed from what a provider says, clamped so an absurd value can
//! never overflow or panic.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The longest lifetime an access token is believed to have (30 days; providers give hours);
/// anything longer is clamped, so an absurd `expires_in` never keeps a token from being
/// refreshed for years.
pub const MAX_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// The longest lifetime a refresh token is believed to have (about 13 months).
pub const MAX_REFRESH_LIFETIME_SECS: i64 = 400 * 24 * 3600;

/// Where the facade and the store read the time: the system clock in the app and the
/// command line, a [`ManualClock`] in tests of waits (a usage reading's minimum gap, a
/// refresh's backoff) that would otherwise sleep.
pub trait Clock: Send + Sync {
    /// Now, in Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }
}

/// A clock that moves only when told to.
#[cfg(any(test, feature = "testing"))]
#[derive(Debug)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

#[cfg(any(test, feature = "testing"))]
impl ManualClock {
    /// A clock standing at the system's time now.
    pub fn starting_now() -> Self {
        Self(std::sync::atomic::AtomicI64::new(now_ms()))
    }

    /// Moves the clock `ms` forward.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(any(test, feature = "testing"))]
impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Now by the system clock, in Unix milliseconds (where no [`Clock`] is at hand: the
/// refresher's real-time waits, the CLI files' own dates).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Unix ms `seconds` from now, with `seconds` clamped to `0..=MAX_LIFETIME_SECS`.
pub fn ms_after(seconds: i64) -> i64 {
    now_ms().saturating_add(seconds.clamp(0, MAX_LIFETIME_SECS) * 1000)
}

/// A Unix-ms instant clamped to the representable range of RFC 3339 dates (years 1970–9999).
pub fn clamp_ms(ms: i64) -> i64 {
    ms.clamp(0, 253_402_300_799_000)
}

/// Unix ms as RFC 3339 (UTC), clamped to what RFC 3339 can say.
pub fn rfc3339(ms: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(clamp_ms(ms)) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    at.format(&Rfc3339).unwrap_or_default()
}

/// RFC 3339 text as Unix ms.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_lifetimes_are_clamped_never_a_panic() {
        let now = now_ms();
        assert!(ms_after(i64::MAX) <= now + MAX_LIFETIME_SECS * 1000 + 1000);
        assert!(ms_after(-5) >= now);
        assert_eq!(rfc3339(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(i64::MIN), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn rfc3339_round_trips() {
        let ms = 1_767_225_600_000;
        assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms));
        assert_eq!(parse_rfc3339("not a date"), None);
    }
}
