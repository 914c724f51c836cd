//! A stand-in desktop notification service: owns `org.freedesktop.Notifications` on the
//! test's private session bus and records every notification the app shows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::zvariant::OwnedValue;

/// One notification as the service received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

/// The service, for as long as it is held: dropping it gives the name back.
pub struct NotificationService {
    shown: Arc<Mutex<Vec<Shown>>>,
    _connection: zbus::blocking::Connection,
}

struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

/// The methods of the Desktop Notifications Specification that clients call.
#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().expect("shown");
        shown.push(Shown {
            app_name,
            summary,
            body,
        });
        u32::try_from(shown.len()).expect("a few notifications")
    }

    fn close_notification(&self, _id: u32) {}

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_owned()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        let text = |s: &str| s.to_owned();
        (
            text("switchboard-tests"),
            text("switchboard"),
            text("1"),
            text("1.2"),
        )
    }
}

impl NotificationService {
    /// Takes the name on the session bus. Panics if another service has it: the tests run on
    /// a private bus (`make test`), where nothing else shows notifications.
    pub fn start() -> Self {
        crate::require_secret_service();
        let shown = Arc::new(Mutex::new(Vec::new()));
        let server = Server {
            shown: shown.clone(),
        };
        let connection = zbus::blocking::connection::Builder::session()
            .and_then(|b| b.name("org.freedesktop.Notifications"))
            .and_then(|b| b.serve_at("/org/freedesktop/Notifications", server))
            .and_then(|b| b.build())
            .unwrap_or_else(|err| {
                panic!("could not own org.freedesktop.Notifications on the test's bus: {err}")
            });
        Self {
            shown,
            _connection: connection,
        }
    }

    /// Every notification shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().expect("shown").clone()
    }

    /// Waits up to `timeout` for a notification whose summary contains `needle`.
    pub async fn wait_for(&self, needle: &str, timeout: Duration) -> Option<Shown> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(found) = self
                .shown()
                .into_iter()
                .find(|s| s.summary.contains(needle))
            {
                return Some(found);
            }
            if Instant::now() >= end {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
