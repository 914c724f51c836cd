import { describe, expect, it } from "vitest";
import type { UsageWindow } from "./bindings";
import {
  barLevel,
  historySpan,
  historyWindows,
  latestShare,
  readAgo,
  resetsIn,
  spanWords,
  sparklinePoints,
  usedNow,
  HISTORY_MS,
} from "./usage";

const window = (used: number, resetsAt: string | null, locked: string | null = null): UsageWindow => ({
  name: "5-hour",
  used_percent: used,
  resets_at: resetsAt,
  locked,
});

describe("usage figures", () => {
  it("says spans to the minute", () => {
    expect(spanWords(-1)).toBe("under a minute");
    expect(spanWords(130 * 60_000)).toBe("2 h 10 min");
    expect(spanWords(120 * 60_000)).toBe("2 h");
    expect(spanWords((3 * 1440 + 4 * 60) * 60_000)).toBe("3 d 4 h");
    expect(spanWords(5 * 60_000 + 59_000)).toBe("5 min");
  });

  it("counts a window that has reset since the reading as unused", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(usedNow(window(90, "2026-11-30T11:00:00Z"), now)).toBe(0);
    expect(usedNow(window(90, "2026-11-30T14:10:00Z"), now)).toBe(90);
    expect(usedNow(window(10, null, "spend limit"), now)).toBe(100);
    expect(resetsIn(window(90, "2026-11-30T14:10:00Z"), now)).toBe("resets in 2 h 10 min");
    expect(resetsIn(window(90, "2026-11-30T11:00:00Z"), now)).toBe("reset since");
    expect(resetsIn(window(90, null), now)).toBeNull();
  });

  it("colours bars by how close they are to the limit", () => {
    expect(barLevel(79)).toBe("ok");
    expect(barLevel(80)).toBe("near");
    expect(barLevel(100)).toBe("full");
  });

  it("says how old a reading is", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(readAgo("2026-11-30T11:57:00Z", now)).toBe("read 3 min ago");
    expect(readAgo(null, now)).toBeNull();
  });

  it("draws a window's last seven days left to right, 0% at the bottom", () => {
    const now = 10 * HISTORY_MS;
    const samples = [
      { at: now - HISTORY_MS, window: "5-hour", used_percent: 0 },
      { at: now - HISTORY_MS / 2, window: "7-day", used_percent: 50 },
      { at: now, window: "5-hour", used_percent: 100 },
      { at: now - 2 * HISTORY_MS, window: "5-hour", used_percent: 30 },
    ];
    expect(sparklinePoints(samples, "5-hour", now, 100, 20)).toBe("0.0,20.0 100.0,0.0");
    expect(sparklinePoints(samples, "7-day", now, 100, 20)).toBe("");
    expect(historyWindows(samples)).toEqual(["5-hour", "7-day"]);
    expect(historySpan(samples, now)).toBe("the last 7 days");
    expect(latestShare(samples, "5-hour")).toBe(30);
  });

  it("stretches a history younger than seven days over the whole width", () => {
    const now = 10 * HISTORY_MS;
    const samples = [
      { at: now - 2 * 3600_000, window: "5-hour", used_percent: 50 },
      { at: now - 3600_000, window: "5-hour", used_percent: 75 },
      { at: now, window: "5-hour", used_percent: 100 },
    ];
    expect(sparklinePoints(samples, "5-hour", now, 100, 20)).toBe("0.0,10.0 50.0,5.0 100.0,0.0");
    expect(historySpan(samples, now)).toBe("the last 2 h");
    expect(historySpan(samples.slice(2), now)).toBe("the last minute");
  });
});
