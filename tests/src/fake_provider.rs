//! The fake provider: one loopback HTTP server speaking each provider's sign-in protocol as
//! PROVIDERS.md describes it — authorize (consenting as a chosen identity and redirecting),
//! token (code exchange checking PKCE, refresh with rotation, device-code grant), device
//! codes (pending until approved), userinfo/profile and revoke — with injectable failures.
//! Switchboard reaches it only through a `SWITCHBOARD_ENDPOINTS` file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

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
}

/// A failure the next request to a route gets.
#[derive(Clone, Copy, Debug)]
pub enum Failure {
    /// Token endpoint: `400 invalid_grant`.
    InvalidGrant,
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
}

struct Grant {
    provider: String,
    challenge: String,
    redirect_uri: String,
    identity: Identity,
    used: bool,
}

struct Device {
    provider: String,
    user_code: String,
    approved: Option<Identity>,
}

#[derive(Default)]
struct State {
    identity: Option<Identity>,
    failures: HashMap<Route, Vec<Failure>>,
    codes: HashMap<String, Grant>,
    devices: HashMap<String, Device>,
    /// Live refresh tokens and whose they are; a used one is removed (rotation).
    refresh_tokens: HashMap<String, (String, Identity)>,
    access_tokens: HashMap<String, Identity>,
    revoked: Vec<String>,
    /// Every token issued, with the email it was issued to.
    issued: Vec<(String, String)>,
    /// API keys the fake's APIs accept, per provider.
    keys: Vec<(String, String)>,
    polls: usize,
    log: Vec<String>,
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

pub const PROVIDERS: [&str; 5] = ["claude", "codex", "gemini", "grok", "bob"];

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

    /// Whether `refresh_token` is live (issued, not yet rotated away or revoked).
    pub fn refresh_token_live(&self, refresh_token: &str) -> bool {
        self.lock().refresh_tokens.contains_key(refresh_token)
    }

