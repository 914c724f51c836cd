//! The vocabulary: which providers exist (ids, names, commands as data), the kinds of
//! account, sign-in methods, paste kinds, endpoint presets and efforts, and the shape of a
//! provider's catalog entry. It imports nothing of the domain; the facts per provider live in
//! `providers/`.

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
        self.names().0
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The name people know the CLI by ("Claude Code").
    pub fn display_name(self) -> &'static str {
        self.names().1
    }

    /// The command the user runs (`claude`, `codex`, ...).
    pub fn cli_command(self) -> &'static str {
        self.names().2
    }

    fn names(self) -> (&'static str, &'static str, &'static str) {
        NAMES[self as usize]
    }
}

/// Per provider, in the order of [`ProviderId`]: the stable name, the display name and the
/// CLI's command.
const NAMES: [(&str, &str, &str); 7] = [
    ("claude", "Claude Code", "claude"),
    ("codex", "Codex", "codex"),
    ("gemini", "Gemini CLI", "gemini"),
    ("grok", "Grok", "grok"),
    ("bob", "Bob Shell", "bob"),
    ("opencode", "Opencode", "opencode"),
    ("cursor", "Cursor agent", "cursor-agent"),
];

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

/// How a sign-in gets its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// The browser redirects to a loopback listener; pasting the answer works too.
    Browser,
    /// No listener: the user pastes what the provider's page shows.
    Paste,
    /// A code the user types on the provider's page, from any device.
    Device,
}

impl SignInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Browser => "browser",
            SignInMethod::Paste => "paste",
            SignInMethod::Device => "device",
        }
    }

    /// The method in words ("the browser").
    pub fn describe(self) -> &'static str {
        match self {
            SignInMethod::Browser => "the browser",
            SignInMethod::Paste => "paste-back",
            SignInMethod::Device => "a device code",
        }
    }
}

/// What a user pastes back for a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PasteKind {
    /// Claude's code page shows `code#state`.
    CodeAndState,
    /// Google's page shows a code.
    Code,
    /// The address the browser was redirected to (its page fails to load).
    RedirectedUrl,
}

/// Where a key account sends its requests. Presets other than `Default` and `Custom` are
/// Codex's endpoint types; each provider's catalog entry lists the ones it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndpointPreset {
    /// The provider's own endpoint.
    #[default]
    Default,
    /// A hosted Responses-compatible proxy (for example LiteLLM in front of OpenRouter).
    ResponsesHosted,
    /// A Responses-compatible server on this machine (LM Studio).
    LocalResponses,
    /// Azure OpenAI; the base URL is rewritten to the shape Codex's Responses client needs.
    AzureOpenai,
    /// Any other base URL.
    Custom,
}

impl EndpointPreset {
    pub const ALL: [EndpointPreset; 5] = [
        EndpointPreset::Default,
        EndpointPreset::ResponsesHosted,
        EndpointPreset::LocalResponses,
        EndpointPreset::AzureOpenai,
        EndpointPreset::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndpointPreset::Default => "default",
            EndpointPreset::ResponsesHosted => "responses_hosted",
            EndpointPreset::LocalResponses => "local_responses",
            EndpointPreset::AzureOpenai => "azure_openai",
            EndpointPreset::Custom => "custom",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// One endpoint type as the form offers it: what it is called, what its base URL looks
/// like, and what is filled in when none is given.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PresetOption {
    pub preset: EndpointPreset,
    pub label: &'static str,
    /// An example base URL for the field's placeholder (empty: the provider's own API).
    pub placeholder: &'static str,
    /// Whether a base URL must be entered.
    pub needs_url: bool,
    /// The API version used when none is entered (Azure).
    pub default_api_version: Option<&'static str>,
    /// What the user should know about it (how the URL is rewritten, say).
    pub note: Option<&'static str>,
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
    pub sign_in_methods: Vec<SignInMethod>,
    /// What a user pastes back to finish a sign-in, when the provider signs in.
    pub paste: Option<PasteKind>,
    /// The endpoint types a key account may use, `Default` first.
    pub endpoint_presets: Vec<PresetOption>,
    /// The AWS region a new Bedrock account starts with (Claude).
    pub default_region: Option<&'static str>,
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
