/**
 * demo1 end to end, as a process: `course-cli demo1 run --yes` on a fresh sandbox passes every
 * check, and afterwards the sandbox holds nothing of the demo (asked through List calls).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { NOTHING_LEFT, checkTotals, demo1Leftovers, runCli } from './cliProcess.js';

describe('demo1 run --yes on a fresh sandbox (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);
  it('passes every check, exits 0 and leaves nothing behind', { timeout: 180_000 }, async () => {
    const home = makeTempDir('course-cli-demo1-e2e-');
    const run = await runCli(['demo1', 'run', '--yes', '--home', home]);
    const totals = checkTotals(run.output);
    expect(run.code, run.output).toBe(0);
    expect(totals?.failed, run.output).toBe(0);
    // 6 setup steps … teardown: every step has checks; 40+ of them.
    expect(totals?.passed).toBeGreaterThanOrEqual(40);
    expect(run.output).not.toMatch(/✖/);
    for (const phase of ['Setup', 'Execution', 'Failure', 'Recovery', 'Teardown']) {
      expect(run.output).toContain(phase);
    }
    expect(run.output).toMatch(/curated \d+, raw \d+/);
    expect(run.output).toContain('MissingInputError');
    // Real CloudWatch metrics in the signals table and the recovery; on the sandbox they are immediate.
    expect(run.output).toMatch(/metric AWS\/Lambda Errors \(Sum\)\s+0 \(\d+ datapoints?\)\s+healthy/);
    expect(run.output).toMatch(/AWS\/Lambda Errors \(Sum\)\s+[1-9]\d* \(\d+ datapoints?\)\s+FAILING/);
    expect(run.output).toContain('cloudwatch:GetMetricData');
    expect(run.output).not.toContain('not published yet');
    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    // Status tells a finished, torn-down run from one never started.
    const status = await runCli(['demo1', 'status', '--home', home]);
    expect(status.output).toMatch(
      new RegExp(
        `Last run: torn down on \\S+ \\(${totals!.passed} checks passed, 0 failed\\); nothing of it is deployed\\.`,
      ),
    );
    expect(status.output).not.toContain('Progress: not started');
  });
});
