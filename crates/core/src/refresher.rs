//! The app's refresh timer: one thread that sleeps until the next sign-in is due for a
//! refresh or the next account for a usage reading, does whatever is due, and plans again.
//! Nothing wakes it in between but a change the facade publishes.
//!
//! Deadlines are wall-clock instants (an expiry is one). On Linux the thread waits on a
//! `timerfd` of `CLOCK_REALTIME` with an absolute deadline, so time spent asleep counts: after
//! a resume, every timer that came due meanwhile fires at once (and a clock change wakes it
//! too). Elsewhere it waits on a condition variable for at most `MAX_NAP`, because those
//! timeouts run on a clock that stops while the machine sleeps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::facade::Switchboard;

/// How late a timer must fire to count as a resume from sleep.
const RESUMED_LATE_MS: i64 = 60_000;
/// After a resume, the network may not be up yet: wait this long before refreshing.
const AFTER_RESUME: Duration = Duration::from_secs(5);
/// When planning fails (the database is busy), try again after this long.
const RETRY_PLANNING_MS: i64 = 60_000;
/// The shortest time between two passes over what is due, whatever happens.
const FLOOR: Duration = Duration::from_secs(1);
/// While the keychain is locked: how often its lock is looked at (never with a prompt).
const LOCKED_CHECK_MS: i64 = 30_000;
/// Where the lock cannot be looked at: the first wait before trying the keychain again,
/// doubled after each try that finds it locked, up to the second.
const LOCKED_RETRY_FIRST_MS: i64 = 5 * 60_000;
const LOCKED_RETRY_MAX_MS: i64 = 60 * 60_000;
/// The longest wait where the timer's clock may stop during sleep (not Linux).
#[cfg_attr(target_os = "linux", allow(dead_code))]
const MAX_NAP: Duration = Duration::from_secs(10 * 60);

/// The running refresh timer: a token that it started. Dropping it does not stop the
/// thread (it lives as long as the app).
pub struct Refresher(());

impl Refresher {
    /// Starts the thread, and replans whenever the board publishes a change (an account
    /// added, signed in again or refreshed elsewhere).
    pub fn start(board: Arc<Switchboard>) -> std::io::Result<Self> {
        let alarm = Arc::new(Alarm::new()?);
        {
            let alarm = alarm.clone();
            board.subscribe(move |_| alarm.poke());
        }
        let worker = alarm.clone();
        std::thread::Builder::new()
            .name("refresher".into())
            .spawn(move || run(&board, &worker))?;
        Ok(Self(()))
    }
}

fn run(board: &Switchboard, alarm: &Alarm) {
    // Before anything is refreshed: what `switchboard exec` runs that were killed left in
    // their dirs goes back to the keychain, so no stale refresh token is ever spent.
    match board.reclaim_exec_dirs() {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "refresher: reclaimed exec dirs left behind"),
        Err(err) => tracing::warn!("refresher: could not reclaim exec dirs: {err}"),
    }
    let mut last_pass: Option<Instant> = None;
    let mut locked_retry_ms = LOCKED_RETRY_FIRST_MS;
    loop {
        let now = crate::time::now_ms();
        let plan = |next: crate::Result<Option<i64>>, what: &str| match next {
            Ok(next) => next,
            Err(err) => {
                tracing::warn!("could not plan the next {what}: {err}");
                Some(now + RETRY_PLANNING_MS)
            }
        };
        let refresh_at = plan(board.next_refresh_at(), "refresh");
        let usage_at = plan(board.next_usage_read_at(), "usage reading");
        let deadline = match (refresh_at, usage_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if deadline.is_none_or(|at| at > now) {
            tracing::debug!(deadline, "refresher: waiting");
            alarm.wait_until(deadline);
            let late = deadline.map(|at| crate::time::now_ms() - at);
            if late.is_some_and(|ms| ms > RESUMED_LATE_MS) {
                tracing::info!(
                    late_ms = late,
                    "refresher: woke after sleep; re-checking every account"
                );
                std::thread::sleep(AFTER_RESUME);
            }
            continue;
        }
        // Whatever is due, passes are at least FLOOR apart.
        if let Some(since) = last_pass.map(|at| at.elapsed()) {
            if since < FLOOR {
                std::thread::sleep(FLOOR - since);
            }
        }
        last_pass = Some(Instant::now());
        let pass = one_pass(board, refresh_at, usage_at, now);
        match pass {
            Pass::Done => locked_retry_ms = LOCKED_RETRY_FIRST_MS,
            Pass::Failed => {
                // Do not spin on a failure that repeats: wait before planning again.
                alarm.wait_until(Some(crate::time::now_ms() + RETRY_PLANNING_MS));
            }
            Pass::KeychainLocked => {
                wait_for_keychain(board, alarm, locked_retry_ms);
                locked_retry_ms = (locked_retry_ms * 2).min(LOCKED_RETRY_MAX_MS);
            }
        }
    }
}

