//! Sign-in per provider: its OAuth client (endpoints, ids, redirect URIs), the ways it signs
//! in, and how a token response becomes a login in the shape its CLI keeps.

use serde_json::Value;

use super::files::FoundLogin;
use crate::catalog::ProviderId;
use crate::signin::client::OAuthClient;
use crate::signin::{PasteKind, SignInMethod};

/// The provider's OAuth client with its real endpoints; `None` for key-only providers.
pub fn oauth_client(provider: ProviderId) -> Option<OAuthClient> {
    match provider {
        ProviderId::Claude => Some(super::claude::oauth_client()),
        ProviderId::Codex => Some(super::codex::oauth_client()),
        ProviderId::Gemini => Some(super::gemini::oauth_client()),
        ProviderId::Grok => Some(super::grok::oauth_client()),
        ProviderId::Bob => Some(super::bob::oauth_client()),
        ProviderId::Opencode | ProviderId::Cursor => None,
    }
}

/// The ways a provider signs in, the one the window offers first.
pub fn sign_in_methods(provider: ProviderId) -> Vec<SignInMethod> {
    use SignInMethod::*;
    match provider {
        ProviderId::Claude | ProviderId::Gemini => vec![Browser, Paste],
        ProviderId::Codex => vec![Browser, Paste, Device],
        ProviderId::Grok => vec![Device, Browser],
        ProviderId::Bob => vec![Paste],
        ProviderId::Opencode | ProviderId::Cursor => vec![],
    }
}

/// What the user pastes: the provider's code page's text, or the redirected address.
pub fn paste_kind(provider: ProviderId) -> PasteKind {
    match provider {
        ProviderId::Claude => PasteKind::CodeAndState,
        ProviderId::Gemini | ProviderId::Bob => PasteKind::Code,
        _ => PasteKind::RedirectedUrl,
    }
}

/// Whether identity needs the userinfo/profile endpoint (the others carry an `id_token`).
pub fn needs_profile(provider: ProviderId) -> bool {
    matches!(
        provider,
        ProviderId::Claude | ProviderId::Gemini | ProviderId::Bob
    )
}

/// A login from a token response (and the profile, when fetched), in the shape the
/// provider's CLI keeps; `None` when the response lacks what the CLI needs.
pub fn login_from_tokens(
    provider: ProviderId,
    tokens: &Value,
    profile: Option<&Value>,
) -> Option<FoundLogin> {
    match provider {
        ProviderId::Claude => super::claude::signed_in(tokens, profile),
        ProviderId::Codex => super::codex::signed_in(tokens),
        ProviderId::Gemini => super::gemini::signed_in(tokens, profile),
        ProviderId::Grok => super::grok::signed_in(tokens),
        ProviderId::Bob => super::bob::signed_in(tokens, profile),
        ProviderId::Opencode | ProviderId::Cursor => None,
    }
}

pub(super) fn text<'a>(value: Option<&'a Value>, pointer: &str) -> Option<&'a str> {
    value?
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Unix ms `expires_in` seconds from now (the default when the response has none).
pub(super) fn expiry_ms(tokens: &Value, default_secs: i64) -> i64 {
    let seconds = tokens
        .get("expires_in")
        .and_then(Value::as_i64)
        .unwrap_or(default_secs);
    crate::store::now_ms() + seconds * 1000
}