    /// Makes the fake's API for `provider` accept `key` (`switchboard test`).
    pub fn accept_key(&self, provider: &str, key: &str) {
        self.lock().keys.push((provider.to_owned(), key.to_owned()));
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

    /// Requests served, as `METHOD /path` lines.
    pub fn log(&self) -> Vec<String> {
        self.lock().log.clone()
    }

    /// The `SWITCHBOARD_ENDPOINTS` content that points every provider here.
    pub fn endpoints(&self) -> Value {
        let b = &self.base;
        json!({
            "claude": {
                "api_base": format!("{b}/api/claude"),
                "authorize_url": format!("{b}/claude/authorize"),
                "token_url": format!("{b}/claude/token"),
                "userinfo_url": format!("{b}/claude/profile"),
                "paste_redirect_uri": format!("{b}/claude/code-page"),
            },
            "codex": {
                "api_base": format!("{b}/api/codex"),
                "authorize_url": format!("{b}/codex/authorize"),
                "token_url": format!("{b}/codex/token"),
                "revoke_url": format!("{b}/codex/revoke"),
                "loopback_ports": self.codex_ports,
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
                "paste_redirect_uri": format!("{b}/gemini/code-page"),
            },
            "grok": {
                "api_base": format!("{b}/api/grok"),
                "authorize_url": format!("{b}/grok/authorize"),
                "token_url": format!("{b}/grok/token"),
                "userinfo_url": format!("{b}/grok/userinfo"),
                "device_code_url": format!("{b}/grok/device/code"),
                "loopback_ports": [self.grok_port],
            },
            "bob": {
                "api_base": format!("{b}/api/bob"),
                "authorize_url": format!("{b}/bob/authorize"),
                "token_url": format!("{b}/bob/token"),
                "userinfo_url": format!("{b}/bob/profile"),
                "paste_redirect_uri": format!("{b}/bob/code-page"),
            },
            "opencode": { "api_base": format!("{b}/api/opencode") },
            "cursor": { "api_base": format!("{b}/api/cursor") },
        })
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

fn handle(mut request: tiny_http::Request, state: &Mutex<State>, base: &str) {
    let url = url::Url::parse(&format!("http://fake{}", request.url())).expect("url");
    let path = url.path().to_owned();
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let content_type = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_owned())
        .unwrap_or_default();
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let bearer = header("Authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned));
    let api_key = header("x-api-key").or_else(|| header("x-goog-api-key"));
    let fields: HashMap<String, String> = if content_type.starts_with("application/json") {
        serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .map(|o| {
                o.into_iter()
                    .map(|(k, v)| (k, v.as_str().map(str::to_owned).unwrap_or(v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    };
    let (provider, rest) = path
        .trim_start_matches('/')
        .split_once('/')
        .unwrap_or(("", ""));
    let route = match rest {
        "authorize" => Some(Route::Authorize),
        "token"
            if provider == "grok"
                && fields
                    .get("grant_type")
                    .is_some_and(|g| g.ends_with("device_code")) =>
        {
            Some(Route::DevicePoll)
        }
        "token" => Some(Route::Token),
        "deviceauth/usercode" | "device/code" => Some(Route::DeviceCode),
        "deviceauth/token" => Some(Route::DevicePoll),
        "profile" | "userinfo" => Some(Route::Profile),
        _ => None,
    };
    let failure = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        s.log.push(format!("{} {path}", request.method()));
        route.and_then(|r| {
            let queue = s.failures.get_mut(&r)?;
            (!queue.is_empty()).then(|| queue.remove(0))
        })
    };
    if let Some(Failure::Slow(delay)) = failure {
        std::thread::sleep(delay);
    }
    if let Some(Failure::ServerError) = failure {
        return reply(request, 500, json!({"error": "server_error"}));
    }
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    if provider == "api" {
        // The providers' APIs, as `switchboard test` asks them: known keys (or live access
        // tokens) get 200, anything else 401.
        let (api, _) = rest.split_once('/').unwrap_or((rest, ""));
        let presented = api_key.or(bearer).unwrap_or_default();
        let known = s.keys.iter().any(|(p, k)| p == api && *k == presented)
            || s.access_tokens.contains_key(&presented);
        drop(s);
        if known {
            return reply(request, 200, json!({"data": []}));
        }
        return reply(
            request,
            401,
            json!({"error": {"message": "invalid api key", "code": "invalid_api_key"}}),
        );
    }
    let answer = match rest {
        "authorize" => authorize(&mut s, provider, &query, failure),
        "code-page" => {
            let code = query.get("code").cloned().unwrap_or_default();
            let text = match provider {
                "claude" => format!("{code}#{}", query.get("state").cloned().unwrap_or_default()),
                _ => code,
            };
            Answer::Text(200, text)
        }
        "token" if route == Some(Route::DevicePoll) => rfc8628_poll(&mut s, &fields, failure),
        "token" => token(&mut s, provider, &fields, failure),
        "deviceauth/usercode" | "device/code" => device_code(&mut s, provider, &fields, base),
        "deviceauth/token" => openai_device_poll(&mut s, &fields, base, failure),
        "device" => {
            let code = query.get("user_code").cloned().unwrap_or_default();
            let identity = s.identity.clone().expect("sign_in_as first");
            match s.devices.values_mut().find(|d| d.user_code == code) {
                Some(device) => {
                    device.approved = Some(identity);
                    Answer::Text(200, "Device approved. You can close this tab.".into())
                }
                None => Answer::Text(404, "Unknown code".into()),
            }
        }
        "profile" | "userinfo" => match bearer.and_then(|t| s.access_tokens.get(&t).cloned()) {
            Some(identity) => Answer::Json(200, profile(provider, &identity)),
            None => Answer::Json(401, json!({"error": "invalid_token"})),
        },
        "revoke" => {
            let token = fields.get("token").cloned().unwrap_or_default();
            s.refresh_tokens.remove(&token);
            s.revoked.push(token);
            Answer::Json(200, json!({}))
        }
        _ => Answer::Text(404, "not found".into()),
    };
    drop(s);
    match answer {
        Answer::Json(status, value) => reply(request, status, value),
        Answer::Text(status, text) => {
            let _ =
                request.respond(tiny_http::Response::from_string(text).with_status_code(status));
        }
        Answer::Redirect(location) => {
            let header =
                tiny_http::Header::from_bytes("Location", location.as_bytes()).expect("header");
            let _ = request.respond(tiny_http::Response::empty(302).with_header(header));
        }
    }
}

enum Answer {
    Json(u16, Value),
    Text(u16, String),
    Redirect(String),
}

fn reply(request: tiny_http::Request, status: u16, value: Value) {
    let header = tiny_http::Header::from_bytes("Content-Type", "application/json").expect("header");
    let _ = request.respond(
        tiny_http::Response::from_string(value.to_string())
            .with_status_code(status)
            .with_header(header),
    );
}

fn client_id(provider: &str) -> &'static str {
    match provider {
        "claude" => "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
        "codex" => "app_EMoamEEZ73f0CkXaXp7hrann",
        "gemini" => "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
        "grok" => "b1a00492-073a-47ea-816f-4c329264a828",
        "bob" => "bob-shell",
        _ => "",
    }
}

/// The redirect URIs a provider's client is registered for (ports as the fake registered
/// them; `None` port means any).
fn redirect_allowed(provider: &str, uri: &str, code_page: bool) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    if code_page {
        return matches!(provider, "claude" | "gemini" | "bob");
    }
    let host = url.host_str().unwrap_or("");
    match provider {
        "claude" => host == "localhost" && url.path() == "/callback",
        "codex" => host == "localhost" && url.path() == "/auth/callback",
        "gemini" => host == "127.0.0.1" && url.path() == "/oauth2callback",
        "grok" => host == "127.0.0.1" && url.path() == "/callback",
        _ => false,
    }
}

fn authorize(
    s: &mut State,
    provider: &str,
    query: &HashMap<String, String>,
    failure: Option<Failure>,
) -> Answer {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    let redirect_uri = get("redirect_uri");
    let code_page = redirect_uri.contains("/code-page");
    if get("client_id") != client_id(provider)
        || get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || get("code_challenge").len() != 43
        || get("state").is_empty()
        || !redirect_allowed(provider, &redirect_uri, code_page)
    {
        return Answer::Text(400, format!("bad authorize request for {provider}"));
    }
    if provider == "grok" && get("nonce").is_empty() {
        return Answer::Text(400, "nonce required".into());
    }
    let Some(identity) = s.identity.clone() else {
        return Answer::Text(400, "nobody to sign in as".into());
    };
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let state = match failure {
        Some(Failure::WrongState) => "forged-state-value".to_owned(),
        _ => get("state"),
    };
    if let Some(Failure::AccessDenied) = failure {
        return Answer::Redirect(format!(
            "{redirect_uri}{separator}error=access_denied&error_description=The+user+declined&state={state}"
        ));
    }
    let code = format!("ac_{}", random());
    s.codes.insert(
        code.clone(),
        Grant {
            provider: provider.to_owned(),
            challenge: get("code_challenge"),
            redirect_uri: redirect_uri.clone(),
            identity,
            used: false,
        },
    );
    Answer::Redirect(format!(
        "{redirect_uri}{separator}code={code}&state={state}"
    ))
}

fn token(
    s: &mut State,
    provider: &str,
    fields: &HashMap<String, String>,
    failure: Option<Failure>,
) -> Answer {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let invalid = |why: &str| {
        Answer::Json(
            400,
            json!({"error": "invalid_grant", "error_description": why}),
        )
    };
    if let Some(Failure::InvalidGrant) = failure {
        return invalid("Injected: the grant is invalid");
    }
    if get("client_id") != client_id(provider) {
        return Answer::Json(401, json!({"error": "invalid_client"}));
    }
    if provider == "gemini" && get("client_secret") != "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" {
        return Answer::Json(401, json!({"error": "invalid_client"}));
    }
    match get("grant_type").as_str() {
        "authorization_code" => {
            let code = get("code");
            let Some(grant) = s.codes.get_mut(&code) else {
                return invalid("Unknown authorization code");
            };
            if grant.used {
                return invalid("Authorization code already used");
            }
            grant.used = true;
            if grant.provider != provider || grant.redirect_uri != get("redirect_uri") {
                return invalid("redirect_uri does not match");
            }
            let verifier = get("code_verifier");
            if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge {
                return invalid("PKCE verification failed");
            }
            if provider == "claude" && get("state").is_empty() {
                return Answer::Json(
                    400,
                    json!({"error": "invalid_request", "error_description": "state required"}),
                );
            }
            let identity = grant.identity.clone();
            Answer::Json(200, issue(s, provider, &identity))
        }
        "refresh_token" => match s.refresh_tokens.remove(&get("refresh_token")) {
            Some((owner, identity)) if owner == provider => {
                Answer::Json(200, issue(s, provider, &identity))
            }
            _ => invalid("refresh_token_reused: the refresh token was already used"),
        },
        _ => Answer::Json(400, json!({"error": "unsupported_grant_type"})),
    }
}

fn device_code(
    s: &mut State,
    provider: &str,
    fields: &HashMap<String, String>,
    base: &str,
) -> Answer {
    if fields.get("client_id").map(String::as_str) != Some(client_id(provider)) {
        return Answer::Json(401, json!({"error": "invalid_client"}));
    }
    let device_code = format!("dc_{}", random());
    let user_code = format!("{}-{}", &random()[..4], &random()[..4]).to_uppercase();
    s.devices.insert(
        device_code.clone(),
        Device {
            provider: provider.to_owned(),
            user_code: user_code.clone(),
            approved: None,
        },
    );
    Answer::Json(
        200,
        match provider {
            "codex" => {
                json!({"device_auth_id": device_code, "user_code": user_code, "interval": "1"})
            }
            _ => json!({
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": format!("{base}/{provider}/device"),
                "verification_uri_complete": format!("{base}/{provider}/device?user_code={user_code}"),
                "expires_in": 600,
                "interval": 1,
            }),
        },
    )
}

fn openai_device_poll(
    s: &mut State,
    fields: &HashMap<String, String>,
    base: &str,
    failure: Option<Failure>,
) -> Answer {
    s.polls += 1;
    if let Some(Failure::Expired) = failure {
        return Answer::Json(
            410,
            json!({"error": "expired_token", "error_description": "The device code expired"}),
        );
    }
    let id = fields.get("device_auth_id").cloned().unwrap_or_default();
    let Some(device) = s.devices.get(&id) else {
        return Answer::Json(404, json!({"error": "not_found"}));
    };
    if device.user_code != fields.get("user_code").cloned().unwrap_or_default() {
        return Answer::Json(404, json!({"error": "not_found"}));
    }
    let Some(identity) = device.approved.clone() else {
        return Answer::Json(403, json!({"error": "authorization_pending"}));
    };
    s.devices.remove(&id);
    let verifier = format!("{}{}", random(), random());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let code = format!("ac_{}", random());
    s.codes.insert(
        code.clone(),
        Grant {
            provider: "codex".into(),
            challenge: challenge.clone(),
            redirect_uri: format!("{base}/codex/deviceauth/callback"),
            identity,
            used: false,
        },
    );
    Answer::Json(
        200,
        json!({"authorization_code": code, "code_verifier": verifier, "code_challenge": challenge}),
    )
}

/// Grok's RFC 8628 poll arrives at the token endpoint.
fn rfc8628_poll(
    s: &mut State,
    fields: &HashMap<String, String>,
    failure: Option<Failure>,
) -> Answer {
    s.polls += 1;
    match failure {
        Some(Failure::Expired) => return Answer::Json(400, json!({"error": "expired_token"})),
        Some(Failure::SlowDown) => return Answer::Json(400, json!({"error": "slow_down"})),
        _ => {}
    }
    let code = fields.get("device_code").cloned().unwrap_or_default();
    let Some(device) = s.devices.get(&code) else {
        return Answer::Json(400, json!({"error": "invalid_grant"}));
    };
    let Some(identity) = device.approved.clone() else {
        return Answer::Json(400, json!({"error": "authorization_pending"}));
    };
    let provider = device.provider.clone();
    s.devices.remove(&code);
    Answer::Json(200, issue(s, &provider, &identity))
}

/// A token response in the provider's shape, registering the tokens as live.
fn issue(s: &mut State, provider: &str, identity: &Identity) -> Value {
    let refresh = match provider {
        "claude" => format!("sk-ant-ort01-{}", random()),
        "gemini" => format!("1//{}", random()),
        _ => format!("rt_{}", random()),
    };
    let exp = now_secs() + 3600;
    let access = match provider {
        "claude" => format!("sk-ant-oat01-{}", random()),
        "gemini" => format!("ya29.{}", random()),
        "bob" => format!("bob_at_{}", random()),
        _ => jwt(&json!({"sub": identity.account_id, "exp": exp, "jti": random()})),
    };
    s.refresh_tokens
        .insert(refresh.clone(), (provider.to_owned(), identity.clone()));
    s.access_tokens.insert(access.clone(), identity.clone());
    s.issued.push((identity.email.clone(), access.clone()));
    s.issued.push((identity.email.clone(), refresh.clone()));
    match provider {
        "claude" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": 28800, "token_type": "Bearer",
            "scope": "user:inference user:profile user:sessions:claude_code",
            "account": {"uuid": identity.account_id, "email_address": identity.email},
            "organization": {"uuid": format!("org-{}", identity.account_id), "name": format!("{}'s Organization", identity.name)},
        }),
        "codex" => json!({
            "id_token": jwt(&json!({
                "email": identity.email, "exp": exp, "sub": identity.account_id,
                "https://api.openai.com/auth": {
                    "chatgpt_plan_type": identity.plan,
                    "chatgpt_account_id": identity.account_id,
                    "chatgpt_user_id": format!("user-{}", identity.account_id),
                },
            })),
            "access_token": access, "refresh_token": refresh, "expires_in": 864000,
        }),
        "gemini" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": 3599, "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email",
            "id_token": jwt(&json!({"email": identity.email, "sub": identity.account_id, "exp": exp})),
        }),
        "grok" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": 3600, "token_type": "Bearer",
            "id_token": jwt(&json!({"email": identity.email, "sub": identity.account_id, "exp": exp})),
        }),
        _ => json!({"access_token": access, "refresh_token": refresh, "expires_in": 3600}),
    }
}

fn profile(provider: &str, identity: &Identity) -> Value {
    match provider {
        "claude" => json!({
            "account": {"uuid": identity.account_id, "email": identity.email, "display_name": identity.name},
            "organization": {
                "uuid": format!("org-{}", identity.account_id),
                "name": format!("{}'s Organization", identity.name),
                "organization_type": format!("claude_{}", identity.plan),
                "rate_limit_tier": format!("default_claude_{}", identity.plan),
                "billing_type": "stripe_subscription",
            },
        }),
        "gemini" => {
            json!({"id": identity.account_id, "email": identity.email, "verified_email": true, "name": identity.name})
        }
        "bob" => json!({"email": identity.email, "plan": identity.plan, "instance_id": "inst-1"}),
        _ => json!({"sub": identity.account_id, "email": identity.email}),
    }
}

/// An unsigned-looking JWT (Switchboard reads claims, it never verifies fake signatures).
fn jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(random()))
}

fn random() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = format!(
        "{:?}{}{}",
        Instant::now(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    hex(&Sha256::digest(seed.as_bytes())[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A port free right now (for the registered loopback ports of the fake clients).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
