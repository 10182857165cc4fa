/**
 * Crash safety, proven (issue 12), for every demo of the proof table, against one `sandbox start`
 * process that outlives every CLI killed here (so teardown meets what really exists):
 *
 * - setup killed with SIGKILL at every resource-create boundary, one run per boundary — "intent
 *   written, create not sent" and "created, not yet confirmed in the ledger" of each resource —
 *   then `teardown --yes` leaves nothing. The boundaries are counted from the demo's own ledger
 *   after an unkilled setup; the kill is COURSE_TEST_KILL_AT=<n> (src/cloud/testHooks.ts), not a
 *   timing race, and each killed run is checked to have stopped where it was meant to.
 * - teardown killed after each deletion it makes (before recording it), re-run until it finishes:
 *   nothing left.
 *
 * The unkilled setup also checks that the least-privilege rows cover every policy of the demo's roles.
 *
 * Two terminals racing on one demo: test/cli/ledgerLock.test.ts (a teardown during a run refuses,
 * then cleans up everything the run made) — not repeated here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { demoResources, rolePolicies } from './demoResources.js';
import { readLedger, runCourseCli, startSandboxProcess, type SandboxProcess } from './processes.js';
import { PROOF_TABLE, PROVEN_DEMOS } from './proofTable.js';

/** Kinds the sandbox lists on their own (a permission or a metric filter lives inside another). */
const LISTED_KINDS = new Set([
  's3-bucket',
  'iam-role',
  'lambda-function',
  'events-rule',
  'log-group',
  'state-machine',
  'alarm',
]);

describe.each(PROVEN_DEMOS)('%s: crash safety against a sandbox that outlives the CLI', (demo) => {
  const home = makeTempDir(`course-proof-crash-${demo}-`);
  let sandbox: SandboxProcess;
  const setupArgs = ['--home', home, demo, 'run', '--yes', '--phase', 'setup', '--keep'];
  const teardownArgs = ['--home', home, demo, 'teardown', '--yes'];
  const said = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;
  const left = () => demoResources(sandbox.access, demo);

  async function teardownLeavesNothing(context: string): Promise<void> {
    const down = await runCourseCli(teardownArgs);
    expect(down.code, `${context}\n${said(down)}`).toBe(0);
    expect(await left(), context).toEqual([]);
  }

  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandboxProcess(home);
  }, 300_000);
  afterAll(async () => {
    expect(await sandbox?.stop()).toBe(0);
  }, 60_000);

  it('setup killed at every create boundary, one run each; teardown then leaves nothing', async () => {
    // The boundaries, from the demo's own ledger after a setup nobody killed.
    const whole = await runCourseCli(setupArgs);
    expect(whole.code, said(whole)).toBe(0);
    const reference = readLedger(home, demo)!;
    const entries = reference.entries;
    // Names without the run id: each killed run is a new deployment with a run id of its own.
    const generic = (name: string, runId: string): string => name.split(runId).join('<run>');
    expect(entries.length, said(whole)).toBeGreaterThan(0);
    expect(entries.every((e) => e.state === 'created')).toBe(true);
    expect((await left()).length).toBeGreaterThan(0);
    // This whole setup also checks the least-privilege table: every policy of the demo's roles
    // has its row (a new policy without one fails here).
    expect(await rolePolicies(sandbox.access, demo), 'rows in test/proof/proofTable.ts').toEqual(
      PROOF_TABLE[demo]!.leastPrivilege.map((r) => `${r.role} / ${r.policy}`).sort(),
    );
    await teardownLeavesNothing('after the whole setup');

    for (let n = 1; n <= 2 * entries.length; n++) {
      const intentOnly = n % 2 === 1;
      const entry = entries[Math.ceil(n / 2) - 1]!;
      const context = `boundary ${n}: ${entry.kind} ${entry.name}, ${intentOnly ? 'intent written, create not sent' : 'created, not confirmed'}`;
      const killed = await runCourseCli(setupArgs, { COURSE_TEST_KILL_AT: String(n) });
      expect(killed.signal, `${context}\n${said(killed)}`).toBe('SIGKILL');
      expect(killed.stderr).toContain(
        `SIGKILL at ledger boundary ${n} (${intentOnly ? 'intent-written' : 'created-unconfirmed'})`,
      );
      // It stopped where it was meant to: the ledger names this resource as intended only, and
      // (for a kind the sandbox lists) the resource exists exactly when its create was sent.
      const ledger = readLedger(home, demo)!;
      expect(
        ledger.entries.map((e) => e.state),
        context,
      ).toEqual([...Array<string>(Math.ceil(n / 2) - 1).fill('created'), 'intended']);
      const atKill = ledger.entries.at(-1)!;
      expect([atKill.kind, generic(atKill.name, ledger.runId)], context).toEqual([
        entry.kind,
        generic(entry.name, reference.runId),
      ]);
      if (LISTED_KINDS.has(entry.kind)) {
        const exists = (await left()).some((r) => r.kind === entry.kind && r.name === atKill.name);
        expect(exists, context).toBe(!intentOnly);
      }
      await teardownLeavesNothing(context);
    }
  }, 600_000);

  it('teardown killed after each deletion, before recording it; re-run until done: nothing left', async () => {
    const whole = await runCourseCli(setupArgs);
    expect(whole.code, said(whole)).toBe(0);
    const count = readLedger(home, demo)!.entries.length;
    let kills = 0;
    for (;;) {
      const down = await runCourseCli(teardownArgs, { COURSE_TEST_KILL_AT: '1' });
      if (down.signal === null) {
        expect(down.code, said(down)).toBe(0);
        break;
      }
      expect(down.signal, said(down)).toBe('SIGKILL');
      expect(down.stderr).toContain('SIGKILL at ledger boundary 1 (deleted-unrecorded)');
      kills += 1;
      expect(kills, 'each killed teardown deletes one more resource').toBeLessThanOrEqual(count);
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(await left()).toEqual([]);
    expect(readLedger(home, demo), 'the finished teardown archived the ledger').toBeUndefined();
  }, 600_000);
});
