//! The fake provider's routes: authorize, token (code, refresh, device grant), device codes,
//! profile/userinfo, revoke, and the providers' APIs that `switchboard test` asks.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::shapes::{issue, profile, random};
use super::{Failure, FakeUsage, Identity, Route};

pub(super) struct Grant {
    pub(super) provider: String,
    pub(super) challenge: String,
    pub(super) redirect_uri: String,
    pub(super) identity: Identity,
    pub(super) used: bool,
}

pub(super) struct Device {
    pub(super) provider: String,
    pub(super) user_code: String,
    pub(super) approved: Option<Identity>,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) identity: Option<Identity>,
    pub(super) failures: HashMap<Route, Vec<Failure>>,
    pub(super) codes: HashMap<String, Grant>,
    pub(super) devices: HashMap<String, Device>,
    /// Live refresh tokens and whose they are; a used one is removed (rotation).
    pub(super) refresh_tokens: HashMap<String, (String, Identity)>,
    pub(super) access_tokens: HashMap<String, Identity>,
    /// Every token issued, with the email it was issued to.
    pub(super) issued: Vec<(String, String)>,
    /// API keys the fake's APIs accept, per provider.
    pub(super) keys: Vec<(String, String)>,
    pub(super) polls: usize,
    /// Refresh tokens already exchanged (rotation: each works once).
    pub(super) spent_refresh_tokens: std::collections::HashSet<String>,
    /// Refresh tokens presented again after they were spent: a client that raced itself.
    pub(super) reused: Vec<String>,
    /// Every refresh the token endpoints granted: provider and email.
    pub(super) refreshes: Vec<(String, String)>,
    /// Every revocation: provider and the token revoked.
    pub(super) revoked: Vec<(String, String)>,
    /// Requests that reached a token endpoint (counted on arrival, before any delay).
    pub(super) token_requests: usize,
    /// Access-token lifetimes (seconds) per provider, when a test sets one.
    pub(super) lifetimes: HashMap<String, i64>,
    /// Every request to the providers' APIs: the path after `/api/<provider>` and the JSON
    /// body, as a CLI sent it.
    pub(super) api_requests: Vec<(String, Value)>,
    /// What the usage endpoints report, per email.
    pub(super) usage: HashMap<String, FakeUsage>,
    /// Requests that reached a usage endpoint.
    pub(super) usage_requests: usize,
}

pub(super) fn handle(mut request: tiny_http::Request, state: &Mutex<State>, base: &str) {
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
        "usage" | "billing" | "v1internal:loadCodeAssist" | "v1internal:retrieveUserQuota" => {
            Some(Route::Usage)
        }
        _ => None,
    };
    let failure = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        if route == Some(Route::Token) {
            s.token_requests += 1;
        }
        if route == Some(Route::Usage) {
            s.usage_requests += 1;
        }
        route.and_then(|r| {
            let queue = s.failures.get_mut(&r)?;
            (!queue.is_empty()).then(|| queue.remove(0))
        })
    };
    if let Some(Failure::Slow(delay)) = failure {
        std::thread::sleep(delay);
    }
    match failure {
        Some(Failure::ServerError) => {
            return reply(request, 500, json!({"error": "server_error"}));
        }
        Some(Failure::TooManyRequests) => {
            let retry = tiny_http::Header::from_bytes("Retry-After", "120").expect("header");
            let _ = request.respond(
                tiny_http::Response::from_string("{\"error\":\"rate_limited\"}")
                    .with_status_code(429)
                    .with_header(retry),
            );
            return;
        }
        Some(Failure::Garbage) => {
            let _ = request.respond(tiny_http::Response::from_string("<html>maintenance</html>"));
            return;
        }
        _ => {}
    }
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    if provider == "api" {
        // The providers' APIs, as `switchboard test` asks them: known keys (or live access
        // tokens) get 200, anything else 401.
        let (api, api_path) = rest.split_once('/').unwrap_or((rest, ""));
        s.api_requests.push((
            format!("/{api_path}"),
            serde_json::from_str(&body).unwrap_or(Value::Null),
        ));
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
        "usage" | "billing" | "v1internal:loadCodeAssist" | "v1internal:retrieveUserQuota" => {
            match bearer.and_then(|t| s.access_tokens.get(&t).cloned()) {
                Some(identity) => {
                    let usage = s.usage.get(&identity.email).copied().unwrap_or_default();
                    super::shapes::usage_answer(provider, rest, &identity, usage, &header)
                }
                None => Answer::Json(401, json!({"error": "invalid_token"})),
            }
        }
        "profile" | "userinfo" => match bearer.and_then(|t| s.access_tokens.get(&t).cloned()) {
            Some(identity) => Answer::Json(200, profile(provider, &identity)),
            None => Answer::Json(401, json!({"error": "invalid_token"})),
        },
        "revoke" => {
            let token = fields.get("token").cloned().unwrap_or_default();
            if fields.get("client_id").map(String::as_str) != Some(client_id(provider)) {
                Answer::Json(401, json!({"error": "invalid_client"}))
            } else {
                s.refresh_tokens.remove(&token);
                s.revoked.push((provider.to_owned(), token));
                Answer::Json(200, json!({}))
            }
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

pub(super) enum Answer {
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

pub(super) fn client_id(provider: &str) -> &'static str {
    match provider {
        "claude" => "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
        "codex" => "app_EMoamEEZ73f0CkXaXp7hrann",
        "gemini" => "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
        "grok" => "b1a00492-073a-47ea-816f-4c329264a828",
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
        return matches!(provider, "claude" | "gemini");
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
    if let Some(Failure::MarkupText) = failure {
        return invalid("Session ended. <a href=\"https://evil.example/reauth\">Sign in again here</a> <img src=\"https://evil.example/t.png\"/>");
    }
    if let Some(Failure::HostileText) = failure {
        return invalid("\u{1b}[2J\u{1b}]0;pwned\u{7}code \u{202E}deripxe\u{1b}[31m red");
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
            let mut tokens = issue(s, provider, &identity);
            if let (Some(Failure::Anonymous), Some(fields)) = (failure, tokens.as_object_mut()) {
                fields.remove("account");
                fields.remove("id_token");
            }
            Answer::Json(200, tokens)
        }
        "refresh_token" => {
            let presented = get("refresh_token");
            match s.refresh_tokens.remove(&presented) {
                Some((owner, identity)) if owner == provider => {
                    s.spent_refresh_tokens.insert(presented);
                    s.refreshes
                        .push((provider.to_owned(), identity.email.clone()));
                    Answer::Json(200, issue(s, provider, &identity))
                }
                _ => {
                    if s.spent_refresh_tokens.contains(&presented) {
                        s.reused.push(presented);
                    }
                    invalid("refresh_token_reused: the refresh token was already used")
                }
            }
        }
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
