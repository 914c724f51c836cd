// One clock for every "resets in" and "read … ago" on screen: it ticks twice a minute, so
// the figures age without each row keeping a timer of its own.
class Clock {
  now = $state(Date.now());
  constructor() {
    if (typeof window !== "undefined") setInterval(() => (this.now = Date.now()), 30_000);
  }
}

export const clock = new Clock();
