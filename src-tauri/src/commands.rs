//! IPC commands: typed arguments, one facade call each, errors serialised as `{code, message}`.
//! Every command that may wait (the keychain, a file lock, the network, SQLite) runs on the
//! blocking pool, so the window never freezes while, say, the keychain asks to be unlocked.

use std::sync::Arc;

use tauri::State;

use switchboard_core::account::{
    Account, AccountEdit, Fallback, KeyCredential, NewKeyAccount, Saved,
};
use switchboard_core::catalog::{ProviderId, ProviderInfo};
use switchboard_core::check::CheckResult;
use switchboard_core::deep_link::LinkRequest;
use switchboard_core::error::{Error, Result};
use switchboard_core::facade::{AccountUsage, Imported, Overview, Revoked, Settings, Switched};
use switchboard_core::limits::UsageSample;
use switchboard_core::signin::{SignInMethod, SignInStarted, SignedIn};
use switchboard_core::Switchboard;

use crate::links::Links;

type Board<'a> = State<'a, Arc<Switchboard>>;

/// Runs `work` with the facade on the blocking pool.
async fn off_main<T: Send + 'static>(
    board: Board<'_>,
    work: impl FnOnce(&Switchboard) -> Result<T> + Send + 'static,
) -> Result<T> {
    let board = board.inner().clone();
    tauri::async_runtime::spawn_blocking(move || work(&board))
        .await
        .map_err(|e| Error::io("running a command", e))?
}

#[tauri::command]
pub fn catalog(board: Board<'_>) -> Vec<ProviderInfo> {
    board.catalog()
}

#[tauri::command]
pub async fn overview(board: Board<'_>) -> Result<Overview> {
    off_main(board, |b| b.overview()).await
}

#[tauri::command]
pub async fn add_key_account(board: Board<'_>, input: NewKeyAccount) -> Result<Saved> {
    off_main(board, move |b| b.add_key_account(input)).await
}

#[tauri::command]
pub async fn replace_secret(
    board: Board<'_>,
    id: String,
    credential: KeyCredential,
) -> Result<Saved> {
    off_main(board, move |b| b.replace_secret(&id, credential)).await
}

#[tauri::command]
pub async fn edit_account(board: Board<'_>, id: String, edit: AccountEdit) -> Result<Account> {
    off_main(board, move |b| b.edit_account(&id, edit)).await
}

#[tauri::command]
pub async fn remove_account(board: Board<'_>, id: String) -> Result<Revoked> {
    off_main(board, move |b| b.remove_account(&id)).await
}

#[tauri::command]
pub async fn toggle_active(board: Board<'_>, id: String) -> Result<Switched> {
    off_main(board, move |b| b.toggle_active(&id)).await
}

#[tauri::command]
pub async fn import_logins(board: Board<'_>) -> Result<Vec<Imported>> {
    off_main(board, |b| b.import_logins()).await
}

#[tauri::command]
pub async fn restore_cli_files(board: Board<'_>) -> Result<Vec<ProviderId>> {
    off_main(board, |b| b.restore_cli_files()).await
}

#[tauri::command]
pub async fn set_in_pool(board: Board<'_>, id: String, in_pool: bool) -> Result<Account> {
    off_main(board, move |b| b.set_in_pool(&id, in_pool)).await
}

#[tauri::command]
pub async fn set_fallback(
    board: Board<'_>,
    provider: ProviderId,
    fallback: Fallback,
) -> Result<Fallback> {
    off_main(board, move |b| b.set_fallback(provider, fallback)).await
}

#[tauri::command]
pub async fn set_auto_switch(
    board: Board<'_>,
    provider: ProviderId,
    percent: Option<f64>,
) -> Result<Option<f64>> {
    off_main(board, move |b| b.set_auto_switch(provider, percent)).await
}

/// Reads usage now (the refresh button): one account, or every account of a provider.
#[tauri::command]
pub async fn read_usage(
    board: Board<'_>,
    provider: Option<ProviderId>,
    id: Option<String>,
) -> Result<Vec<AccountUsage>> {
    off_main(board, move |b| b.read_usage_now(provider, id.as_deref())).await
}

