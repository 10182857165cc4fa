/**
 * demo2 end to end, as a process: `course-cli demo2 run --yes` on a fresh sandbox passes every
 * check, shows the workflow absorbing transient faults, catching the bad file and being redriven,
 * and afterwards the sandbox holds nothing of the demo (asked through List calls).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { checkTotals, runCli } from '../demo1/cliProcess.js';
import { NOTHING_LEFT, demoLeftovers } from '../demoLeftovers.js';

describe('demo2 run --yes on a fresh sandbox (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);

  it('passes every check, exits 0 and leaves nothing behind', { timeout: 180_000 }, async () => {
    const home = makeTempDir('course-cli-demo2-e2e-');
    const run = await runCli(['demo2', 'run', '--yes', '--home', home]);
    const totals = checkTotals(run.output);
    expect(run.code, run.output).toBe(0);
    expect(totals?.failed, run.output).toBe(0);
    expect(totals?.passed).toBeGreaterThanOrEqual(80);
    // No failed check or step (graph lines, which may show ✖ for a state, start with │).
    expect(run.output).not.toMatch(/^\s*✖/m);
    for (const phase of ['Setup', 'Execution', 'Failure', 'Recovery', 'Teardown']) {
      expect(run.output).toContain(`· ${phase}`);
    }
    // The story, as the learner reads it: retries absorbed, the bad file caught, the outage redriven.
    expect(run.output).toMatch(/Transform: attempt 2 failed — TransientError/);
    expect(run.output).toContain('✔ Transform   succeeded on attempt 3');
    expect(run.output).toContain('↪ Validate    caught ValidationError → Quarantine');
    // The table wraps the cause to the terminal's width.
    expect(run.output).toMatch(
      /cause +incoming\/orders\/\S+ is not valid order data: line 3:\s+amount\s+is\s+not\s+a\s+number/,
    );
    expect(run.output).toContain('✔ Validate    succeeded, not re-run by the redrive');
    expect(run.output).toContain('ValidateStateMachineDefinition: OK');
    expect(await demoLeftovers(path.join(home, 'sandbox'), 'demo2')).toEqual(NOTHING_LEFT);
  });
});
