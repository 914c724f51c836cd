// Typed wrappers over the IPC commands. Each command's arguments and answer come from the
// `Commands` map in bindings.ts, generated from the Rust contract (crates/core/src/ipc.rs),
// so a call that does not match what the app takes fails `tsc`; errors arrive as
// `{code, message}`.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { CHANGE_EVENT, LINK_EVENT } from "./bindings";
import type {
  AccountEdit,
  Change,
  Command,
  Commands,
  ErrorCode,
  ErrorPayload,
  Events,
  Fallback,
  FirstView,
  KeyCredential,
  LinkRequest,
  NewKeyAccount,
  PasteKind,
  ProviderId,
  Settings,
  SignInMethod,
  WindowGlobals,
} from "./bindings";

export { CHANGE_EVENT, LINK_EVENT };

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

/** Invokes an IPC command with its arguments (the struct the app's command takes whole). */
async function call<C extends Command>(command: C, args: Commands[C]["args"]): Promise<Commands[C]["output"]> {
  try {
    return await invoke<Commands[C]["output"]>(command, { args });
  } catch (thrown) {
    throw toIpcError(thrown);
  }
}

/** Listens to one of the app's events, with its payload's type. */
function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn> {
  return listen<Events[E]>(event, (e) => handler(e.payload));
}

const globals = window as unknown as WindowGlobals;

/** The catalog and overview the app handed to the page with it (`src-tauri/src/window.rs`),
 * so the first frame is the list; taken once, since a reloaded page's copy would be stale. */
export function takeFirstView(): FirstView | null {
  const first = globals.__SWITCHBOARD_FIRST_VIEW__ ?? null;
  globals.__SWITCHBOARD_FIRST_VIEW__ = undefined;
  return first;
}

/** How WebKit paints the page: "software" when the app turned compositing off (no GPU, a
 * remote session; `src-tauri/src/rendering.rs`), where a sticky header costs a repaint of
 * the whole view on every scrolled frame. */
export function paintMode(): "software" | "composited" {
  return globals.__SWITCHBOARD_PAINT__ === "software" ? "software" : "composited";
}

export const api = {
  catalog: () => call("catalog", {}),
  overview: () => call("overview", {}),
  addKeyAccount: (input: NewKeyAccount) => call("add_key_account", { input }),
  replaceSecret: (id: string, credential: KeyCredential) => call("replace_secret", { id, credential }),
  editAccount: (id: string, edit: AccountEdit) => call("edit_account", { id, edit }),
  removeAccount: (id: string) => call("remove_account", { id }),
  toggleActive: (id: string) => call("toggle_active", { id }),
  restoreCliFiles: () => call("restore_cli_files", {}),
  importLogins: () => call("import_logins", {}),
  setInPool: (id: string, inPool: boolean) => call("set_in_pool", { id, in_pool: inPool }),
  setFallback: (provider: ProviderId, fallback: Fallback) => call("set_fallback", { provider, fallback }),
  setAutoSwitch: (provider: ProviderId, percent: number | null) => call("set_auto_switch", { provider, percent }),
  readUsage: (provider: ProviderId | null, id: string | null) => call("read_usage", { provider, id }),
  usageHistory: (id: string) => call("usage_history", { id }),
  startSignIn: (provider: ProviderId, method: SignInMethod, label: string | null) =>
    call("start_sign_in", { provider, method, label }),
  finishSignIn: (id: string) => call("finish_sign_in", { id }),
  pasteSignIn: (id: string, text: string) => call("paste_sign_in", { id, text }),
  pollSignInNow: (id: string) => call("poll_sign_in_now", { id }),
  cancelSignIn: (id: string) => call("cancel_sign_in", { id }),
  checkAccount: (id: string) => call("check_account", { id }),
  takePendingLink: () => call("take_pending_link", {}),
  answerLink: (id: string, accept: boolean) => call("answer_link", { id, accept }),
  settings: () => call("settings", {}),
  saveSettings: (settings: Settings) => call("save_settings", { settings }),
  onLink: (handler: (request: LinkRequest) => void): Promise<UnlistenFn> => on(LINK_EVENT, handler),
  onChange: (handler: (change: Change) => void): Promise<UnlistenFn> => on(CHANGE_EVENT, handler),
};

/** The sign-in calls, as the sign-in flow needs them (tests give it a fake). */
export type SignInBackend = Pick<
  typeof api,
  "startSignIn" | "finishSignIn" | "pasteSignIn" | "pollSignInNow" | "cancelSignIn"
>;

export type { PasteKind };
