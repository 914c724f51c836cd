//! IPC commands: typed arguments, one facade call each, errors serialised as `{code, message}`.

use std::sync::Arc;

use tauri::State;

use switchboard_core::account::{Account, AccountSettings, KeyCredential, NewKeyAccount, Saved};
use switchboard_core::catalog::{ProviderId, ProviderInfo};
use switchboard_core::deep_link::LinkRequest;
use switchboard_core::error::{Error, Result};
use switchboard_core::facade::{Imported, Overview, Switched};
use switchboard_core::signin::{SignInMethod, SignInStarted, SignedIn};
use switchboard_core::Switchboard;

type Board<'a> = State<'a, Arc<Switchboard>>;

#[tauri::command]
pub fn catalog(board: Board<'_>) -> Vec<ProviderInfo> {
    board.catalog()
}

#[tauri::command]
pub fn overview(board: Board<'_>) -> Result<Overview> {
    board.overview()
}

#[tauri::command]
pub fn add_key_account(board: Board<'_>, input: NewKeyAccount) -> Result<Saved> {
    board.add_key_account(input)
}

#[tauri::command]
pub fn replace_secret(board: Board<'_>, id: String, credential: KeyCredential) -> Result<Saved> {
    board.replace_secret(&id, credential)
}

#[tauri::command]
pub fn rename_account(board: Board<'_>, id: String, label: String) -> Result<Account> {
    board.rename_account(&id, &label)
}

#[tauri::command]
pub fn set_description(board: Board<'_>, id: String, description: String) -> Result<Account> {
    board.set_description(&id, &description)
}

#[tauri::command]
pub fn update_settings(board: Board<'_>, id: String, settings: AccountSettings) -> Result<Account> {
    board.update_settings(&id, settings)
}

#[tauri::command]
pub fn remove_account(board: Board<'_>, id: String) -> Result<()> {
    board.remove_account(&id)
}

#[tauri::command]
pub fn toggle_active(board: Board<'_>, id: String) -> Result<Switched> {
    board.toggle_active(&id)
}

#[tauri::command]
pub fn import_logins(board: Board<'_>) -> Result<Vec<Imported>> {
    board.import_logins()
}

#[tauri::command]
pub fn restore_cli_files(board: Board<'_>) -> Result<Vec<ProviderId>> {
    board.restore_cli_files()
}

#[tauri::command]
pub fn set_in_pool(board: Board<'_>, id: String, in_pool: bool) -> Result<Account> {
    board.set_in_pool(&id, in_pool)
}

/// Starts a sign-in (a device code is a network round trip: off the main thread).
#[tauri::command]
pub async fn start_sign_in(
    board: Board<'_>,
    provider: ProviderId,
    method: SignInMethod,
    label: Option<String>,
) -> Result<SignInStarted> {
    let board = board.inner().clone();
    blocking(move || board.start_sign_in(provider, method, label.as_deref())).await
}

/// Waits for the sign-in to end and returns the account (or why it failed).
#[tauri::command]
pub async fn finish_sign_in(board: Board<'_>, id: String) -> Result<SignedIn> {
    let board = board.inner().clone();
    blocking(move || board.finish_sign_in(&id)).await
}

#[tauri::command]
pub fn paste_sign_in(board: Board<'_>, id: String, text: String) -> Result<()> {
    board.paste_sign_in(&id, &text)
}

#[tauri::command]
pub fn poll_sign_in_now(board: Board<'_>, id: String) -> Result<()> {
    board.poll_sign_in_now(&id)
}

#[tauri::command]
pub fn cancel_sign_in(board: Board<'_>, id: String) -> Result<()> {
    board.cancel_sign_in(&id)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::io("running a sign-in step", e))?
}

/// Asks the provider whether the account's credential works (a network round trip).
#[tauri::command]
pub async fn check_account(
    board: Board<'_>,
    id: String,
) -> Result<switchboard_core::check::CheckResult> {
    let board = board.inner().clone();
    blocking(move || board.check_account(&id)).await
}

/// The link request that arrived before the window listened (started by a link), once.
#[tauri::command]
pub fn take_pending_link(pending: State<'_, crate::links::PendingLink>) -> Option<LinkRequest> {
    pending.0.lock().unwrap_or_else(|p| p.into_inner()).take()
}
