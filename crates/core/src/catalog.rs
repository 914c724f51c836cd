//! The vocabulary of the catalog: which providers exist, what kinds of account each takes,
//! its key prefixes, default endpoints and model/effort settings. The facts per provider
//! live in `providers/`; this module only defines their shape.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every provider Switchboard manages, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderId {
    Claude,
    Codex,
    Gemini,
    Grok,
    Bob,
    Opencode,
    Cursor,
}

impl ProviderId {
    pub const ALL: [ProviderId; 7] = [
        ProviderId::Claude,
        ProviderId::Codex,
        ProviderId::Gemini,
        ProviderId::Grok,
        ProviderId::Bob,
        ProviderId::Opencode,
        ProviderId::Cursor,
    ];

    /// The stable name used in the database, the command line and deep links.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::Claude => "claude",
            ProviderId::Codex => "codex",
            ProviderId::Gemini => "gemini",
            ProviderId::Grok => "grok",
            ProviderId::Bob => "bob",
            ProviderId::Opencode => "opencode",
            ProviderId::Cursor => "cursor",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    pub fn display_name(self) -> &'static str {
        crate::providers::info(self).display_name
    }
}

/// How an account authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// Browser sign-in with refreshable tokens.
    Oauth,
    /// A provider API key.
    ApiKey,
    /// Claude Code on AWS Bedrock: access keys or a Bedrock API key, plus a region.
    Bedrock,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Oauth => "oauth",
            AccountKind::ApiKey => "api_key",
            AccountKind::Bedrock => "bedrock",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            AccountKind::Oauth,
            AccountKind::ApiKey,
            AccountKind::Bedrock,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }

    /// Only accounts that sign in can share a round-robin pool: key accounts are billed
    /// per token, so rotating between them buys nothing and hides cost.
    pub fn can_join_pool(self) -> bool {
        self == AccountKind::Oauth
    }
}

/// Reasoning effort, where a CLI takes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    Low,
    Medium,
    High,
    Xhigh,
    Max,
}

impl Effort {
    pub const ALL: [Effort; 5] = [
        Effort::Low,
        Effort::Medium,
        Effort::High,
        Effort::Xhigh,
        Effort::Max,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
            Effort::Xhigh => "xhigh",
            Effort::Max => "max",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A model the provider suggests, with the efforts that model takes.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ModelOption {
    pub id: &'static str,
    /// Efforts this model takes; empty means the provider-wide list applies.
    pub efforts: Vec<Effort>,
    pub default_effort: Option<Effort>,
}

/// The provider's default API endpoint (sign-in endpoints are in its OAuth client, see
/// `signin::client`).
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct DefaultEndpoints {
    pub api_base: &'static str,
}

/// Everything the UI and the domain need to know about one provider.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub display_name: &'static str,
    /// The command the user runs (`claude`, `codex`, ...).
    pub cli_command: &'static str,
    pub account_kinds: Vec<AccountKind>,
    /// What the key is called on the provider's site ("Anthropic API key").
    pub key_name: &'static str,
    /// Prefixes a well-formed key starts with; a key without one gets a warning, not an error.
    pub key_prefixes: Vec<&'static str>,
    /// Whether keys may also be JSON Web Tokens (Bob Shell).
    pub key_may_be_jwt: bool,
    pub endpoints: DefaultEndpoints,
    /// Whether a custom endpoint takes an API version (Codex, Gemini).
    pub takes_api_version: bool,
    pub models: Vec<ModelOption>,
    /// Efforts for any model not listed in `models` (empty: the provider has no effort setting).
    pub efforts: Vec<Effort>,
    /// The ways it signs in, the one offered first first (empty: keys only).
    pub sign_in_methods: Vec<crate::signin::SignInMethod>,
    /// What a user pastes back to finish a sign-in, when the provider signs in.
    pub paste: Option<crate::signin::PasteKind>,
}

impl ProviderInfo {
    pub fn takes(&self, kind: AccountKind) -> bool {
        self.account_kinds.contains(&kind)
    }

    /// The efforts that `model` takes (the provider-wide list for unknown or unset models).
    pub fn efforts_for(&self, model: Option<&str>) -> &[Effort] {
        model
            .and_then(|m| self.models.iter().find(|o| o.id == m))
            .filter(|o| !o.efforts.is_empty())
            .map(|o| o.efforts.as_slice())
            .unwrap_or(&self.efforts)
    }
}
