//! Browser and device sign-in: the sessions in progress, each waiting for its one answer
//! (the loopback redirect, a pasted code or URL, or an approved device code), and the
//! protocol pieces under it. The facade turns a finished session into an account.

pub mod browser;
pub mod client;
pub mod device;
pub mod flow;
pub mod loopback;
pub mod oauth;
pub mod paste;
pub mod pkce;
pub mod protocol;

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use crate::catalog::ProviderId;
pub use crate::catalog::{PasteKind, SignInMethod};
use crate::error::{Error, Result};
use crate::secret::Sensitive;
use client::OAuthClient;
use device::DeviceGrant;
use loopback::Listening;
use pkce::{same_secret, Pkce};

/// A started sign-in, as the window and the command line show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignInStarted {
    pub id: String,
    pub provider: ProviderId,
    pub method: SignInMethod,
    /// The page to open in the browser (the authorize page, or the device page).
    pub browser_url: String,
    /// Whether Switchboard opened `browser_url` itself.
    pub browser_opened: bool,
    /// What to paste back, when pasting can complete this sign-in.
    pub paste: Option<PasteKind>,
    /// For a browser that cannot reach this computer: a page whose answer is pasted back.
    pub paste_url: Option<String>,
    /// The device code to type.
    pub user_code: Option<String>,
    /// When the sign-in stops waiting (Unix ms).
    #[ts(type = "number")]
    pub expires_at_ms: i64,
}

/// How long a browser or paste sign-in waits for its answer.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// An authorization code for this session, state already checked.
pub struct Answer {
    pub code: Sensitive<String>,
    pub redirect_uri: String,
}

enum Progress {
    Waiting,
    Answered(Answer),
    /// The answer was taken by the one finishing the sign-in.
    Finishing,
    Failed(Error),
}

/// What a new sign-in is made of.
pub struct SessionParts {
    pub label: Option<String>,
    pub client: OAuthClient,
    pub pkce: Pkce,
    pub state: String,
    /// The redirect URIs an answer may carry (loopback, paste page).
    pub redirect_uris: Vec<String>,
    pub device: Option<DeviceGrant>,
    pub paste: PasteKind,
    pub profile: bool,
}

/// One sign-in in progress.
pub struct Session {
    pub id: String,
    pub provider: ProviderId,
    pub label: Option<String>,
    pub client: OAuthClient,
    pub verifier: Sensitive<String>,
    pub state: String,
    /// The redirect URIs an answer may carry (loopback, paste page).
    pub redirect_uris: Vec<String>,
    pub device: Option<DeviceGrant>,
    /// What the provider's code page shows, for paste-back.
    pub paste: PasteKind,
    /// Whether identity is read from the profile endpoint after the exchange.
    pub profile: bool,
    pub expires_at: Instant,
    progress: Mutex<Progress>,
    wake: Condvar,
    poke: Mutex<bool>,
    listening: Mutex<Option<Listening>>,
}

impl Session {
    pub fn new(parts: SessionParts) -> Result<Self> {
        let expires_at = parts
            .device
            .as_ref()
            .map_or(Instant::now() + BROWSER_TIMEOUT, |d| d.expires_at);
        Ok(Self {
            id: uuid::Uuid::new_v4().to_string(),
            provider: parts.client.provider,
            label: parts.label,
            client: parts.client,
            verifier: parts.pkce.verifier,
            state: parts.state,
            redirect_uris: parts.redirect_uris,
            device: parts.device,
            paste: parts.paste,
            profile: parts.profile,
            expires_at,
            progress: Mutex::new(Progress::Waiting),
            wake: Condvar::new(),
            poke: Mutex::new(false),
            listening: Mutex::new(None),
        })
    }

    pub fn keep_listener(&self, listening: Listening) {
        *lock(&self.listening) = Some(listening);
    }

