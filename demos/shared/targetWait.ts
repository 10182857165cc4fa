/**
 * Waiting for something the target does on its own (a scheduled run, a function update), measured in
 * target time: on the sandbox a scaled clock makes a minute pass in seconds, on AWS it is real time.
 * Never a fixed real-time sleep, always bounded, always stoppable with Ctrl-C.
 */
import type { TargetClock } from '../../src/cloud/types.js';
import type { StepOutput } from '../../src/course/model.js';

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

export class WaitAbortedError extends Error {
  override readonly name = 'WaitAbortedError';
}

export interface WaitContext {
  clock: TargetClock;
  signal: AbortSignal;
  out: StepOutput;
}

export interface WaitOptions<T> {
  /** Shown while waiting, e.g. "Waiting for the next scheduled run". */
  label: string;
  /** Give up after this much target time, with `timeoutMessage`. */
  timeoutMs: number;
  timeoutMessage: string;
  /** Read back from the target on timeout: what it says about why (appended to the message). */
  explainTimeout?: () => Promise<string>;
  /** How often to look, in target time. */
  pollMs: number;
  /** Returns the awaited thing, or undefined to keep waiting. */
  probe: () => Promise<T | undefined>;
  /** Extra status after the label (e.g. a countdown); gets elapsed target ms. */
  status?: (elapsedMs: number) => string;
}

/** `m:ss` of a duration in milliseconds. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export async function waitInTargetTime<T>(ctx: WaitContext, opts: WaitOptions<T>): Promise<T> {
  const started = ctx.clock.now();
  return ctx.out.progress(opts.label, async (update) => {
    for (;;) {
      if (ctx.signal.aborted) throw new WaitAbortedError(`stopped while: ${opts.label}`);
      const found = await opts.probe();
      if (found !== undefined) return found;
      const elapsed = ctx.clock.now() - started;
      if (elapsed >= opts.timeoutMs) {
        const why = opts.explainTimeout ? `; ${await opts.explainTimeout()}` : '';
        throw new WaitTimeoutError(
          `${opts.timeoutMessage} (waited ${formatDuration(elapsed)} target time)${why}`,
        );
      }
      const extra = opts.status ? ` — ${opts.status(elapsed)}` : '';
      update(
        `${opts.label}${extra} (${formatDuration(elapsed)} of at most ${formatDuration(opts.timeoutMs)})`,
      );
      await ctx.clock.sleep(Math.min(opts.pollMs, opts.timeoutMs - elapsed), ctx.signal);
    }
  });
}

/**
 * Target ms until the next run of a `rate(<periodMs>)` schedule that started at `startedAt`.
 * An estimate: EventBridge promises the minute, not the second.
 */
export function msUntilNextTick(startedAt: number, now: number, periodMs: number): number {
  if (now < startedAt) return startedAt - now + periodMs;
  const into = (now - startedAt) % periodMs;
  return periodMs - into;
}
