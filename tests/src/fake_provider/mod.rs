//! The fake provider: one loopback HTTP server speaking each provider's sign-in protocol as
//! PROVIDERS.md describes it — authorize (consenting as a chosen identity and redirecting),
//! token (code exchange checking PKCE, refresh with rotation, device-code grant), device
//! codes (pending until approved), userinfo/profile and revoke — with injectable failures.
//! Switchboard reaches it only through a `SWITCHBOARD_ENDPOINTS` file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod server;
mod shapes;

use server::{handle, State};
use shapes::hex;

/// Who the fake browser consents as.
#[derive(Clone, Debug)]
pub struct Identity {
    pub email: String,
    pub name: String,
    /// Claude `max`/`pro`, ChatGPT `plus`/`pro`, ...
    pub plan: String,
    pub account_id: String,
}

impl Identity {
    pub fn new(email: &str, plan: &str) -> Self {
        Self {
            email: email.to_owned(),
            name: email.split('@').next().unwrap_or(email).to_owned(),
            plan: plan.to_owned(),
            account_id: format!("acct-{}", hex(&Sha256::digest(email.as_bytes())[..6])),
        }
    }
}

/// Where a failure is injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    Authorize,
    Token,
    DeviceCode,
    DevicePoll,
    Profile,
    /// Every usage endpoint (Claude, Codex, Gemini's two, Grok's billing).
    Usage,
}

/// A failure the next request to a route gets.
#[derive(Clone, Copy, Debug)]
pub enum Failure {
    /// Token endpoint: `400 invalid_grant`.
    InvalidGrant,
    /// Token endpoint: `400 invalid_grant` whose description carries terminal escape
    /// sequences and a direction override, as a hostile endpoint might send.
    HostileText,
    /// Token endpoint: `400 invalid_grant` whose description carries a phishing link and an
    /// image as markup, for a notification server that renders it.
    MarkupText,
    /// Any route: `500`.
    ServerError,
    /// Any route: the answer comes after this long.
    Slow(Duration),
    /// Authorize: redirects with a different `state`.
    WrongState,
    /// Authorize: redirects with `error=access_denied`.
    AccessDenied,
    /// Device poll: the code has expired.
    Expired,
    /// Device poll (RFC 8628): `slow_down` once.
    SlowDown,
    /// Token endpoint: the tokens come without who they belong to (no `account`, no
    /// `id_token`), as an endpoint that keeps identity to its profile would send them.
    Anonymous,
    /// Any route: `429` with `Retry-After: 120`.
    TooManyRequests,
    /// Any route: `200` with an HTML page instead of JSON.
    Garbage,
}

/// What the fake's usage endpoints report for one identity: the share used of the short
/// window (five hours) and the long one (seven days).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FakeUsage {
    pub five_hour: f64,
    pub seven_day: f64,
}

