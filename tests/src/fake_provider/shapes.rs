//! What the fake provider hands out: token responses and profiles in each provider's shape,
//! and the random values and unsigned JWTs inside them.

use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::server::{Answer, State};
use super::{FakeUsage, Identity};

/// A token response in the provider's shape, registering the tokens as live.
pub(super) fn issue(s: &mut State, provider: &str, identity: &Identity) -> Value {
    let refresh = match provider {
        "claude" => format!("sk-ant-ort01-{}", random()),
        "gemini" => format!("1//{}", random()),
        _ => format!("rt_{}", random()),
    };
    let lifetime = s.lifetimes.get(provider).copied();
    let exp = now_secs() as i64 + lifetime.unwrap_or(3600);
    let access = match provider {
        "claude" => format!("sk-ant-oat01-{}", random()),
        "gemini" => format!("ya29.{}", random()),
        _ => jwt(&json!({"sub": identity.account_id, "exp": exp, "jti": random()})),
    };
    s.refresh_tokens
        .insert(refresh.clone(), (provider.to_owned(), identity.clone()));
    s.access_tokens.insert(access.clone(), identity.clone());
    s.issued.push((identity.email.clone(), access.clone()));
    s.issued.push((identity.email.clone(), refresh.clone()));
    match provider {
        "claude" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": lifetime.unwrap_or(28800), "token_type": "Bearer",
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
            "access_token": access, "refresh_token": refresh, "expires_in": lifetime.unwrap_or(864000),
        }),
        "gemini" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": lifetime.unwrap_or(3599), "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email",
            "id_token": jwt(&json!({"email": identity.email, "sub": identity.account_id, "exp": exp})),
        }),
        "grok" => json!({
            "access_token": access, "refresh_token": refresh, "expires_in": lifetime.unwrap_or(3600), "token_type": "Bearer",
            "id_token": jwt(&json!({"email": identity.email, "sub": identity.account_id, "exp": exp})),
        }),
        _ => json!({"access_token": access, "refresh_token": refresh, "expires_in": 3600}),
    }
}

pub(super) fn profile(provider: &str, identity: &Identity) -> Value {
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
        _ => json!({"sub": identity.account_id, "email": identity.email}),
    }
}

/// An unsigned-looking JWT (Switchboard reads claims, it never verifies fake signatures).
fn jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(random()))
}

pub(super) fn random() -> String {
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

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A usage endpoint's answer in the provider's own shape (USAGE-AND-LIFECYCLE §1), after
/// the checks the real endpoint makes: Claude wants its OAuth beta header and a Claude Code
/// User-Agent (others land in a bucket that stays on 429); ChatGPT wants the account id.
pub(super) fn usage_answer(
    provider: &str,
    route: &str,
    identity: &Identity,
    usage: FakeUsage,
    header: &dyn Fn(&'static str) -> Option<String>,
) -> Answer {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (short_reset, long_reset) = (now + 130 * 60, now + 4 * 24 * 3600);
    let rfc3339 = |secs: i64| switchboard_core::time::rfc3339(secs * 1000);
    match (provider, route) {
        ("claude", _) => {
            if header("anthropic-beta").as_deref() != Some("oauth-2025-04-20") {
                return Answer::Json(
                    400,
                    json!({"error": {"message": "OAuth beta header missing"}}),
                );
            }
            if !header("User-Agent").is_some_and(|ua| ua.starts_with("claude-code/")) {
                return Answer::Json(429, json!({"error": {"message": "rate limited"}}));
            }
            Answer::Json(
                200,
                json!({
                    "five_hour": {"utilization": usage.five_hour, "resets_at": rfc3339(short_reset)},
                    "seven_day": {"utilization": usage.seven_day, "resets_at": rfc3339(long_reset)},
                    "seven_day_opus": null,
                    "extra_usage": {"is_enabled": false, "utilization": null},
                }),
            )
        }
        ("codex", _) => {
            if header("ChatGPT-Account-Id").as_deref() != Some(&identity.account_id) {
                return Answer::Json(403, json!({"detail": "account mismatch"}));
            }
            Answer::Json(
                200,
                json!({"plan_type": identity.plan, "rate_limit": {
                "primary_window": {"used_percent": usage.five_hour, "reset_at": short_reset, "limit_window_seconds": 18000},
                "secondary_window": {"used_percent": usage.seven_day, "reset_at": long_reset, "limit_window_seconds": 604800}},
                "credits": {"has_credits": false, "unlimited": false, "balance": "0"}}),
            )
        }
        ("gemini", "v1internal:loadCodeAssist") => Answer::Json(
            200,
            json!({
            "currentTier": {"id": "standard-tier", "name": "Gemini Code Assist Standard"},
            "cloudaicompanionProject": "fake-project"}),
        ),
        ("gemini", _) => Answer::Json(
            200,
            json!({"buckets": [
            {"modelId": "gemini-2.5-pro", "remainingFraction": 1.0 - usage.five_hour / 100.0, "resetTime": rfc3339(short_reset)},
            {"modelId": "gemini-2.5-flash", "remainingFraction": 1.0 - usage.seven_day / 100.0, "resetTime": rfc3339(short_reset)}]}),
        ),
        ("grok", _) if header("X-XAI-Token-Auth").as_deref() == Some("xai-grok-cli") => {
            Answer::Json(
                200,
                json!({"config": {"creditUsagePercent": usage.five_hour,
                "currentPeriod": {"type": "USAGE_PERIOD_TYPE_WEEKLY", "end": rfc3339(long_reset)}}}),
            )
        }
        _ => Answer::Json(404, json!({"error": "not found"})),
    }
}
