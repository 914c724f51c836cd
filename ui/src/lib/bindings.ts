// Generated from the Rust types by `make bindings` (crates/core/src/bindings.rs). Do not edit.

export type ProviderId = "claude" | "codex" | "gemini" | "grok" | "bob" | "opencode" | "cursor";

export type AccountKind = "oauth" | "api_key" | "bedrock";

export type Effort = "low" | "medium" | "high" | "xhigh" | "max";

export type ModelOption = { id: string, 
/**
 * Efforts this model takes; empty means the provider-wide list applies.
 */
efforts: Array<Effort>, default_effort: Effort | null, };

export type DefaultEndpoints = { api_base: string, };

export type SignInMethod = "browser" | "paste" | "device";

export type PasteKind = "code_and_state" | "code" | "redirected_url";

export type PresetOption = { preset: EndpointPreset, label: string, 
/**
 * An example base URL for the field's placeholder (empty: the provider's own API).
 */
placeholder: string, 
/**
 * Whether a base URL must be entered.
 */
needs_url: boolean, 
/**
 * The API version used when none is entered (Azure).
 */
default_api_version: string | null, 
/**
 * What the user should know about it (how the URL is rewritten, say).
 */
note: string | null, };

export type ProviderInfo = { id: ProviderId, display_name: string, 
/**
 * The command the user runs (`claude`, `codex`, ...).
 */
cli_command: string, account_kinds: Array<AccountKind>, 
/**
 * What the key is called on the provider's site ("Anthropic API key").
 */
key_name: string, 
/**
 * Prefixes a well-formed key starts with; a key without one gets a warning, not an error.
 */
key_prefixes: Array<string>, 
/**
 * Whether keys may also be JSON Web Tokens (Bob Shell).
 */
key_may_be_jwt: boolean, endpoints: DefaultEndpoints, 
/**
 * Whether a custom endpoint takes an API version (Codex, Gemini).
 */
takes_api_version: boolean, models: Array<ModelOption>, 
/**
 * Efforts for any model not listed in `models` (empty: the provider has no effort setting).
 */
efforts: Array<Effort>, 
/**
 * The ways it signs in, the one offered first first (empty: keys only).
 */
sign_in_methods: Array<SignInMethod>, 
/**
 * What a user pastes back to finish a sign-in, when the provider signs in.
 */
paste: PasteKind | null, 
/**
 * The endpoint types a key account may use, `Default` first.
 */
endpoint_presets: Array<PresetOption>, 
/**
 * The AWS region a new Bedrock account starts with (Claude).
 */
default_region: string | null, };

export type AccountStatus = "ok" | "needs_sign_in" | "refresh_failed" | "secret_missing";

export type EndpointPreset = "default" | "responses_hosted" | "local_responses" | "azure_openai" | "custom";

export type Fallback = { "policy": "none" } | { "policy": "pool" } | { "policy": "account", account_id: string, };

export type Endpoint = { preset: EndpointPreset, base_url: string | null, api_version: string | null, };

export type UsageWindow = { 
/**
 * What it is, in words ("5-hour", "7-day", "7-day Opus", "Pro models", "Credits").
 */
name: string, 
/**
 * How much of it is used, 0 to 100.
 */
used_percent: number, 
/**
 * When it resets, RFC 3339 (UTC); `None` while the provider does not say.
 */
resets_at: string | null, 
/**
 * Why the provider locked the window, when it did (it is then at its limit whatever
 * the share says).
 */
locked: string | null, };

export type Limits = { 
/**
 * The plan the provider names, where it does ("pro", "SuperGrok").
 */
plan: string | null, windows: Array<UsageWindow>, 
/**
 * What else the user should know, in words (a key with no limit set; a tier Gemini
 * CLI no longer serves).
 */
note: string | null, 
/**
 * Whether the provider refuses this account outright (the tier can no longer use the
 * CLI): it is then at its limit with no reset.
 */
unusable: boolean, };

export type UsageReading = { 
/**
 * The last good reading; `None` before the first.
 */
limits: Limits | null, 
/**
 * When it was read, RFC 3339.
 */
fetched_at: string | null, 
/**
 * Why the last attempt failed, in words; `None` when it worked.
 */
error: string | null, };

