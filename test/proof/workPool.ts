/**
 * A bounded pool for the proof tests' CLI runs. Each run is mostly CPU (Node and the SDK starting,
 * then the sandbox answering), so more runs at once than the machine has cores only slices the
 * cores finer, and fewer leaves one idle while a run waits on the sandbox. One pool serves every
 * demo of a test file, so the cores stay busy until the last run, whichever demo it belongs to.
 */
import os from 'node:os';

/** One more than the cores: a run waiting on its sandbox leaves a core to another. */
export const PROOF_CONCURRENCY = os.availableParallelism() + 1;

export class WorkPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`a pool needs at least one slot, not ${size}`);
  }

  /**
   * Run `work` when a slot is free. `urgent` work goes ahead of what already waits: a chain of
   * runs that must happen one after another would otherwise queue behind everything, each step.
   */
  async run<T>(work: () => Promise<T>, opts: { urgent?: boolean } = {}): Promise<T> {
    if (this.running >= this.size) {
      await new Promise<void>((resolve) =>
        opts.urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve),
      );
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line (running stays the same), or frees up.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/**
 * Every piece of `work` run to its end, then the first failure thrown with how many failed, so
 * a failing item never leaves others running past the test (and the sandbox they use).
 */
export async function allSettledOrThrow<T>(work: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0) {
    const first = failed[0]!.reason as unknown;
    if (failed.length > 1 && first instanceof Error) {
      first.message = `${first.message}\n(${failed.length - 1} more of ${settled.length} failed too)`;
    }
    throw first;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
