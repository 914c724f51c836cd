import { describe, expect, it } from "vitest";
import { Action } from "./action.svelte";

describe("Action", () => {
  it("is busy while running and clears a previous error on success", async () => {
    const action = new Action();
    await action.run(() => Promise.reject({ code: "conflict", message: "label taken" }));
    expect(action.error).toBe("label taken");
    let busyInside = false;
    const ok = await action.run(async () => {
      busyInside = action.busy;
    });
    expect(ok).toBe(true);
    expect(busyInside).toBe(true);
    expect(action.busy).toBe(false);
    expect(action.error).toBeNull();
  });
});
