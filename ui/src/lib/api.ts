// Typed wrappers over the IPC commands. Argument and result types come from bindings.ts,
// which is generated from the Rust types; errors arrive as `{code, message}`.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Command } from "./commands.generated";
import type {
  Account,
  AccountEdit,
  AccountUsage,
  CheckResult,
  Change,
  ErrorCode,
  ErrorPayload,
  Fallback,
  FirstView,
  Imported,
  KeyCredential,
  LinkRequest,
  NewKeyAccount,
  Overview,
  ProviderInfo,
  ProviderId,
  PasteKind,
  Revoked,
  Saved,
  SignInMethod,
  SignInStarted,
  Settings,
  SignedIn,
  Switched,
  UsageSample,
} from "./bindings";

export const CHANGE_EVENT = "switchboard:change";
export const LINK_EVENT = "switchboard:link";

/** An error from the backend, with the code the UI can switch on. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = "IpcError";
    this.code = payload.code;
  }
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorPayload).code === "string" &&
    typeof (value as ErrorPayload).message === "string"
  );
}

/** Whatever was thrown, as an IpcError (unknown failures keep their text, code `io`). */
export function toIpcError(thrown: unknown): IpcError {
  if (thrown instanceof IpcError) return thrown;
  if (isErrorPayload(thrown)) return new IpcError(thrown);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new IpcError({ code: "io", message });
}

/** Invokes an IPC command by its name, which must be one the app serves (generated list). */
async function call<T>(command: Command, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw toIpcError(thrown);
  }
}

/** The catalog and overview the app handed to the page with it (`src-tauri/src/window.rs`),
 * so the first frame is the list; taken once, since a reloaded page's copy would be stale. */
export function takeFirstView(): FirstView | null {
  const holder = window as unknown as { __SWITCHBOARD_FIRST_VIEW__?: FirstView };
  const first = holder.__SWITCHBOARD_FIRST_VIEW__ ?? null;
  holder.__SWITCHBOARD_FIRST_VIEW__ = undefined;
  return first;
}

/** How WebKit paints the page: "software" when the app turned compositing off (no GPU, a
 * remote session; `src-tauri/src/rendering.rs`), where a sticky header costs a repaint of
 * the whole view on every scrolled frame. */
export function paintMode(): "software" | "composited" {
  const holder = window as unknown as { __SWITCHBOARD_PAINT__?: string };
  return holder.__SWITCHBOARD_PAINT__ === "software" ? "software" : "composited";
}

export const api = {
  catalog: () => call<ProviderInfo[]>("catalog"),
  overview: () => call<Overview>("overview"),
  addKeyAccount: (input: NewKeyAccount) => call<Saved>("add_key_account", { input }),
  replaceSecret: (id: string, credential: KeyCredential) => call<Saved>("replace_secret", { id, credential }),
  editAccount: (id: string, edit: AccountEdit) => call<Account>("edit_account", { id, edit }),
  removeAccount: (id: string) => call<Revoked>("remove_account", { id }),
  toggleActive: (id: string) => call<Switched>("toggle_active", { id }),
  restoreCliFiles: () => call<ProviderId[]>("restore_cli_files"),
  importLogins: () => call<Imported[]>("import_logins"),
  setInPool: (id: string, inPool: boolean) => call<Account>("set_in_pool", { id, inPool }),
  setFallback: (provider: ProviderId, fallback: Fallback) => call<Fallback>("set_fallback", { provider, fallback }),
  setAutoSwitch: (provider: ProviderId, percent: number | null) =>
    call<number | null>("set_auto_switch", { provider, percent }),
  readUsage: (provider: ProviderId | null, id: string | null) => call<AccountUsage[]>("read_usage", { provider, id }),
  usageHistory: (id: string) => call<UsageSample[]>("usage_history", { id }),
  startSignIn: (provider: ProviderId, method: SignInMethod, label: string | null) =>
    call<SignInStarted>("start_sign_in", { provider, method, label }),
  finishSignIn: (id: string) => call<SignedIn>("finish_sign_in", { id }),
  pasteSignIn: (id: string, text: string) => call<null>("paste_sign_in", { id, text }),
  pollSignInNow: (id: string) => call<null>("poll_sign_in_now", { id }),
  cancelSignIn: (id: string) => call<null>("cancel_sign_in", { id }),
  checkAccount: (id: string) => call<CheckResult>("check_account", { id }),
  takePendingLink: () => call<LinkRequest | null>("take_pending_link"),
  answerLink: (id: string, accept: boolean) => call<Switched | null>("answer_link", { id, accept }),
  settings: () => call<Settings>("settings"),
  saveSettings: (settings: Settings) => call<Settings>("save_settings", { settings }),
  onLink: (handler: (request: LinkRequest) => void): Promise<UnlistenFn> =>
    listen<LinkRequest>(LINK_EVENT, (event) => handler(event.payload)),
  onChange: (handler: (change: Change) => void): Promise<UnlistenFn> =>
    listen<Change>(CHANGE_EVENT, (event) => handler(event.payload)),
};

/** The sign-in calls, as the sign-in flow needs them (tests give it a fake). */
export type SignInBackend = Pick<
  typeof api,
  "startSignIn" | "finishSignIn" | "pasteSignIn" | "pollSignInNow" | "cancelSignIn"
>;

export type { PasteKind };
