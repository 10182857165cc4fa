/**
 * demo1's setup run twice and torn down twice: no error, no duplicate, nothing left. Killing a run
 * or a teardown at every ledger boundary is proven deterministically, for every demo, in
 * test/proof/crashSafety.test.ts (it replaced the timing-based kill points that were here).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { NOTHING_LEFT, demo1Leftovers, runCli } from './cliProcess.js';

describe('demo1 setup and teardown, each twice (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);
  it('setup twice and teardown twice: no error, no duplicate', { timeout: 180_000 }, async () => {
    const home = makeTempDir('course-cli-demo1-twice-');
    const args = ['demo1', 'run', '--yes', '--phase', 'setup', '--keep', '--home', home];
    const first = await runCli(args);
    expect(first.code, first.output).toBe(0);
    const second = await runCli(args);
    expect(second.code, second.output).toBe(0);
    const after = await demo1Leftovers(path.join(home, 'sandbox'));
    expect(after.buckets).toHaveLength(1);
    expect(after.roles).toHaveLength(1);
    expect(after.functions).toHaveLength(1);
    expect(after.rules).toHaveLength(1);
    expect(after.logGroups).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const down = await runCli(['demo1', 'teardown', '--yes', '--home', home]);
      expect(down.code, down.output).toBe(0);
    }
    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
  });
});
