//! What a provider reports of an account's limits: its windows (a share used and when it
//! resets), its plan, and a note in words; and why a reading failed. Vocabulary only: the
//! providers fill it in, `usage` fetches and keeps it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One rate-limit window: the five-hour session, the seven-day week, a model's weekly cap,
/// a month's credits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UsageWindow {
    /// What it is, in words ("5-hour", "7-day", "7-day Opus", "Pro models", "Credits").
    pub name: String,
    /// How much of it is used, 0 to 100.
    pub used_percent: f64,
    /// When it resets, RFC 3339 (UTC); `None` while the provider does not say.
    pub resets_at: Option<String>,
    /// Why the provider locked the window, when it did (it is then at its limit whatever
    /// the share says).
    pub locked: Option<String>,
}

impl UsageWindow {
    /// The share used at `now` (Unix ms): none once the window has reset.
    pub fn used_at(&self, now: i64) -> f64 {
        let reset = self
            .resets_at
            .as_deref()
            .and_then(crate::time::parse_rfc3339)
            .is_some_and(|at| at <= now);
        if reset {
            0.0
        } else if self.locked.is_some() {
            100.0
        } else {
            self.used_percent
        }
    }

    /// A window named `name` (provider text: cleaned, one line, at most
    /// [`MAX_WINDOW_NAME_CHARS`] characters).
    pub fn new(name: impl Into<String>, used_percent: f64, resets_at_ms: Option<i64>) -> Self {
        Self {
            name: crate::text::shorten(
                &crate::text::from_provider(&name.into()),
                MAX_WINDOW_NAME_CHARS,
            ),
            used_percent: if used_percent.is_finite() {
                used_percent.clamp(0.0, 100.0)
            } else {
                0.0
            },
            resets_at: resets_at_ms.map(crate::time::rfc3339),
            locked: None,
        }
    }

    /// The window in words at `now`: "5-hour 100%, resets in 2 h 10 min".
    pub fn describe(&self, now: i64) -> String {
        let mut text = format!("{} {:.0}%", self.name, self.used_at(now));
        if let Some(lock) = &self.locked {
            text.push_str(&format!(" ({lock})"));
        }
        if let Some(at) = self
            .resets_at
            .as_deref()
            .and_then(crate::time::parse_rfc3339)
        {
            text.push_str(&format!(", resets in {}", duration_words(at - now)));
        }
        text
    }

    /// Whether nothing more can be used until it resets.
    pub fn at_limit(&self) -> bool {
        self.locked.is_some() || self.used_percent >= 100.0
    }
}

/// One reading of an account's limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Limits {
    /// The plan the provider names, where it does ("pro", "SuperGrok").
    pub plan: Option<String>,
    pub windows: Vec<UsageWindow>,
    /// What else the user should know, in words (a key with no limit set; a tier Gemini
    /// CLI no longer serves).
    pub note: Option<String>,
    /// Whether the provider refuses this account outright (the tier can no longer use the
    /// CLI): it is then at its limit with no reset.
    pub unusable: bool,
}

/// The most windows a reading keeps (a provider answering with thousands of keys must not
/// fill the database and the window with them), and the longest name a window has.
pub const MAX_WINDOWS: usize = 32;
pub const MAX_WINDOW_NAME_CHARS: usize = 64;

impl Limits {
    /// These limits with at most [`MAX_WINDOWS`] windows (the first ones: providers list
    /// the ones that matter first).
    pub fn bounded(mut self) -> Self {
        self.windows.truncate(MAX_WINDOWS);
        self
    }

    /// The window with the least room left at `now` (a locked one counts as full, one that
    /// has reset since the reading as empty).
    pub fn tightest_at(&self, now: i64) -> Option<&UsageWindow> {
        self.windows
            .iter()
            .max_by(|a, b| a.used_at(now).total_cmp(&b.used_at(now)))
    }

    /// The share left at `now` in the tightest window (100 when nothing is reported, none
    /// when the account is unusable).
    pub fn room_at(&self, now: i64) -> f64 {
        if self.unusable {
            return 0.0;
        }
        self.tightest_at(now)
            .map_or(100.0, |w| 100.0 - w.used_at(now))
    }

    /// Whether nothing more can be used now.
    pub fn at_limit(&self) -> bool {
        self.unusable || self.windows.iter().any(UsageWindow::at_limit)
    }
}

