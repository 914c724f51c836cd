//! IPC commands: typed arguments, one facade call each, errors serialised as `{code, message}`.

use std::sync::Arc;

use tauri::State;

use crate::account::{Account, AccountSettings, KeyCredential, NewKeyAccount, Saved};
use crate::catalog::{ProviderId, ProviderInfo};
use crate::error::Result;
use crate::switchboard::{Imported, Overview, Switched};
use crate::Switchboard;

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
