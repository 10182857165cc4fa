/**
 * demo3 end to end, as a process: `course-cli demo3 run --yes` on a fresh sandbox passes every
 * check, tells the story (hour 03 MISSING and paged; both late runs fail after their retries; the
 * reconciliation marks them RECONCILED; the alarm clears), and afterwards the sandbox holds nothing
 * of the demo (asked through List/Describe calls).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { checkTotals, runCli } from '../demo1/cliProcess.js';
import { NOTHING_LEFT, demoLeftovers } from '../demoLeftovers.js';

describe('demo3 run --yes on a fresh sandbox (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);

  it('passes every check, exits 0 and leaves nothing behind', { timeout: 300_000 }, async () => {
    const home = makeTempDir('course-cli-demo3-e2e-');
    const run = await runCli(['demo3', 'run', '--yes', '--home', home], { timeoutMs: 280_000 });
    const totals = checkTotals(run.output);
    expect(run.code, run.output).toBe(0);
    expect(totals?.failed, run.output).toBe(0);
    expect(totals?.passed).toBeGreaterThanOrEqual(90);
    // No failed check or step (graph lines, which may show ✖ for a state, start with │).
    expect(run.output).not.toMatch(/^\s*✖/m);
    for (const phase of ['Setup', 'Execution', 'Failure', 'Recovery', 'Teardown']) {
      expect(run.output).toContain(`· ${phase}`);
    }
    expect(run.output).toContain('ValidateStateMachineDefinition: OK');
    // The story, as the learner reads it.
    expect(run.output).toMatch(/\d\d-\d\d 03h +MISSING +0 +– +–/);
    expect(run.output).toMatch(/INSUFFICIENT_DATA → ALARM +Threshold Crossed/);
    expect(run.output).toMatch(/ProcessArrival: attempt 3 failed — TransientError/);
    expect(run.output).toMatch(/\d\d-\d\d 01h +RECONCILED +2/);
    expect(run.output).toMatch(/\d\d-\d\d 03h +RECONCILED +1/);
    expect(run.output).toMatch(/ALARM → OK/);
    expect(await demoLeftovers(path.join(home, 'sandbox'), 'demo3')).toEqual(NOTHING_LEFT);
  });

  it('offers its own options on run, and refuses a bad value in one line with exit 2', async () => {
    const help = await runCli(['demo3', 'run', '--help', '--home', makeTempDir('course-cli-demo3-help-')]);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--hours <n>\s+hourly partitions in the reconciled window/);
    expect(help.output).toMatch(/--records-per-hour <n>/);
    const bad = await runCli([
      'demo3',
      'run',
      '--hours',
      '3',
      '--home',
      makeTempDir('course-cli-demo3-bad-'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.output.trim().split('\n')).toHaveLength(1);
    expect(bad.output).toContain("option '--hours <n>' argument '3' is invalid");
  }, 60_000);
});
