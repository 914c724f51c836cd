//! IPC commands: each takes its argument struct from `switchboard_core::api::ipc` whole and
//! answers that contract's type, one facade call each, errors serialised as `{code, message}`.
//! Every command that may wait (the keychain, a file lock, the network, SQLite) runs on the
//! blocking pool, so the window never freezes while, say, the keychain asks to be unlocked.

use std::sync::Arc;

use tauri::State;

use switchboard_core::api::error::{Error, Result};
use switchboard_core::api::ipc::*;
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
pub fn catalog(board: Board<'_>, args: CatalogArgs) -> Output<CatalogArgs> {
    let CatalogArgs {} = args;
    board.catalog()
}

#[tauri::command]
pub async fn overview(board: Board<'_>, args: OverviewArgs) -> Result<Output<OverviewArgs>> {
    let OverviewArgs {} = args;
    off_main(board, |b| b.overview()).await
}

#[tauri::command]
pub async fn add_key_account(
    board: Board<'_>,
    args: AddKeyAccountArgs,
) -> Result<Output<AddKeyAccountArgs>> {
    off_main(board, move |b| b.add_key_account(args.input)).await
}

#[tauri::command]
pub async fn replace_secret(
    board: Board<'_>,
    args: ReplaceSecretArgs,
) -> Result<Output<ReplaceSecretArgs>> {
    off_main(board, move |b| b.replace_secret(&args.id, args.credential)).await
}

#[tauri::command]
pub async fn edit_account(
    board: Board<'_>,
    args: EditAccountArgs,
) -> Result<Output<EditAccountArgs>> {
    off_main(board, move |b| b.edit_account(&args.id, args.edit)).await
}

#[tauri::command]
pub async fn remove_account(
    board: Board<'_>,
    args: RemoveAccountArgs,
) -> Result<Output<RemoveAccountArgs>> {
    off_main(board, move |b| b.remove_account(&args.id)).await
}

#[tauri::command]
pub async fn toggle_active(
    board: Board<'_>,
    args: ToggleActiveArgs,
) -> Result<Output<ToggleActiveArgs>> {
    off_main(board, move |b| b.toggle_active(&args.id)).await
}

#[tauri::command]
pub async fn import_logins(
    board: Board<'_>,
    args: ImportLoginsArgs,
) -> Result<Output<ImportLoginsArgs>> {
    let ImportLoginsArgs {} = args;
    off_main(board, |b| b.import_logins()).await
}

#[tauri::command]
pub async fn restore_cli_files(
    board: Board<'_>,
    args: RestoreCliFilesArgs,
) -> Result<Output<RestoreCliFilesArgs>> {
    let RestoreCliFilesArgs {} = args;
    off_main(board, |b| b.restore_cli_files()).await
}

#[tauri::command]
pub async fn set_in_pool(board: Board<'_>, args: SetInPoolArgs) -> Result<Output<SetInPoolArgs>> {
    off_main(board, move |b| b.set_in_pool(&args.id, args.in_pool)).await
}

#[tauri::command]
pub async fn set_fallback(
    board: Board<'_>,
    args: SetFallbackArgs,
) -> Result<Output<SetFallbackArgs>> {
    off_main(board, move |b| b.set_fallback(args.provider, args.fallback)).await
}

#[tauri::command]
pub async fn set_auto_switch(
    board: Board<'_>,
    args: SetAutoSwitchArgs,
) -> Result<Output<SetAutoSwitchArgs>> {
    off_main(board, move |b| {
        b.set_auto_switch(args.provider, args.percent)
    })
    .await
}

#[tauri::command]
pub async fn read_usage(board: Board<'_>, args: ReadUsageArgs) -> Result<Output<ReadUsageArgs>> {
    off_main(board, move |b| {
        b.read_usage_now(args.provider, args.id.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn usage_history(
    board: Board<'_>,
    args: UsageHistoryArgs,
) -> Result<Output<UsageHistoryArgs>> {
    off_main(board, move |b| b.usage_history(&args.id)).await
}

#[tauri::command]
pub async fn start_sign_in(
    board: Board<'_>,
    args: StartSignInArgs,
) -> Result<Output<StartSignInArgs>> {
    off_main(board, move |b| {
        b.start_sign_in(args.provider, args.method, args.label.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn finish_sign_in(
    board: Board<'_>,
    args: FinishSignInArgs,
) -> Result<Output<FinishSignInArgs>> {
    off_main(board, move |b| b.finish_sign_in(&args.id)).await
}

#[tauri::command]
pub async fn paste_sign_in(
    board: Board<'_>,
    args: PasteSignInArgs,
) -> Result<Output<PasteSignInArgs>> {
    off_main(board, move |b| b.paste_sign_in(&args.id, &args.text)).await
}

#[tauri::command]
pub async fn poll_sign_in_now(
    board: Board<'_>,
    args: PollSignInNowArgs,
) -> Result<Output<PollSignInNowArgs>> {
    off_main(board, move |b| b.poll_sign_in_now(&args.id)).await
}

#[tauri::command]
pub async fn cancel_sign_in(
    board: Board<'_>,
    args: CancelSignInArgs,
) -> Result<Output<CancelSignInArgs>> {
    off_main(board, move |b| b.cancel_sign_in(&args.id)).await
}

#[tauri::command]
pub async fn check_account(
    board: Board<'_>,
    args: CheckAccountArgs,
) -> Result<Output<CheckAccountArgs>> {
    off_main(board, move |b| b.check_account(&args.id)).await
}

#[tauri::command]
pub async fn settings(board: Board<'_>, args: SettingsArgs) -> Result<Output<SettingsArgs>> {
    let SettingsArgs {} = args;
    off_main(board, |b| b.settings()).await
}

#[tauri::command]
pub async fn save_settings(
    board: Board<'_>,
    args: SaveSettingsArgs,
) -> Result<Output<SaveSettingsArgs>> {
    off_main(board, move |b| b.save_settings(&args.settings)).await
}

#[tauri::command]
pub fn take_pending_link(
    links: State<'_, Links>,
    args: TakePendingLinkArgs,
) -> Output<TakePendingLinkArgs> {
    let TakePendingLinkArgs {} = args;
    links.take_pending()
}

#[tauri::command]
pub async fn answer_link(
    board: Board<'_>,
    links: State<'_, Links>,
    args: AnswerLinkArgs,
) -> Result<Output<AnswerLinkArgs>> {
    let link = links.answer(&args.id)?;
    if !args.accept {
        return Ok(None);
    }
    off_main(board, move |b| {
        switchboard_core::api::deep_link::carry_out_asked(b, &link).map(Some)
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

    /// The list build.rs grants and lib.rs registers is the IPC contract's, whose types the
    /// UI's `Commands` map is generated from: a command added, renamed or removed on one
    /// side only fails here (and in `tsc`).
    #[test]
    fn the_command_list_is_the_ipc_contracts() {
        assert_eq!(COMMANDS, switchboard_core::api::ipc::COMMAND_NAMES);
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
