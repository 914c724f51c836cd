//! What the fake provider hands out: token responses and profiles in each provider's shape,
//! and the random values and unsigned JWTs inside them.

use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::server::State;
use super::Identity;

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
