/**
 * Target clocks. On AWS time is real. On the sandbox it runs `timeScale` times faster; a process
 * that did not start the sandbox follows its clock from the anchor the sandbox wrote in its lock
 * (a sandbox instant and the real time it was read).
 *
 * For demo authors: every time a demo reasons about (a window, "since the upload", a timeout) comes
 * from this clock or from a value the target returned — never from the CLI's `Date.now()`, which
 * the sandbox's persisted, scaled clock runs ahead of. See "Time in demos" in the README.
 */
import type { TargetClock } from './types.js';

/** Abortable real-time wait; resolves (never rejects) when `signal` aborts. */
export function sleepReal(realMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, realMs),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock reading `source()` and passing `timeScale` target ms per real ms. */
export class ScaledClock implements TargetClock {
  constructor(
    private readonly source: () => number,
    readonly timeScale: number,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`time-scale must be a positive number, got ${timeScale}`);
    }
  }

  now(): number {
    return this.source();
  }

  toRealMs(targetMs: number): number {
    return Math.max(0, targetMs / this.timeScale);
  }

  sleep(targetMs: number, signal?: AbortSignal): Promise<void> {
    return sleepReal(this.toRealMs(targetMs), signal);
  }
}

/** Real time (AWS and other endpoints). */
export function realClock(): TargetClock {
  return new ScaledClock(() => Date.now(), 1);
}

/** Follow a sandbox clock from its anchor: sandbox = anchor.sandboxMs + (real − anchor.realMs) × scale. */
export function followingClock(
  anchor: { sandboxMs: number; realMs: number } | undefined,
  timeScale = 1,
): TargetClock {
  if (!anchor) return new ScaledClock(() => Date.now(), timeScale);
  return new ScaledClock(
    () => Math.floor(anchor.sandboxMs + (Date.now() - anchor.realMs) * timeScale),
    timeScale,
  );
}
