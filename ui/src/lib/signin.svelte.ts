// A sign-in as the dialog shows it: start it, wait for it to finish on its own (browser
// redirect, approved device code), or finish it with a paste; cancel; and every failure in
// words. The backend is injected so the flow is tested without a window.
import { toIpcError, type SignInBackend } from "./api";
import type { PasteKind, ProviderId, SignInMethod, SignInStarted, SignedIn } from "./bindings";

export type SignInPhase = "idle" | "starting" | "waiting" | "completing" | "done";

export const methodLabels: Record<SignInMethod, string> = {
  browser: "Browser",
  paste: "Paste a code",
  device: "Device code",
};

/** What the user pastes back, in words. */
export function pasteWhat(kind: PasteKind | null): string {
  switch (kind) {
    case "code_and_state":
      return "the code the page shows (all of it, including the part after #)";
    case "code":
      return "the code the page shows";
    default:
      return "the address your browser ends on — its page will not load; copy it from the address bar";
  }
}

/** Seconds until `expiresAtMs`, never negative. */
export function secondsLeft(expiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000));
}

/** `m:ss`. */
export function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${s.toString().padStart(2, "0")}`;
}

export class SignInFlow {
  phase = $state<SignInPhase>("idle");
  started = $state<SignInStarted | null>(null);
  /** Why the last sign-in ended without an account. */
  error = $state<string | null>(null);
  /** Why the last paste was refused (the sign-in goes on). */
  pasteError = $state<string | null>(null);
  private cancelled = false;

  constructor(
    private readonly backend: SignInBackend,
    private readonly onSignedIn: (signedIn: SignedIn) => void,
  ) {}

  async start(provider: ProviderId, method: SignInMethod, label: string): Promise<void> {
    if (this.phase === "starting" || this.phase === "waiting" || this.phase === "completing") return;
    this.phase = "starting";
    this.error = this.pasteError = null;
    this.cancelled = false;
    try {
      const started = await this.backend.startSignIn(provider, method, label.trim() === "" ? null : label.trim());
      this.started = started;
      this.phase = "waiting";
      void this.finish(started.id);
    } catch (thrown) {
      this.error = toIpcError(thrown).message;
      this.phase = "idle";
    }
  }

  private async finish(id: string): Promise<void> {
    try {
      const signedIn = await this.backend.finishSignIn(id);
      if (this.started?.id !== id) return;
      this.phase = "done";
      this.onSignedIn(signedIn);
    } catch (thrown) {
      if (this.started?.id !== id) return;
      const err = toIpcError(thrown);
      this.error = err.code === "sign_in_cancelled" && this.cancelled ? null : err.message;
      this.started = null;
      this.phase = "idle";
    }
  }

  async paste(text: string): Promise<void> {
    const started = this.started;
    if (!started || text.trim() === "") return;
    this.pasteError = null;
    this.phase = "completing";
    try {
      await this.backend.pasteSignIn(started.id, text);
    } catch (thrown) {
      const err = toIpcError(thrown);
      // Unreadable text can be pasted again; anything else ended the sign-in and
      // `finish` reports it.
      if (err.code === "invalid_input" || err.code === "conflict") {
        this.pasteError = err.message;
        if (this.phase === "completing") this.phase = "waiting";
      }
    }
  }

  /** "I've signed in": check the device code now. */
  async pollNow(): Promise<void> {
    if (this.started) await this.backend.pollSignInNow(this.started.id).catch(() => undefined);
  }

  async cancel(): Promise<void> {
    if (!this.started) return;
    this.cancelled = true;
    await this.backend.cancelSignIn(this.started.id).catch(() => undefined);
  }
}
