import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { api, IpcError, paintMode, toIpcError } from "./api";

afterEach(() => clearMocks());

describe("api", () => {
  it("sends each command its argument struct whole, with the Rust field names", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await api.setInPool("a1", true);
    await api.toggleActive("a2");
    expect(calls).toEqual([
      ["set_in_pool", { args: { id: "a1", in_pool: true } }],
      ["toggle_active", { args: { id: "a2" } }],
    ]);
  });

  it("turns a backend error payload into an IpcError with its code", async () => {
    mockIPC(() => {
      throw { code: "not_allowed", message: "Only accounts that sign in can join round-robin" };
    });
    const error = await api.setInPool("a1", true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe("not_allowed");
    expect((error as IpcError).message).toContain("round-robin");
  });

  it("keeps the text of unexpected failures", () => {
    expect(toIpcError(new Error("boom"))).toMatchObject({ code: "io", message: "boom" });
    expect(toIpcError("plain")).toMatchObject({ code: "io", message: "plain" });
  });

  it("says the page paints in software only when the app said so", () => {
    const holder = window as unknown as { __SWITCHBOARD_PAINT__?: string };
    holder.__SWITCHBOARD_PAINT__ = undefined;
    expect(paintMode()).toBe("composited");
    holder.__SWITCHBOARD_PAINT__ = "software";
    expect(paintMode()).toBe("software");
    holder.__SWITCHBOARD_PAINT__ = "something else";
    expect(paintMode()).toBe("composited");
    holder.__SWITCHBOARD_PAINT__ = undefined;
  });
});
