// Usage figures as the window shows them: how long until a window resets, how old a reading
// is, how full a bar looks, and the sparkline of a window's last seven days.
import type { UsageSample, UsageWindow } from "./bindings";

/** A span in words, to the minute: "2 h 10 min", "3 d 4 h", "under a minute". */
export function spanWords(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor(minutes / 60) % 24;
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return mins > 0 ? `${mins} min` : "under a minute";
}

/** The share used now: none once the window has reset since the reading. */
export function usedNow(window: UsageWindow, now: number): number {
  if (window.resets_at && Date.parse(window.resets_at) <= now) return 0;
  if (window.locked) return 100;
  return window.used_percent;
}

/** "resets in 2 h 10 min", "reset since", or nothing when the provider does not say. */
export function resetsIn(window: UsageWindow, now: number): string | null {
  if (!window.resets_at) return null;
  const at = Date.parse(window.resets_at);
  if (Number.isNaN(at)) return null;
  return at <= now ? "reset since" : `resets in ${spanWords(at - now)}`;
}

/** How a bar looks: calm, near the limit (80% and over), or at it. */
export function barLevel(percent: number): "ok" | "near" | "full" {
  if (percent >= 100) return "full";
  return percent >= 80 ? "near" : "ok";
}

/** "read 3 min ago" for a reading at `fetchedAt`; `null` before the first. */
export function readAgo(fetchedAt: string | null, now: number): string | null {
  if (!fetchedAt) return null;
  return `read ${spanWords(now - Date.parse(fetchedAt))} ago`;
}

/** The history window in ms (seven days). */
export const HISTORY_MS = 7 * 24 * 3600 * 1000;

/** Where a history's time axis starts: seven days back, or the first sample if later. */
export function historyStart(samples: UsageSample[], now: number): number {
  const recent = samples.map((s) => s.at).filter((at) => at >= now - HISTORY_MS);
  return recent.length > 0 ? Math.min(...recent) : now - HISTORY_MS;
}

/** The span a history covers, in words: "the last 7 days", or "the last 2 h" when younger. */
export function historySpan(samples: UsageSample[], now: number): string {
  const start = historyStart(samples, now);
  const span = now - start;
  if (span >= HISTORY_MS - 60_000) return "the last 7 days";
  return span < 60_000 ? "the last minute" : `the last ${spanWords(span)}`;
}

/**
 * The SVG polyline points of one window's samples, in a `width` x `height` box: time left
 * to right from {@link historyStart} to now, 0% at the bottom. Empty with fewer than two.
 */
export function sparklinePoints(
  samples: UsageSample[],
  window: string,
  now: number,
  width: number,
  height: number,
): string {
  const start = historyStart(samples, now);
  const points = samples.filter((s) => s.window === window && s.at >= start);
  if (points.length < 2) return "";
  const span = Math.max(1, now - start);
  const x = (at: number) => ((at - start) / span) * width;
  const y = (percent: number) => height - (Math.min(100, Math.max(0, percent)) / 100) * height;
  return points.map((s) => `${x(s.at).toFixed(1)},${y(s.used_percent).toFixed(1)}`).join(" ");
}

/** The last share a history holds for `window`. */
export function latestShare(samples: UsageSample[], window: string): number | null {
  const last = samples.filter((s) => s.window === window).at(-1);
  return last ? last.used_percent : null;
}

/** The windows a history holds, in the order they first appear. */
export function historyWindows(samples: UsageSample[]): string[] {
  return [...new Set(samples.map((s) => s.window))];
}
