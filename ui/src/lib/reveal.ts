// Long lists paint what can be seen: a provider with hundreds of accounts renders its first
// rows, and more each time the end of what is rendered comes near the visible area.

/** How many rows a list renders at first, and adds at each step. */
export const ROWS_PER_STEP = 50;

/** How many rows to render after one more step, for a list of `total`. */
export function nextStep(shown: number, total: number): number {
  return Math.min(total, shown + ROWS_PER_STEP);
}

/** What the button at the end of a partly rendered list says. */
export function moreLabel(shown: number, total: number): string {
  const rest = total - shown;
  return `Show ${Math.min(ROWS_PER_STEP, rest)} more (${rest} not shown)`;
}

/** Svelte action: calls `onNear` when `node` comes within a screen of the visible area. */
export function nearView(node: HTMLElement, onNear: () => void) {
  if (typeof IntersectionObserver === "undefined") return {};
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onNear();
    },
    { rootMargin: "100% 0px" },
  );
  observer.observe(node);
  return { destroy: () => observer.disconnect() };
}