/// The running fake. Dropping it stops the server.
pub struct FakeProvider {
    pub base: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    /// Ports registered as Codex's loopback (1455/1457 in reality).
    pub codex_ports: [u16; 2],
    /// Grok's registered loopback port (56121 in reality).
    pub grok_port: u16,
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

impl FakeProvider {
    pub fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("fake provider"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let base = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State::default()));
        {
            let server = server.clone();
            let state = state.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let state = state.clone();
                    let base = base.clone();
                    std::thread::spawn(move || handle(request, &state, &base));
                }
            });
        }
        Self {
            base,
            state,
            server,
            codex_ports: [free_port(), free_port()],
            grok_port: free_port(),
        }
    }

    /// The identity the next consent is given as.
    pub fn sign_in_as(&self, identity: Identity) {
        self.lock().identity = Some(identity);
    }

    /// The next request to `route` fails this way (failures queue up in order).
    pub fn fail_next(&self, route: Route, failure: Failure) {
        self.lock().failures.entry(route).or_default().push(failure);
    }

    /// Approves a pending device code as the current identity (what the user does on the
    /// verification page).
    pub fn approve_device(&self, user_code: &str) -> bool {
        let mut state = self.lock();
        let identity = state.identity.clone().expect("sign_in_as first");
        let device = state
            .devices
            .values_mut()
            .find(|d| d.user_code == user_code);
        match device {
            Some(device) => {
                device.approved = Some(identity);
                true
            }
            None => false,
        }
    }

    /// How many times device codes were polled.
    pub fn polls(&self) -> usize {
        self.lock().polls
    }

    /// Makes the fake's API for `provider` accept `key` (`switchboard test`).
    pub fn accept_key(&self, provider: &str, key: &str) {
        self.lock().keys.push((provider.to_owned(), key.to_owned()));
    }

    /// The JSON bodies of the requests a CLI sent to the fake's API under `path` (after
    /// `/api/<provider>`), oldest first.
    pub fn api_requests(&self, path: &str) -> Vec<Value> {
        self.lock()
            .api_requests
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, body)| body.clone())
            .collect()
    }

    /// Every access and refresh token issued to `email`, oldest first.
    pub fn issued_to(&self, email: &str) -> Vec<String> {
        self.lock()
            .issued
            .iter()
            .filter(|(e, _)| e == email)
            .map(|(_, t)| t.clone())
            .collect()
    }

    /// Access tokens issued for `provider` from now on live `seconds` (negative: expired).
    pub fn set_lifetime(&self, provider: &str, seconds: i64) {
        self.lock().lifetimes.insert(provider.to_owned(), seconds);
    }

    /// The emails whose tokens `provider`'s token endpoint refreshed, oldest first.
    pub fn refreshes(&self, provider: &str) -> Vec<String> {
        self.lock()
            .refreshes
            .iter()
            .filter(|(p, _)| p == provider)
            .map(|(_, email)| email.clone())
            .collect()
    }

    /// What the usage endpoints report for `email` from now on (0% until set). The five-hour
    /// window resets 2 h 10 min after the answer, the seven-day one 4 days after.
    pub fn set_usage(&self, email: &str, five_hour: f64, seven_day: f64) {
        self.lock().usage.insert(
            email.to_owned(),
            FakeUsage {
                five_hour,
                seven_day,
            },
        );
    }

    /// How many requests have reached a usage endpoint so far.
    pub fn usage_requests(&self) -> usize {
        self.lock().usage_requests
    }

    /// How many requests have reached a token endpoint so far (counted on arrival).
    pub fn token_requests(&self) -> usize {
        self.lock().token_requests
    }

    /// Refresh tokens presented after they were spent (should never happen).
    pub fn reused_refresh_tokens(&self) -> Vec<String> {
        self.lock().reused.clone()
    }

    /// The tokens revoked at `provider`, oldest first.
    pub fn revoked(&self, provider: &str) -> Vec<String> {
        self.lock()
            .revoked
            .iter()
            .filter(|(p, _)| p == provider)
            .map(|(_, t)| t.clone())
            .collect()
    }

    /// Refreshes at `provider`'s token endpoint as its CLI would (the refresh token is spent
    /// and rotated). Returns the answer's JSON (the new tokens).
    pub fn refresh_as_cli(&self, provider: &str, refresh_token: &str) -> Value {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", server::client_id(provider)),
        ];
        let mut reply = agent
            .post(&format!("{}/{provider}/token", self.base))
            .send_form(form)
            .expect("token endpoint");
        assert_eq!(
            reply.status().as_u16(),
            200,
            "the CLI's refresh was refused"
        );
        reply.body_mut().read_json().expect("token answer")
    }

    /// The `SWITCHBOARD_ENDPOINTS` content that points every provider here.
    pub fn endpoints(&self) -> Value {
        endpoints_at(&self.base, self.codex_ports, self.grok_port)
    }

    /// Writes [`Self::endpoints`] to `dir/endpoints.json` and returns its path.
    pub fn endpoints_file(&self, dir: &Path) -> PathBuf {
        let path = dir.join("endpoints.json");
        std::fs::write(&path, self.endpoints().to_string()).expect("endpoints file");
        path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `SWITCHBOARD_ENDPOINTS` content pointing every provider's every endpoint under `b`.
pub fn endpoints_at(b: &str, codex_ports: [u16; 2], grok_port: u16) -> Value {
    json!({
            "claude": {
                "api_base": format!("{b}/api/claude"),
                "authorize_url": format!("{b}/claude/authorize"),
                "token_url": format!("{b}/claude/token"),
                "userinfo_url": format!("{b}/claude/profile"),
                "usage_url": format!("{b}/claude/usage"),
                "paste_redirect_uri": format!("{b}/claude/code-page"),
            },
            "codex": {
                "api_base": format!("{b}/api/codex"),
                "authorize_url": format!("{b}/codex/authorize"),
                "token_url": format!("{b}/codex/token"),
                "revoke_url": format!("{b}/codex/revoke"),
                "usage_url": format!("{b}/codex/usage"),
                "loopback_ports": codex_ports,
                "device_code_url": format!("{b}/codex/deviceauth/usercode"),
                "device_token_url": format!("{b}/codex/deviceauth/token"),
                "device_verification_url": format!("{b}/codex/device"),
                "device_redirect_uri": format!("{b}/codex/deviceauth/callback"),
            },
            "gemini": {
                "api_base": format!("{b}/api/gemini"),
                "authorize_url": format!("{b}/gemini/authorize"),
                "token_url": format!("{b}/gemini/token"),
                "userinfo_url": format!("{b}/gemini/userinfo"),
                "revoke_url": format!("{b}/gemini/revoke"),
                "usage_url": format!("{b}/gemini/v1internal"),
                "paste_redirect_uri": format!("{b}/gemini/code-page"),
            },
            "grok": {
                "api_base": format!("{b}/api/grok"),
                "authorize_url": format!("{b}/grok/authorize"),
                "token_url": format!("{b}/grok/token"),
                "userinfo_url": format!("{b}/grok/userinfo"),
                "revoke_url": format!("{b}/grok/revoke"),
                "usage_url": format!("{b}/grok/billing?format=credits"),
                "device_code_url": format!("{b}/grok/device/code"),
                "loopback_ports": [grok_port],
            },
            "bob": { "api_base": format!("{b}/api/bob") },
            "opencode": { "api_base": format!("{b}/api/opencode") },
            "cursor": { "api_base": format!("{b}/api/cursor") },
    })
}

/// What the user would paste for a paste-back sign-in: consents at `authorize_url` without
/// following the redirect, and reads the code page (or returns the redirected address).
pub fn paste_text_for(authorize_url: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let reply = agent.get(authorize_url).call().expect("authorize");
    let location = reply
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("authorize redirects")
        .to_owned();
    if location.contains("/code-page") {
        let mut page = agent.get(&location).call().expect("code page");
        page.body_mut().read_to_string().expect("code page text")
    } else {
        location
    }
}

/// Plays the browser: opens `url` and follows redirects (to the app's loopback listener).
/// Returns the final page's text.
pub fn browse(url: &str) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut reply = agent.get(url).call().map_err(|e| e.to_string())?;
    let status = reply.status().as_u16();
    let text = reply
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    if status >= 400 {
        return Err(format!("HTTP {status}: {text}"));
    }
    Ok(text)
}

/// A port free right now (for the registered loopback ports of the fake clients).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
