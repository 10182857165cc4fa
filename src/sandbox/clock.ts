/**
 * The sandbox clock. Everything time-driven in the sandbox (schedules, Step Functions Wait, retry
 * backoff, Lambda async retries) reads and waits on this clock, so one time-scale speeds up the whole
 * sandbox consistently: at scale 60, one sandbox minute passes in one real second.
 *
 * Timeouts that protect the host (a Lambda handler's timeout) are also expressed in sandbox time, as
 * AWS would count them, but converted to real time here.
 */
export interface ClockTimer {
  cancel(): void;
}

export class SandboxClock {
  private readonly realStart: number;
  private readonly sandboxStart: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly timeScale = 1,
    startAt: number = Date.now(),
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`time-scale must be a positive number, got ${timeScale}`);
    }
    this.realStart = performance.now();
    this.sandboxStart = startAt;
  }

  /** Current sandbox time in epoch milliseconds. */
  now(): number {
    return Math.floor(this.sandboxStart + (performance.now() - this.realStart) * this.timeScale);
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  /** Real milliseconds that correspond to `sandboxMs` of sandbox time. */
  toRealMs(sandboxMs: number): number {
    return Math.max(0, sandboxMs / this.timeScale);
  }

  /**
   * Run `fn` after `sandboxMs` of sandbox time. Timers die with the clock. Node's timers may fire a
   * fraction of a millisecond early (they count whole milliseconds), which a fast time-scale turns
   * into sandbox seconds; so a timer that wakes before its due time sleeps again for the rest.
   */
  setTimer(sandboxMs: number, fn: () => void): ClockTimer {
    if (this.stopped) return { cancel: () => undefined };
    const due = this.now() + Math.max(0, sandboxMs);
    let handle: NodeJS.Timeout;
    const arm = (realMs: number): void => {
      handle = setTimeout(() => {
        this.timers.delete(handle);
        const left = due - this.now();
        if (left > 0 && !this.stopped) arm(Math.max(1, Math.ceil(this.toRealMs(left))));
        else fn();
      }, realMs);
      this.timers.add(handle);
    };
    arm(this.toRealMs(sandboxMs));
    return {
      cancel: () => {
        clearTimeout(handle);
        this.timers.delete(handle);
      },
    };
  }

  /** Run `fn` when the sandbox clock reaches `epochMs` (immediately if already past). */
  setTimerAt(epochMs: number, fn: () => void): ClockTimer {
    return this.setTimer(Math.max(0, epochMs - this.now()), fn);
  }

  /** Resolve after `sandboxMs` of sandbox time (or at once, unresolved never, if the clock stops). */
  sleep(sandboxMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(sandboxMs, resolve);
    });
  }

  /** Cancel every pending timer; used when the sandbox stops. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
