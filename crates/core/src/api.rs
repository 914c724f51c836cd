//! The core's front door: what the command line and the desktop app use, and nothing else.
//! Everything behind it is private to the crate (see `internal_modules!` in `lib.rs`), so
//! code nobody calls is a compiler warning, and a face reaching past this module fails to
//! build (`make test` checks the faces without the tests' `testing` feature). The names
//! mirror the modules they come from.

pub use crate::config::Config;
pub use crate::error::{Error, ErrorCode, Result};
pub use crate::facade::Switchboard;

/// Accounts and what the user enters for them.
pub mod account {
    pub use crate::account::{Account, AccountStatus, Fallback, KeyCredential, NewKeyAccount};
}

/// The providers and what they offer.
pub mod catalog {
    pub use crate::catalog::ProviderId;
}

/// What a provider said of a credential.
pub mod check {
    pub use crate::check::CheckVerdict;
}

/// `switchboard://` links: parsed, asked about, carried out.
pub mod deep_link {
    pub use crate::deep_link::{
        ask, carry_out, carry_out_asked, is_link, parse, Asked, DeepLink, LinkRequest, PendingAsks,
    };
}

pub mod error {
    pub use crate::error::{Error, ErrorCode, Result};
}

/// What the facade's actions answer.
pub mod facade {
    pub use crate::facade::{
        AccountUsage, AccountView, ExecAccount, FirstView, Overview, RefreshOutcome, Refreshed,
        Revoked, Switched, AUTO_SWITCH_DEFAULT,
    };
}

/// The process's HTTP set-up (the app installs the TLS crypto before Tauri makes a client).
pub mod http {
    pub use crate::http::install_crypto;
}

/// The window's IPC contract.
pub mod ipc {
    pub use crate::ipc::*;
}

pub mod limits {
    pub use crate::limits::duration_words;
}

pub mod logging {
    pub use crate::logging::init;
}

pub mod providers {
    pub use crate::providers::info;
}

/// The app's timer: refreshes and usage readings when they are due.
pub mod refresher {
    pub use crate::refresher::Refresher;
}

pub mod secret {
    pub use crate::secret::Sensitive;
}

pub mod signin {
    pub use crate::signin::{PasteKind, SignInMethod, SignInStarted};

    pub mod browser {
        pub use crate::signin::browser::OpenWith;
    }
}

pub mod store {
    pub use crate::store::EventKind;
}

/// Text from providers and for terminals and notifications, made safe to show.
pub mod text {
    pub use crate::text::{notification_body, printable};
}

pub mod time {
    pub use crate::time::{now_ms, parse_rfc3339, rfc3339};
}

/// The tray menu as data.
pub mod tray {
    pub use crate::tray::{switch_notice, tray_menu, TrayAction, TrayItem, TrayMenu};
}

/// Logins the CLIs wrote, and other processes' changes, followed.
pub mod watch {
    pub use crate::watch::LoginWatcher;
}