/// How one pass over what was due went.
enum Pass {
    Done,
    /// Planning or the database failed: try again later.
    Failed,
    /// The keychain is locked or unreachable: nothing more is asked of it for now.
    KeychainLocked,
}

/// Refreshes what is due, then reads the usage that is due (unless the keychain turned out
/// locked: then nothing more is asked of it).
fn one_pass(board: &Switchboard, refresh_at: Option<i64>, usage_at: Option<i64>, now: i64) -> Pass {
    let mut pass = Pass::Done;
    if refresh_at.is_some_and(|at| at <= now) {
        match board.refresh_due(None) {
            Ok(done) => {
                // Failures were logged as they happened; this line counts the renewals.
                let count = done
                    .iter()
                    .filter(|r| {
                        matches!(r.outcome, crate::facade::RefreshOutcome::Refreshed { .. })
                    })
                    .count();
                if count > 0 {
                    tracing::info!(count, "refresher: refreshed what was due");
                }
            }
            Err(crate::Error::KeychainUnavailable { .. }) => return Pass::KeychainLocked,
            Err(err) => {
                tracing::warn!("refresher: {err}");
                pass = Pass::Failed;
            }
        }
    }
    if usage_at.is_some_and(|at| at <= now) {
        match board.read_usage_due() {
            Ok(count) => tracing::debug!(count, "refresher: read the usage that was due"),
            Err(crate::Error::KeychainUnavailable { .. }) => return Pass::KeychainLocked,
            Err(err) => {
                tracing::warn!("refresher: reading usage: {err}");
                pass = Pass::Failed;
            }
        }
    }
    pass
}

/// While the keychain is locked, asks nothing of it (every read would prompt to unlock it,
/// and a prompt the user dismissed would come back at once): waits until the user acts in
/// Switchboard (any change pokes the timer), or the keychain says it is unlocked (asked
/// without a prompt every [`LOCKED_CHECK_MS`]). Where the lock cannot be asked about, tries
/// again after `retry_ms`.
fn wait_for_keychain(board: &Switchboard, alarm: &Alarm, retry_ms: i64) {
    tracing::warn!(
        "refresher: the keychain is locked or cannot be reached; refreshes and usage readings wait until it is unlocked or you act in Switchboard"
    );
    let started = crate::time::now_ms();
    loop {
        if alarm.wait_until(Some(crate::time::now_ms() + LOCKED_CHECK_MS)) {
            tracing::info!("refresher: resuming after a change");
            return;
        }
        match board.keychain_locked() {
            Some(false) => {
                tracing::info!("refresher: the keychain is unlocked; resuming");
                return;
            }
            Some(true) => {}
            None if crate::time::now_ms() - started >= retry_ms => return,
            None => {}
        }
    }
}

/// A wait that ends at a wall-clock deadline or when poked.
struct Alarm {
    poked: AtomicBool,
    #[cfg(target_os = "linux")]
    timer: nix::sys::timerfd::TimerFd,
    #[cfg(not(target_os = "linux"))]
    signal: (std::sync::Mutex<()>, std::sync::Condvar),
}

