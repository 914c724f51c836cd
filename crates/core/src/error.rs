//! The one error type of the domain, with a stable machine-readable code for the UI and the
//! command line. Messages say what went wrong and what to do; they never carry a secret.

use serde::Serialize;
use ts_rs::TS;

use crate::catalog::ProviderId;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the UI switches on. Serialised in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    NotAllowed,
    Conflict,
    ProviderNotConfigured,
    KeychainUnavailable,
    Keychain,
    Storage,
    Io,
    /// A sign-in answer that belongs to another sign-in (its `state` does not match).
    StateMismatch,
    /// The user or the provider declined the sign-in.
    AccessDenied,
    /// The provider refused the code or token: expired, already used or revoked.
    CodeRejected,
    /// The sign-in (or its device code) ran out of time.
    SignInExpired,
    SignInCancelled,
    /// The loopback port a provider requires is taken by another program.
    PortBusy,
    /// The provider could not be reached.
    Network,
    /// The provider answered with an error of its own (5xx, malformed answer).
    ProviderError,
    /// The provider refused an account's credential when checked.
    CredentialRefused,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Provider not configured: {} has no active account", .0.display_name())]
    ProviderNotConfigured(ProviderId),
    #[error(
        "No usable keychain: {detail}. Switchboard stores secrets only in the OS keychain and saved nothing. \
         Start a Secret Service provider such as gnome-keyring (`gnome-keyring-daemon --start --components=secrets`) \
         or KeePassXC with Secret Service integration, make sure its default collection is unlocked, then try again."
    )]
    KeychainUnavailable { detail: String },
    #[error("Keychain error while {context}: {message}")]
    Keychain { context: String, message: String },
    #[error("Database error: {0}")]
    Storage(String),
    #[error("Error while {context}: {message}")]
    Io { context: String, message: String },
    #[error("The sign-in answer does not belong to this sign-in (its state does not match). Nothing was saved; start the sign-in again.")]
    StateMismatch,
    #[error("{} sign-in was declined: {detail}. Nothing was saved.", .provider.display_name())]
    AccessDenied {
        provider: ProviderId,
        detail: String,
    },
    #[error("{} rejected the sign-in ({detail}): the code has expired or was already used. Nothing was saved; start the sign-in again.", .provider.display_name())]
    CodeRejected {
        provider: ProviderId,
        detail: String,
    },
    #[error("The {} sign-in expired before it was completed. Nothing was saved; start it again.", .0.display_name())]
    SignInExpired(ProviderId),
    #[error("The sign-in was cancelled. Nothing was saved.")]
    SignInCancelled,
    #[error("Port {port} on 127.0.0.1 is in use by another program, and {} accepts sign-ins only there. Close the program holding it (often another `{} login`), or sign in with {fallback}.", .provider.display_name(), .provider.as_str())]
    PortBusy {
        provider: ProviderId,
        port: String,
        fallback: &'static str,
    },
    #[error("Could not reach {host} while {context}: {message}. Check the network connection and try again.")]
    Network {
        host: String,
        context: String,
        message: String,
    },
    #[error("{} answered with an error while {context}: {detail}", .provider.display_name())]
    ProviderError {
        provider: ProviderId,
        context: String,
        detail: String,
    },
    #[error("{label}: {detail}")]
    CredentialRefused { label: String, detail: String },
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotAllowed(_) => ErrorCode::NotAllowed,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::ProviderNotConfigured(_) => ErrorCode::ProviderNotConfigured,
            Error::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            Error::Keychain { .. } => ErrorCode::Keychain,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
            Error::StateMismatch => ErrorCode::StateMismatch,
            Error::AccessDenied { .. } => ErrorCode::AccessDenied,
            Error::CodeRejected { .. } => ErrorCode::CodeRejected,
            Error::SignInExpired(_) => ErrorCode::SignInExpired,
            Error::SignInCancelled => ErrorCode::SignInCancelled,
            Error::PortBusy { .. } => ErrorCode::PortBusy,
            Error::Network { .. } => ErrorCode::Network,
            Error::ProviderError { .. } => ErrorCode::ProviderError,
            Error::CredentialRefused { .. } => ErrorCode::CredentialRefused,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    pub fn io(context: impl Into<String>, err: impl std::fmt::Display) -> Self {
        Error::Io {
            context: context.into(),
            message: err.to_string(),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Error::Storage(err.to_string())
    }
}