    /// Closes the loopback listener, if any (idempotent).
    pub fn close_listener(&self) {
        let listening = lock(&self.listening).take();
        drop(listening);
    }

    /// Hands in an answer (from the listener or a paste). The first answer wins; a later
    /// one is refused. A wrong `state` fails the whole sign-in: it may be forged.
    pub fn answer(
        &self,
        code: String,
        state: Option<&str>,
        redirect_uri: String,
        state_required: bool,
    ) -> Result<()> {
        let mut progress = lock(&self.progress);
        match &*progress {
            Progress::Waiting => {}
            Progress::Failed(err) => return Err(err.clone()),
            _ => {
                return Err(Error::Conflict(
                    "This sign-in already has its answer.".into(),
                ))
            }
        }
        if !self.redirect_uris.contains(&redirect_uri) {
            return Err(Error::InvalidInput(format!(
                "That address is not this sign-in's redirect (expected {}). Paste the address the browser ended on after approving.",
                self.redirect_uris.join(" or ")
            )));
        }
        let state_ok = match state {
            Some(state) => same_secret(state, &self.state),
            None => !state_required,
        };
        if !state_ok {
            *progress = Progress::Failed(Error::StateMismatch);
            self.wake.notify_all();
            return Err(Error::StateMismatch);
        }
        *progress = Progress::Answered(Answer {
            code: Sensitive::new(code),
            redirect_uri,
        });
        self.wake.notify_all();
        Ok(())
    }

    /// Ends the sign-in with an error (declined at the provider, cancelled).
    pub fn fail(&self, err: Error) {
        let mut progress = lock(&self.progress);
        if matches!(*progress, Progress::Waiting | Progress::Answered(_)) {
            *progress = Progress::Failed(err);
        }
        self.wake.notify_all();
    }

