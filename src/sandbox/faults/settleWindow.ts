/**
 * A change that takes a while to reach the part of a service that acts on it, as AWS documents for
 * EventBridge ("allow a short period of time for changes to take effect" after PutRule and
 * PutTargets). A service notes each change by key; until the delay has passed on the sandbox clock
 * the change is not in force, and whoever would have acted on it skips it (the log says so).
 * In memory only: after a restart every change is in force.
 */
export class SettleWindow {
  /** Sandbox time each pending change takes effect, by key; settled keys are dropped. */
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly clock: { now(): number },
    /** Sandbox milliseconds a change takes to settle; 0 means at once. */
    readonly delayMs: number,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** `key` (a rule, a rule's target) changed now. */
  changed(key: string): void {
    if (this.delayMs <= 0) return;
    this.sweep();
    this.pending.set(key, this.clock.now() + this.delayMs);
  }

  /** Forget `key` (deleted): nothing of it is pending any more. */
  forget(key: string): void {
    this.pending.delete(key);
  }

  /** Whether the last change to `key` has taken effect; if not, `what` is logged as held back. */
  inForce(key: string, what?: string): boolean {
    const due = this.pending.get(key);
    if (due === undefined) return true;
    const left = due - this.clock.now();
    if (left <= 0) {
      this.pending.delete(key);
      return true;
    }
    if (what)
      this.log(`fault: ${what} (not in force for another ${Math.ceil(left / 1000)} s of sandbox time)`);
    return false;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, due] of this.pending) if (due <= now) this.pending.delete(key);
  }
}
