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
}

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
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