#[tauri::command]
pub async fn usage_history(board: Board<'_>, id: String) -> Result<Vec<UsageSample>> {
    off_main(board, move |b| b.usage_history(&id)).await
}

#[tauri::command]
pub async fn start_sign_in(
    board: Board<'_>,
    provider: ProviderId,
    method: SignInMethod,
    label: Option<String>,
) -> Result<SignInStarted> {
    off_main(board, move |b| {
        b.start_sign_in(provider, method, label.as_deref())
    })
    .await
}

/// Waits for the sign-in to end and returns the account (or why it failed).
#[tauri::command]
pub async fn finish_sign_in(board: Board<'_>, id: String) -> Result<SignedIn> {
    off_main(board, move |b| b.finish_sign_in(&id)).await
}

#[tauri::command]
pub async fn paste_sign_in(board: Board<'_>, id: String, text: String) -> Result<()> {
    off_main(board, move |b| b.paste_sign_in(&id, &text)).await
}

#[tauri::command]
pub async fn poll_sign_in_now(board: Board<'_>, id: String) -> Result<()> {
    off_main(board, move |b| b.poll_sign_in_now(&id)).await
}

#[tauri::command]
pub async fn cancel_sign_in(board: Board<'_>, id: String) -> Result<()> {
    off_main(board, move |b| b.cancel_sign_in(&id)).await
}

/// Asks the provider whether the account's credential works (a network round trip).
#[tauri::command]
pub async fn check_account(board: Board<'_>, id: String) -> Result<CheckResult> {
    off_main(board, move |b| b.check_account(&id)).await
}

#[tauri::command]
pub async fn settings(board: Board<'_>) -> Result<Settings> {
    off_main(board, |b| b.settings()).await
}

#[tauri::command]
pub async fn save_settings(board: Board<'_>, settings: Settings) -> Result<Settings> {
    off_main(board, move |b| b.save_settings(&settings)).await
}

/// The link request that arrived before the window listened (started by a link), once.
#[tauri::command]
pub fn take_pending_link(links: State<'_, Links>) -> Option<LinkRequest> {
    links.take_pending()
}

/// The user's answer to a link that asked before switching: `accept` carries it out.
#[tauri::command]
pub async fn answer_link(
    board: Board<'_>,
    links: State<'_, Links>,
    id: String,
    accept: bool,
) -> Result<Option<Switched>> {
    let link = links.answer(&id)?;
    if !accept {
        return Ok(None);
    }
    off_main(board, move |b| {
        switchboard_core::deep_link::carry_out_asked(b, &link).map(Some)
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    const COMMANDS: &[&str] = &include!("../commands.list");

    fn workspace() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The command list, written for the UI: a renamed or removed command fails `tsc`.
    fn typescript() -> String {
        let mut out = String::from(
            "// Generated from src-tauri/commands.list by `make bindings`. Do not edit.\n\n/** Every IPC command the app serves. */\nexport type Command =\n",
        );
        for name in COMMANDS {
            out.push_str(&format!("  | \"{name}\"\n"));
        }
        out.push_str(";\n");
        out
    }

    #[test]
    fn the_ui_knows_exactly_the_commands_the_app_serves() {
        let path = workspace().join("ui/src/lib/commands.generated.ts");
        let generated = typescript();
        if std::env::var_os("SWITCHBOARD_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("write");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/commands.generated.ts is stale: run `make bindings`"
        );
    }

    #[test]
    fn the_window_is_granted_exactly_the_commands_and_each_is_registered() {
        let capability: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(workspace().join("src-tauri/capabilities/main.json"))
                .expect("capability"),
        )
        .expect("json");
        let granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(str::to_owned))
            .collect();
        let expected: Vec<String> = COMMANDS.iter().map(|c| c.replace('_', "-")).collect();
        assert_eq!(granted, expected, "capabilities/main.json");
        let lib = std::fs::read_to_string(workspace().join("src-tauri/src/lib.rs")).expect("lib");
        let handler = lib
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("generate_handler!");
        let registered: Vec<&str> = handler
            .split(',')
            .map(|c| c.trim().trim_start_matches("commands::"))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(registered, COMMANDS, "lib.rs generate_handler!");
    }
}
