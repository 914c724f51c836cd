// Generated from src-tauri/commands.list by `make bindings`. Do not edit.

/** Every IPC command the app serves. */
export type Command =
  | "catalog"
  | "overview"
  | "add_key_account"
  | "replace_secret"
  | "edit_account"
  | "remove_account"
  | "toggle_active"
  | "set_in_pool"
  | "set_fallback"
  | "set_auto_switch"
  | "read_usage"
  | "usage_history"
  | "restore_cli_files"
  | "import_logins"
  | "start_sign_in"
  | "finish_sign_in"
  | "paste_sign_in"
  | "poll_sign_in_now"
  | "cancel_sign_in"
  | "take_pending_link"
  | "answer_link"
  | "check_account"
  | "settings"
  | "save_settings"
;
