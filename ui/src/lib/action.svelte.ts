// One user action at a time, with its error shown where it happened: the busy flag and the
// message that every button-driven call in the UI needs.
import { toIpcError } from "./api";

export class Action {
  busy = $state(false);
  error = $state<string | null>(null);

  /** Runs `action`, keeping `busy` set meanwhile; a failure becomes `error`. */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (thrown) {
      this.error = toIpcError(thrown).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
