//! TypeScript types for IPC, generated from the Rust types (and the contract of `ipc`: its
//! commands' arguments and answers, events and window globals). The generated file is committed
//! at `ui/src/lib/bindings.ts`; a test fails when it is stale, so a renamed field breaks CI.
//! Regenerate with `make bindings`.

use ts_rs::TS;

use crate::account::{
    Account, AccountEdit, AccountSettings, AccountStatus, Endpoint, EndpointInput, EndpointPreset,
    Fallback, KeyCredential, NewKeyAccount, Saved,
};
use crate::catalog::{
    AccountKind, DefaultEndpoints, Effort, ModelOption, PresetOption, ProviderId, ProviderInfo,
};
use crate::check::{CheckResult, CheckVerdict};
use crate::deep_link::LinkRequest;
use crate::error::{ErrorCode, ErrorPayload};
use crate::facade::{
    AccountUsage, AccountView, Change, FirstView, Imported, Overview, ProviderAccounts,
    RefreshOutcome, Refreshed, Revoked, Settings, Switched,
};
use crate::limits::{Limits, UsageReading, UsageSample, UsageWindow};
use crate::signin::{PasteKind, SignInMethod, SignInStarted, SignedIn};
use crate::store::{EventKind, EventRecord};

/// Path of the generated file, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";
/// The catalog as the app serves it, for the UI's unit tests (generated, committed).
pub const CATALOG_PATH: &str = "ui/src/lib/catalog.generated.json";

/// The catalog the app's `catalog` command returns, as JSON.
pub fn catalog_json() -> String {
    let catalog: Vec<_> = crate::providers::all();
    let mut text = serde_json::to_string_pretty(&catalog).unwrap_or_default();
    text.push('\n');
    text
}

/// The whole generated file.
pub fn typescript() -> String {
    let declarations = [
        ProviderId::decl(),
        AccountKind::decl(),
        Effort::decl(),
        ModelOption::decl(),
        DefaultEndpoints::decl(),
        SignInMethod::decl(),
        PasteKind::decl(),
        PresetOption::decl(),
        ProviderInfo::decl(),
        AccountStatus::decl(),
        EndpointPreset::decl(),
        Fallback::decl(),
        Endpoint::decl(),
        UsageWindow::decl(),
        Limits::decl(),
        UsageReading::decl(),
        UsageSample::decl(),
        Account::decl(),
        AccountView::decl(),
        KeyCredential::decl(),
        EndpointInput::decl(),
        NewKeyAccount::decl(),
        AccountSettings::decl(),
        AccountEdit::decl(),
        Saved::decl(),
        EventKind::decl(),
        EventRecord::decl(),
        Change::decl(),
        ProviderAccounts::decl(),
        Overview::decl(),
        FirstView::decl(),
        Switched::decl(),
        AccountUsage::decl(),
        Settings::decl(),
        Imported::decl(),
        Revoked::decl(),
        RefreshOutcome::decl(),
        Refreshed::decl(),
        SignInStarted::decl(),
        SignedIn::decl(),
        LinkRequest::decl(),
        CheckVerdict::decl(),
        CheckResult::decl(),
        ErrorCode::decl(),
        ErrorPayload::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (crates/core/src/bindings.rs). Do not edit.\n",
    );
    for decl in declarations {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&crate::ipc::typescript());
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Compares a committed generated file with what the code generates now (and rewrites
    /// it with `SWITCHBOARD_UPDATE_BINDINGS=1`, which `make bindings` sets).
    fn current(relative: &str, generated: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative);
        if std::env::var_os("SWITCHBOARD_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, generated).expect("write generated file");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{relative} is stale: run `make bindings` and commit the result"
        );
    }

    #[test]
    fn committed_typescript_bindings_are_current() {
        current(super::BINDINGS_PATH, &super::typescript());
    }

    #[test]
    fn the_catalog_the_ui_tests_use_is_current() {
        current(super::CATALOG_PATH, &super::catalog_json());
    }
}
