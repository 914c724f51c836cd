import { describe, expect, it, vi } from "vitest";
import type { SignInBackend } from "./api";
import type { SignInStarted, SignedIn } from "./bindings";
import { countdown, pasteWhat, secondsLeft, SignInFlow } from "./signin.svelte";

const started: SignInStarted = {
  id: "s1",
  provider: "claude",
  method: "browser",
  browser_url: "https://claude.ai/oauth/authorize?x",
  browser_opened: true,
  paste: "code_and_state",
  paste_url: "https://claude.ai/oauth/authorize?y",
  user_code: null,
  expires_at_ms: 1_000_000,
};

const signedIn = {
  account: { id: "a1", label: "ada@example.com" },
  created: true,
  activated: true,
} as unknown as SignedIn;

/** A backend whose finishSignIn stays pending until the test settles it. */
function fakeBackend() {
  let settle!: { resolve: (v: SignedIn) => void; reject: (e: unknown) => void };
  const backend = {
    startSignIn: vi.fn(async () => started),
    finishSignIn: vi.fn(() => new Promise<SignedIn>((resolve, reject) => (settle = { resolve, reject }))),
    pasteSignIn: vi.fn(async () => null),
    pollSignInNow: vi.fn(async () => null),
    cancelSignIn: vi.fn(async () => {
      settle.reject({ code: "sign_in_cancelled", message: "The sign-in was cancelled. Nothing was saved." });
      return null;
    }),
  } satisfies SignInBackend;
  return { backend, settle: () => settle };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("SignInFlow", () => {
  it("waits after starting and hands over the account when the sign-in finishes", async () => {
    const { backend, settle } = fakeBackend();
    const done = vi.fn();
    const flow = new SignInFlow(backend, done);
    await flow.start("claude", "browser", "  Work ");
    expect(backend.startSignIn).toHaveBeenCalledWith("claude", "browser", "Work");
    expect(flow.phase).toBe("waiting");
    expect(backend.finishSignIn).toHaveBeenCalledWith("s1");
    settle().resolve(signedIn);
    await tick();
    expect(flow.phase).toBe("done");
    expect(done).toHaveBeenCalledWith(signedIn);
  });

  it("sends an empty label as none", async () => {
    const { backend } = fakeBackend();
    await new SignInFlow(backend, vi.fn()).start("grok", "device", "   ");
    expect(backend.startSignIn).toHaveBeenCalledWith("grok", "device", null);
  });

  it("keeps waiting after an unreadable paste and shows why", async () => {
    const { backend } = fakeBackend();
    backend.pasteSignIn.mockRejectedValueOnce({ code: "invalid_input", message: "That is not a sign-in code." });
    const flow = new SignInFlow(backend, vi.fn());
    await flow.start("claude", "browser", "");
    await flow.paste("hello");
    expect(flow.pasteError).toBe("That is not a sign-in code.");
    expect(flow.phase).toBe("waiting");
    await flow.paste("code#state");
    expect(flow.pasteError).toBeNull();
    expect(flow.phase).toBe("completing");
  });

  it("shows the error a failed sign-in ends with and can start again", async () => {
    const { backend, settle } = fakeBackend();
    const flow = new SignInFlow(backend, vi.fn());
    await flow.start("codex", "browser", "");
    settle().reject({ code: "state_mismatch", message: "The sign-in answer does not belong to this sign-in." });
    await tick();
    expect(flow.phase).toBe("idle");
    expect(flow.started).toBeNull();
    expect(flow.error).toContain("does not belong");
  });

  it("shows no error when the user cancelled", async () => {
    const { backend } = fakeBackend();
    const flow = new SignInFlow(backend, vi.fn());
    await flow.start("claude", "browser", "");
    await flow.cancel();
    await tick();
    expect(backend.cancelSignIn).toHaveBeenCalledWith("s1");
    expect(flow.phase).toBe("idle");
    expect(flow.error).toBeNull();
  });

  it("reports a start that fails (a busy port, say)", async () => {
    const { backend } = fakeBackend();
    backend.startSignIn.mockRejectedValueOnce({ code: "port_busy", message: "Port 1455 on 127.0.0.1 is in use" });
    const flow = new SignInFlow(backend, vi.fn());
    await flow.start("codex", "browser", "");
    expect(flow.phase).toBe("idle");
    expect(flow.error).toContain("Port 1455");
    expect(backend.finishSignIn).not.toHaveBeenCalled();
  });
});

describe("sign-in wording", () => {
  it("counts down in minutes and seconds, never below zero", () => {
    expect(secondsLeft(10_500, 0)).toBe(10);
    expect(secondsLeft(0, 5_000)).toBe(0);
    expect(countdown(605)).toBe("10:05");
    expect(countdown(59)).toBe("0:59");
  });

  it("says what to paste for each provider's page", () => {
    expect(pasteWhat("code_and_state")).toContain("after #");
    expect(pasteWhat("redirected_url")).toContain("address bar");
    expect(pasteWhat("code")).toBe("the code the page shows");
  });
});
