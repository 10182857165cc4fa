/** The proof tests' pool: bounded, urgent work first, and a failure never leaves work running. */
import { describe, expect, it } from 'vitest';
import { WorkPool, allSettledOrThrow } from './workPool.js';

/** Work that ends when the test says so. */
function gate(): { work: () => Promise<void>; open: () => void; started: boolean } {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  const g = {
    started: false,
    open: () => open(),
    work: async () => {
      g.started = true;
      await done;
    },
  };
  return g;
}

const settle = () => new Promise((r) => setImmediate(r));

describe('WorkPool', () => {
  it('runs no more than its size at once, and the next starts when one ends', async () => {
    const pool = new WorkPool(2);
    const gates = [gate(), gate(), gate()];
    const all = gates.map((g) => pool.run(g.work));
    await settle();
    expect(gates.map((g) => g.started)).toEqual([true, true, false]);
    gates[1]!.open();
    await settle();
    expect(gates[2]!.started).toBe(true);
    for (const g of gates) g.open();
    await Promise.all(all);
  });

  it('urgent work goes ahead of what already waits', async () => {
    const pool = new WorkPool(1);
    const order: string[] = [];
    const first = gate();
    const running = pool.run(first.work);
    const queued = pool.run(async () => void order.push('queued'));
    const urgent = pool.run(async () => void order.push('urgent'), { urgent: true });
    first.open();
    await Promise.all([running, queued, urgent]);
    expect(order).toEqual(['urgent', 'queued']);
  });

  it('a failing piece of work frees its slot', async () => {
    const pool = new WorkPool(1);
    await expect(pool.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a pool with no slot', () => {
    expect(() => new WorkPool(0)).toThrow(RangeError);
  });
});

describe('allSettledOrThrow', () => {
  it('throws the first failure only once every piece of work has ended, saying how many failed', async () => {
    const slow = gate();
    let thrown = false;
    const result = allSettledOrThrow([
      Promise.reject(new Error('first')),
      slow.work().then(() => 'slow'),
      Promise.reject(new Error('second')),
    ]).catch((err: Error) => {
      thrown = true;
      return err;
    });
    await settle();
    expect(thrown, 'still waiting for the slow one').toBe(false);
    slow.open();
    const err = (await result) as Error;
    expect(thrown).toBe(true);
    expect(err.message).toBe('first\n(1 more of 3 failed too)');
  });

  it('gives every result, in order, when nothing failed', async () => {
    await expect(allSettledOrThrow([Promise.resolve(1), Promise.resolve(2)])).resolves.toEqual([1, 2]);
  });
});
