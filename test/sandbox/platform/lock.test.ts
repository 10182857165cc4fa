/**
 * What the lock tells another process: where the sandbox is, and how to follow its clock. A CLI in
 * a second terminal reads it and must agree with the sandbox about the time, at its time-scale.
 */
import { describe, expect, it } from 'vitest';
import { readLiveLock, startSandbox } from '../../../src/sandbox/index.js';
import { followingClock } from '../../../src/cloud/clock.js';
import { makeTempDir } from '../../helpers/sandbox.js';

describe('sandbox lock', () => {
  it('records the endpoint, the time-scale and a clock anchor another process can follow', async () => {
    const stateDir = makeTempDir();
    const sb = await startSandbox({ stateDir, timeScale: 60 });
    try {
      const lock = readLiveLock(stateDir);
      expect(lock).toMatchObject({ pid: process.pid, endpoint: sb.endpoint, port: sb.port, timeScale: 60 });
      const follower = followingClock(lock?.clockAnchor, lock?.timeScale);
      // Read both clocks a few times, a little apart: they agree to within a few real ms (× 60).
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        expect(Math.abs(follower.now() - sb.clock.now())).toBeLessThan(60 * 20);
      }
      expect(follower.timeScale).toBe(60);
    } finally {
      await sb.stop();
    }
    expect(readLiveLock(stateDir)).toBeUndefined();
  });
});