export type UsageSample = { 
/**
 * Unix ms.
 */
at: number, window: string, used_percent: number, };

export type Account = { id: string, provider: ProviderId, kind: AccountKind, label: string, email: string | null, 
/**
 * The subscription plan of a sign-in account ("max", "pro", ...).
 */
plan: string | null, 
/**
 * A masked hint such as `sk-ant-…wxyz`.
 */
secret_hint: string, endpoint: Endpoint, 
/**
 * AWS region (Bedrock accounts).
 */
region: string | null, model: string | null, effort: Effort | null, 
/**
 * Free text, e.g. when a key is due for rotation.
 */
description: string, in_pool: boolean, status: AccountStatus, 
/**
 * Why the account needs attention, in words (empty when it is fine).
 */
status_reason: string, 
/**
 * When a sign-in account's access token expires (Unix ms), as last seen.
 */
expires_at: number | null, 
/**
 * When its refresh token expires (Unix ms), where the provider says (Claude).
 */
refresh_expires_at: number | null, 
/**
 * When its tokens were last renewed (Unix ms).
 */
refreshed_at: number | null, 
/**
 * Unix milliseconds.
 */
created_at: number, updated_at: number, };

export type AccountView = { 
/**
 * A sign-in about to lapse, in words.
 */
warning: string | null, 
/**
 * Its usage and limits as last read, for accounts whose provider reports them.
 */
usage: UsageReading | null, id: string, provider: ProviderId, kind: AccountKind, label: string, email: string | null, 
/**
 * The subscription plan of a sign-in account ("max", "pro", ...).
 */
plan: string | null, 
/**
 * A masked hint such as `sk-ant-…wxyz`.
 */
secret_hint: string, endpoint: Endpoint, 
/**
 * AWS region (Bedrock accounts).
 */
region: string | null, model: string | null, effort: Effort | null, 
/**
 * Free text, e.g. when a key is due for rotation.
 */
description: string, in_pool: boolean, status: AccountStatus, 
/**
 * Why the account needs attention, in words (empty when it is fine).
 */
status_reason: string, 
/**
 * When a sign-in account's access token expires (Unix ms), as last seen.
 */
expires_at: number | null, 
/**
 * When its refresh token expires (Unix ms), where the provider says (Claude).
 */
refresh_expires_at: number | null, 
/**
 * When its tokens were last renewed (Unix ms).
 */
refreshed_at: number | null, 
/**
 * Unix milliseconds.
 */
created_at: number, updated_at: number, };

export type KeyCredential = { "type": "api_key", key: string, } | { "type": "bedrock_access_keys", access_key_id: string, secret_access_key: string, region: string, } | { "type": "bedrock_api_key", api_key: string, region: string, };

export type EndpointInput = { preset: EndpointPreset, base_url: string | null, api_version: string | null, };

export type NewKeyAccount = { provider: ProviderId, label: string | null, description: string | null, credential: KeyCredential, endpoint: EndpointInput | null, model: string | null, effort: Effort | null, };

export type AccountSettings = { endpoint: EndpointInput | null, model: string | null, effort: Effort | null, };

export type AccountEdit = { label: string, description: string, settings: AccountSettings, };

export type Saved = { account: Account, warnings: Array<string>, };

export type EventKind = "account_added" | "account_updated" | "secret_replaced" | "account_removed" | "active_changed" | "pool_changed" | "files_restored" | "tokens_taken_back" | "new_login_found" | "tokens_refreshed" | "sign_in_needed" | "tokens_revoked" | "fell_back" | "usage_read" | "auto_switched";

export type EventRecord = { at: number, kind: EventKind, provider: ProviderId, account_id: string | null, detail: string, };

export type Change = { kind: EventKind, provider: ProviderId, account_id: string | null, };

export type ProviderAccounts = { provider: ProviderId, active_account_id: string | null, accounts: Array<AccountView>, 
/**
 * What becomes active when the active sign-in needs signing in again.
 */
fallback: Fallback, 
/**
 * The share of a window at which the active sign-in moves on by itself; `None`: off.
 */
auto_switch: number | null, };