/// What Switchboard knows of an account's usage: the last good reading, when it came, and
/// why the last attempt failed (the figures then stay, with their age).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct UsageReading {
    /// The last good reading; `None` before the first.
    pub limits: Option<Limits>,
    /// When it was read, RFC 3339.
    pub fetched_at: Option<String>,
    /// Why the last attempt failed, in words; `None` when it worked.
    pub error: Option<String>,
}

/// One point of a window's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UsageSample {
    /// Unix ms.
    #[ts(type = "number")]
    pub at: i64,
    pub window: String,
    pub used_percent: f64,
}

/// A span in words, to the minute: "2 h 10 min", "3 d 4 h", "under a minute".
pub fn duration_words(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, 0) => "under a minute".to_owned(),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// Why a reading failed.
#[derive(Debug, Clone, PartialEq)]
pub enum UsageFailure {
    /// The provider refused the credential (HTTP 401/403): an expired or revoked token, or
    /// one without the scope usage needs.
    Refused {
        host: String,
        status: u16,
        /// The provider's error in words (never a token).
        detail: String,
    },
    /// The provider asked to be left alone (HTTP 429), for this long when it said.
    RateLimited {
        host: String,
        retry_after_secs: Option<u64>,
    },
    /// The provider or the network failed (5xx, a timeout): it may pass.
    Unavailable(String),
    /// The answer was not what this provider sends: a changed API, or not the provider.
    Garbled { host: String },
}

impl std::fmt::Display for UsageFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsageFailure::Refused {
                host,
                status,
                detail,
            } => write!(
                f,
                "{host} refused the credential (HTTP {status}: {detail}); it may have expired or lack the scope usage needs"
            ),
            UsageFailure::RateLimited { host, .. } => {
                write!(f, "{host} asked to read usage less often (HTTP 429)")
            }
            UsageFailure::Unavailable(detail) => f.write_str(detail),
            UsageFailure::Garbled { host } => {
                write!(f, "{host} answered with something that is not a usage report")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tightest_window_decides_the_room_left() {
        let mut limits = Limits {
            windows: vec![
                UsageWindow::new("5-hour", 30.0, None),
                UsageWindow::new("7-day", 80.0, None),
            ],
            ..Limits::default()
        };
        assert_eq!(
            limits.tightest_at(0).map(|w| w.name.as_str()),
            Some("7-day")
        );
        assert_eq!(limits.room_at(0), 20.0);
        assert!(!limits.at_limit());
        limits.windows[0].locked = Some("spend limit reached".into());
        assert_eq!(
            limits.tightest_at(0).map(|w| w.name.as_str()),
            Some("5-hour")
        );
        assert_eq!(limits.room_at(0), 0.0);
        assert!(limits.at_limit());
    }

    #[test]
    fn a_window_that_has_reset_since_the_reading_has_room_again() {
        let now = crate::time::now_ms();
        let limits = Limits {
            windows: vec![
                UsageWindow::new("5-hour", 100.0, Some(now - 1000)),
                UsageWindow::new("7-day", 60.0, Some(now + 3_600_000)),
            ],
            ..Limits::default()
        };
        assert!(limits.at_limit(), "as read");
        assert_eq!(limits.room_at(now), 40.0);
    }

    #[test]
    fn spans_read_to_the_minute() {
        assert_eq!(duration_words(-5), "under a minute");
        assert_eq!(duration_words(59_000), "under a minute");
        assert_eq!(duration_words(130 * 60_000), "2 h 10 min");
        assert_eq!(duration_words(120 * 60_000), "2 h");
        assert_eq!(duration_words((3 * 1440 + 4 * 60 + 5) * 60_000), "3 d 4 h");
        let now = 0;
        let window = UsageWindow::new("5-hour", 100.0, Some(130 * 60_000));
        assert_eq!(window.describe(now), "5-hour 100%, resets in 2 h 10 min");
    }

    #[test]
    fn shares_out_of_range_are_clamped() {
        assert_eq!(UsageWindow::new("x", 140.0, None).used_percent, 100.0);
        assert_eq!(UsageWindow::new("x", -3.0, None).used_percent, 0.0);
        assert_eq!(UsageWindow::new("x", f64::NAN, None).used_percent, 0.0);
        assert!(UsageWindow::new("x", 100.0, None).at_limit());
    }

    #[test]
    fn nothing_reported_is_full_room_unless_the_account_is_unusable() {
        let mut limits = Limits::default();
        assert_eq!(limits.room_at(0), 100.0);
        limits.unusable = true;
        assert_eq!(limits.room_at(0), 0.0);
        assert!(limits.at_limit());
    }
}
