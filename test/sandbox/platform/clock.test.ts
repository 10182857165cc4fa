/** The sandbox clock never wakes a timer before its due sandbox time, even at a fast time-scale. */
import { afterEach, expect, it } from 'vitest';
import { SandboxClock } from '../../../src/sandbox/clock.js';

let clock: SandboxClock | undefined;
afterEach(() => clock?.stop());

it('fires every timer at or after its due time at time-scale 1000', { timeout: 20_000 }, async () => {
  clock = new SandboxClock(1000);
  const c = clock;
  const lateness = await Promise.all(
    Array.from({ length: 40 }, (_, i) => {
      const delay = 1_000 + i * 977; // 1 to ~40 sandbox seconds: 1 to ~40 real ms
      const due = c.now() + delay;
      return new Promise<number>((resolve) => c.setTimer(delay, () => resolve(c.now() - due)));
    }),
  );
  for (const late of lateness) expect(late).toBeGreaterThanOrEqual(0);
});

it('cancel stops a timer, and stop cancels the rest', async () => {
  clock = new SandboxClock(100);
  let fired = 0;
  const t = clock.setTimer(500, () => fired++);
  t.cancel();
  clock.setTimer(500, () => fired++);
  clock.stop();
  await new Promise((r) => setTimeout(r, 30));
  expect(fired).toBe(0);
  expect(clock.isStopped).toBe(true);
});