export type Overview = { providers: Array<ProviderAccounts>, 
/**
 * The providers whose endpoints `SWITCHBOARD_ENDPOINTS` changes in this process (the
 * window says so while it is set).
 */
endpoint_overrides: Array<ProviderId>, };

export type FirstView = { catalog: Array<ProviderInfo>, overview: Overview, };

export type Switched = { provider: ProviderId, active_account_id: string | null, 
/**
 * The label of the account now active.
 */
active_label: string | null, 
/**
 * The CLI files that changed.
 */
files_changed: Array<string>, 
/**
 * What the user should know, e.g. that running sessions of this CLI will not follow.
 */
caveat: string | null, 
/**
 * The switch in one sentence, as the window, the tray and the command line say it:
 * "Codex now uses Work (2 CLI files updated)."
 */
notice: string, 
/**
 * The pool accounts "next" passed over, each with why ("Work: at its limit (5-hour
 * 100%, resets in 2 h)").
 */
skipped: Array<string>, };

export type AccountUsage = { provider: ProviderId, account_id: string, label: string, 
/**
 * Whether the provider reports usage for this account at all.
 */
reported: boolean, plan: string | null, windows: Array<UsageWindow>, note: string | null, 
/**
 * When the figures were read, RFC 3339; `None` before the first reading.
 */
fetched_at: string | null, 
/**
 * Why the last reading failed (the figures are then the last good ones).
 */
error: string | null, };

export type Settings = { 
/**
 * Whether a `switchboard://use` or `next` link (which any web page can open) switches
 * accounts at once. Off: the window shows what the link asks and waits for a click.
 */
links_switch_without_asking: boolean, };

export type Imported = { provider: ProviderId, account_id: string, label: string, 
/**
 * `false` when the login was already an account (importing twice adds nothing).
 */
created: boolean, };

export type Revoked = { "revocation": "revoked" } | { "revocation": "no_endpoint" } | { "revocation": "failed", "reason": string } | { "revocation": "not_needed" };

export type RefreshOutcome = { "outcome": "refreshed", expires_at: number | null, } | { "outcome": "fresh", expires_at: number | null, } | { "outcome": "in_use" } | { "outcome": "needs_sign_in", reason: string, fell_back_to: string | null, } | { "outcome": "failed", reason: string, retry_at: number, };

export type Refreshed = { provider: ProviderId, account_id: string, label: string, } & ({ "outcome": "refreshed", expires_at: number | null, } | { "outcome": "fresh", expires_at: number | null, } | { "outcome": "in_use" } | { "outcome": "needs_sign_in", reason: string, fell_back_to: string | null, } | { "outcome": "failed", reason: string, retry_at: number, });

export type SignInStarted = { id: string, provider: ProviderId, method: SignInMethod, 
/**
 * The page to open in the browser (the authorize page, or the device page).
 */
browser_url: string, 
/**
 * Whether Switchboard opened `browser_url` itself.
 */
browser_opened: boolean, 
/**
 * What to paste back, when pasting can complete this sign-in.
 */
paste: PasteKind | null, 
/**
 * For a browser that cannot reach this computer: a page whose answer is pasted back.
 */
paste_url: string | null, 
/**
 * The device code to type.
 */
user_code: string | null, 
/**
 * When the sign-in stops waiting (Unix ms).
 */
expires_at_ms: number, };

export type SignedIn = { account: Account, 
/**
 * `false` when the identity was already an account: its tokens were updated.
 */
created: boolean, 
/**
 * Whether it became the provider's active account.
 */
activated: boolean, };

export type LinkRequest = { "kind": "connect", provider: ProviderId, } | { "kind": "confirm", id: string, question: string, } | { "kind": "done", message: string, } | { "kind": "failed", message: string, };

export type CheckVerdict = "works" | "refused";

export type CheckResult = { account_id: string, verdict: CheckVerdict, 
/**
 * In words, with the host asked and its answer; never the credential.
 */
detail: string, };

