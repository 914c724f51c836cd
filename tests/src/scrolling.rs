//! Frame pacing in the real window, read in its page over WebDriver: the intervals between
//! animation frames while the page scrolls down its account list, and while it sits still.

use serde_json::json;

use crate::webdriver::AppSession;

/// Counts `frames` animation frames, scrolling the page down by `step_px` before each one
/// (none with 0), and hands back each interval between two frames (ms), how far the page
/// scrolled (px) and how many account rows it had at the end.
const FRAMES_SCRIPT: &str = r#"
const [frames, step, done] = arguments;
const scroller = document.scrollingElement;
const start = scroller.scrollTop;
const intervals = [];
let last = 0;
const tick = (now) => {
  if (last) intervals.push(now - last);
  last = now;
  if (intervals.length >= frames) {
    done({
      intervals,
      scrolled: scroller.scrollTop - start,
      rows: document.querySelectorAll("[data-testid=account]").length,
    });
    return;
  }
  if (step) scroller.scrollBy(0, step);
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"#;

/// What one pass of frames measured.
#[derive(Debug, Clone)]
pub struct Frames {
    /// The interval before each frame, in milliseconds.
    pub intervals_ms: Vec<f64>,
    /// How far the page scrolled over the pass.
    pub scrolled_px: f64,
    /// Account rows in the page at the end of the pass.
    pub rows: usize,
}

impl Frames {
    /// The interval at quantile `q` (0.5 for the median).
    pub fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.intervals_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(at).copied().unwrap_or(f64::NAN)
    }

    /// Frames that came later than `ms` after the one before.
    pub fn longer_than(&self, ms: f64) -> usize {
        self.intervals_ms.iter().filter(|&&i| i > ms).count()
    }
}

/// Measures `frames` frames of `app`'s page, scrolling `step_px` down before each.
pub async fn frames(app: &AppSession, frames: usize, step_px: u32) -> Frames {
    let value = app
        .driver
        .execute_async(FRAMES_SCRIPT, vec![json!(frames), json!(step_px)])
        .await
        .expect("the frame script ran")
        .json()
        .clone();
    let intervals_ms = value["intervals"]
        .as_array()
        .expect("intervals")
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    Frames {
        intervals_ms,
        scrolled_px: value["scrolled"].as_f64().unwrap_or(0.0),
        rows: value["rows"].as_u64().unwrap_or(0) as usize,
    }
}