    /// Waits for the answer until the session expires.
    pub fn wait_answer(&self) -> Result<Answer> {
        let mut progress = lock(&self.progress);
        loop {
            match std::mem::replace(&mut *progress, Progress::Finishing) {
                Progress::Answered(answer) => return Ok(answer),
                Progress::Failed(err) => {
                    *progress = Progress::Failed(err.clone());
                    return Err(err);
                }
                Progress::Finishing => {
                    return Err(Error::Conflict("This sign-in is already finishing.".into()))
                }
                Progress::Waiting => *progress = Progress::Waiting,
            }
            let left = self.expires_at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                *progress = Progress::Failed(Error::SignInExpired(self.provider));
                return Err(Error::SignInExpired(self.provider));
            }
            progress = self
                .wake
                .wait_timeout(progress, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Sleeps between device polls: `interval`, or less when someone calls [`Self::poke`]
    /// ("I've signed in"). Returns the error that ended the sign-in meanwhile, if any.
    pub fn pause(&self, interval: Duration) -> Result<()> {
        let until = Instant::now() + interval;
        let mut progress = lock(&self.progress);
        loop {
            if let Progress::Failed(err) = &*progress {
                return Err(err.clone());
            }
            if std::mem::take(&mut *lock(&self.poke)) {
                return Ok(());
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            progress = self
                .wake
                .wait_timeout(progress, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Polls now rather than at the next interval.
    pub fn poke(&self) {
        *lock(&self.poke) = true;
        let _guard = lock(&self.progress);
        self.wake.notify_all();
    }
}

/// The sign-ins in progress in this process.
#[derive(Default)]
pub struct SignIns {
    sessions: Mutex<HashMap<String, Arc<Session>>>,
}

impl SignIns {
    /// Adds a session, forgetting any that expired unfinished (a window closed mid-way).
    pub fn insert(&self, session: Session) -> Arc<Session> {
        let session = Arc::new(session);
        let mut sessions = lock(&self.sessions);
        let now = Instant::now();
        sessions.retain(|_, s| s.expires_at + Duration::from_secs(60) > now);
        sessions.insert(session.id.clone(), session.clone());
        session
    }

    pub fn get(&self, id: &str) -> Result<Arc<Session>> {
        lock(&self.sessions)
            .get(id)
            .cloned()
            .ok_or_else(|| Error::not_found("sign-in (it finished, expired or was cancelled)"))
    }

    /// Forgets a session and closes its listener.
    pub fn remove(&self, id: &str) {
        let session = lock(&self.sessions).remove(id);
        if let Some(session) = session {
            session.close_listener();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// The account a sign-in added or updated.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignedIn {
    pub account: crate::account::Account,
    /// `false` when the identity was already an account: its tokens were updated.
    pub created: bool,
    /// Whether it became the provider's active account.
    pub activated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::client::{BodyEncoding, LoopbackHost};

    fn session() -> Session {
        let client = OAuthClient {
            loopback_host: LoopbackHost::Localhost,
            token_body: BodyEncoding::Json,
            ..OAuthClient::new(
                ProviderId::Claude,
                "c",
                "https://example.test/a",
                "https://example.test/t",
                "",
            )
        };
        Session::new(SessionParts {
            label: None,
            client,
            pkce: Pkce::new().unwrap(),
            state: "the-state".into(),
            redirect_uris: vec!["http://localhost:1/callback".into()],
            device: None,
            paste: PasteKind::CodeAndState,
            profile: true,
        })
        .unwrap()
    }

    #[test]
    fn the_first_answer_wins_and_a_second_is_refused() {
        let s = session();
        s.answer(
            "code-1".into(),
            Some("the-state"),
            "http://localhost:1/callback".into(),
            true,
        )
        .unwrap();
        let err = s
            .answer(
                "code-2".into(),
                Some("the-state"),
                "http://localhost:1/callback".into(),
                true,
            )
            .unwrap_err();
        assert!(matches!(err, Error::Conflict(_)));
        assert_eq!(s.wait_answer().unwrap().code.expose(), "code-1");
    }

    #[test]
    fn a_wrong_state_fails_the_whole_sign_in() {
        let s = session();
        let err = s
            .answer(
                "code".into(),
                Some("forged"),
                "http://localhost:1/callback".into(),
                true,
            )
            .unwrap_err();
        assert!(matches!(err, Error::StateMismatch));
        assert!(matches!(s.wait_answer(), Err(Error::StateMismatch)));
        assert!(s
            .answer(
                "code".into(),
                Some("the-state"),
                "http://localhost:1/callback".into(),
                true
            )
            .is_err());
    }

    #[test]
    fn a_missing_state_or_foreign_redirect_is_refused() {
        let s = session();
        assert!(matches!(
            s.answer(
                "code".into(),
                None,
                "http://localhost:1/callback".into(),
                true
            ),
            Err(Error::StateMismatch)
        ));
        let s = session();
        assert!(matches!(
            s.answer(
                "code".into(),
                Some("the-state"),
                "http://evil.test/callback".into(),
                true
            ),
            Err(Error::InvalidInput(_))
        ));
        // A foreign redirect is a typo, not an attack: the sign-in goes on.
        s.answer(
            "code".into(),
            Some("the-state"),
            "http://localhost:1/callback".into(),
            true,
        )
        .unwrap();
    }

    #[test]
    fn cancel_wakes_the_waiter() {
        let s = Arc::new(session());
        let waiter = {
            let s = s.clone();
            std::thread::spawn(move || s.wait_answer())
        };
        std::thread::sleep(Duration::from_millis(50));
        s.fail(Error::SignInCancelled);
        assert!(matches!(
            waiter.join().unwrap(),
            Err(Error::SignInCancelled)
        ));
    }

    #[test]
    fn poke_ends_a_pause_early() {
        let s = Arc::new(session());
        let started = Instant::now();
        let poker = {
            let s = s.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                s.poke();
            })
        };
        s.pause(Duration::from_secs(30)).unwrap();
        poker.join().unwrap();
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