export type ErrorCode = "invalid_input" | "not_found" | "not_allowed" | "conflict" | "provider_not_configured" | "keychain_unavailable" | "keychain" | "storage" | "io" | "state_mismatch" | "access_denied" | "code_rejected" | "sign_in_expired" | "sign_in_cancelled" | "port_busy" | "network" | "provider_error" | "credential_refused";

export type ErrorPayload = { code: ErrorCode, message: string, };

export type CatalogArgs = Record<string, never>;

export type OverviewArgs = Record<string, never>;

export type AddKeyAccountArgs = { input: NewKeyAccount, };

export type ReplaceSecretArgs = { id: string, credential: KeyCredential, };

export type EditAccountArgs = { id: string, edit: AccountEdit, };

export type RemoveAccountArgs = { id: string, };

export type ToggleActiveArgs = { id: string, };

export type SetInPoolArgs = { id: string, in_pool: boolean, };

export type SetFallbackArgs = { provider: ProviderId, fallback: Fallback, };

export type SetAutoSwitchArgs = { provider: ProviderId, percent: number | null, };

export type ReadUsageArgs = { provider: ProviderId | null, id: string | null, };

export type UsageHistoryArgs = { id: string, };

export type RestoreCliFilesArgs = Record<string, never>;

export type ImportLoginsArgs = Record<string, never>;

export type StartSignInArgs = { provider: ProviderId, method: SignInMethod, label: string | null, };

export type FinishSignInArgs = { id: string, };

export type PasteSignInArgs = { id: string, text: string, };

export type PollSignInNowArgs = { id: string, };

export type CancelSignInArgs = { id: string, };

export type TakePendingLinkArgs = Record<string, never>;

export type AnswerLinkArgs = { id: string, accept: boolean, };

export type CheckAccountArgs = { id: string, };

export type SettingsArgs = Record<string, never>;

export type SaveSettingsArgs = { settings: Settings, };

/** Every IPC command: its arguments and what it answers. */
export type Commands = {
  catalog: { args: CatalogArgs; output: Array<ProviderInfo> };
  overview: { args: OverviewArgs; output: Overview };
  add_key_account: { args: AddKeyAccountArgs; output: Saved };
  replace_secret: { args: ReplaceSecretArgs; output: Saved };
  edit_account: { args: EditAccountArgs; output: Account };
  remove_account: { args: RemoveAccountArgs; output: Revoked };
  toggle_active: { args: ToggleActiveArgs; output: Switched };
  set_in_pool: { args: SetInPoolArgs; output: Account };
  set_fallback: { args: SetFallbackArgs; output: Fallback };
  set_auto_switch: { args: SetAutoSwitchArgs; output: number | null };
  read_usage: { args: ReadUsageArgs; output: Array<AccountUsage> };
  usage_history: { args: UsageHistoryArgs; output: Array<UsageSample> };
  restore_cli_files: { args: RestoreCliFilesArgs; output: Array<ProviderId> };
  import_logins: { args: ImportLoginsArgs; output: Array<Imported> };
  start_sign_in: { args: StartSignInArgs; output: SignInStarted };
  finish_sign_in: { args: FinishSignInArgs; output: SignedIn };
  paste_sign_in: { args: PasteSignInArgs; output: null };
  poll_sign_in_now: { args: PollSignInNowArgs; output: null };
  cancel_sign_in: { args: CancelSignInArgs; output: null };
  take_pending_link: { args: TakePendingLinkArgs; output: LinkRequest | null };
  answer_link: { args: AnswerLinkArgs; output: Switched | null };
  check_account: { args: CheckAccountArgs; output: CheckResult };
  settings: { args: SettingsArgs; output: Settings };
  save_settings: { args: SaveSettingsArgs; output: Settings };
};

/** Every IPC command's name. */
export type Command = keyof Commands;

export const CHANGE_EVENT = "switchboard:change";
export const LINK_EVENT = "switchboard:link";

/** The events the app emits, with their payloads. */
export type Events = {
  "switchboard:change": Change;
  "switchboard:link": LinkRequest;
};

/** The globals the app sets on the page before it loads. */
export type WindowGlobals = {
  __SWITCHBOARD_FIRST_VIEW__?: FirstView;
  __SWITCHBOARD_PAINT__?: string;
};