#[cfg(target_os = "linux")]
impl Alarm {
    fn new() -> std::io::Result<Self> {
        use nix::sys::timerfd::{ClockId, TimerFd, TimerFlags};
        let timer = TimerFd::new(ClockId::CLOCK_REALTIME, TimerFlags::TFD_CLOEXEC)
            .map_err(std::io::Error::from)?;
        Ok(Self {
            poked: AtomicBool::new(false),
            timer,
        })
    }

    /// Waits; returns whether a poke ended the wait (rather than the deadline).
    fn wait_until(&self, deadline_ms: Option<i64>) -> bool {
        use nix::sys::time::TimeSpec;
        use nix::sys::timerfd::{Expiration, TimerSetTimeFlags};
        let armed = match deadline_ms {
            Some(ms) => self.timer.set(
                Expiration::OneShot(TimeSpec::new(
                    ms.div_euclid(1000),
                    ms.rem_euclid(1000) * 1_000_000,
                )),
                TimerSetTimeFlags::TFD_TIMER_ABSTIME | TimerSetTimeFlags::TFD_TIMER_CANCEL_ON_SET,
            ),
            None => self.timer.unset(),
        };
        if let Err(err) = armed {
            tracing::warn!("refresher: could not set its timer: {err}");
            std::thread::sleep(Duration::from_secs(60));
            return false;
        }
        // A poke that came while planning: plan again rather than wait.
        if self.poked.swap(false, Ordering::SeqCst) {
            return true;
        }
        if let Err(err) = self.timer.wait() {
            tracing::warn!("refresher: waiting failed: {err}");
            std::thread::sleep(Duration::from_secs(60));
        }
        self.poked.swap(false, Ordering::SeqCst)
    }

    fn poke(&self) {
        use nix::sys::time::TimeSpec;
        use nix::sys::timerfd::{Expiration, TimerSetTimeFlags};
        self.poked.store(true, Ordering::SeqCst);
        // One nanosecond from now: the waiting thread wakes at once.
        if let Err(err) = self.timer.set(
            Expiration::OneShot(TimeSpec::new(0, 1)),
            TimerSetTimeFlags::empty(),
        ) {
            tracing::warn!("refresher: could not wake its thread: {err}");
        }
    }
}

#[cfg(not(target_os = "linux"))]
impl Alarm {
    fn new() -> std::io::Result<Self> {
        Ok(Self {
            poked: AtomicBool::new(false),
            signal: Default::default(),
        })
    }

    /// Waits; returns whether a poke ended the wait (rather than the deadline).
    fn wait_until(&self, deadline_ms: Option<i64>) -> bool {
        let (lock, condvar) = &self.signal;
        let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        if self.poked.swap(false, Ordering::SeqCst) {
            return true;
        }
        let wait = deadline_ms
            .map(|at| Duration::from_millis((at - crate::time::now_ms()).max(0) as u64))
            .unwrap_or(MAX_NAP)
            .min(MAX_NAP);
        let _ = condvar.wait_timeout(guard, wait);
        self.poked.swap(false, Ordering::SeqCst)
    }

    fn poke(&self) {
        let (lock, condvar) = &self.signal;
        let _guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        self.poked.store(true, Ordering::SeqCst);
        condvar.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_wall_clock_deadline_ends_the_wait() {
        let alarm = Alarm::new().expect("alarm");
        let started = Instant::now();
        alarm.wait_until(Some(crate::time::now_ms() + 150));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(100), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
    }

    #[test]
    fn a_poke_ends_a_wait_without_deadline() {
        let alarm = Arc::new(Alarm::new().expect("alarm"));
        let poker = alarm.clone();
        let started = Instant::now();
        let thread = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            poker.poke();
        });
        alarm.wait_until(None);
        thread.join().expect("poker");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_poke_before_the_wait_is_not_lost() {
        let alarm = Alarm::new().expect("alarm");
        alarm.poke();
        let started = Instant::now();
        alarm.wait_until(Some(crate::time::now_ms() + 60_000));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
