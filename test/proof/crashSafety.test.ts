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

// The demos run at the same time (each with its own home and sandbox process; most of a run is
// waiting on the sandbox's clock), a demo's two tests one after the other (they share its home).
// A crash table costs two CLI runs per ledger boundary (demo1 12, demo2 32, demo3 40): `npm test`
// proves demo1's, so CI stays well under ten minutes; `npm run test:proofs` proves every demo's.
const CRASH_DEMOS = process.env.COURSE_PROOF_ALL === '1' ? PROVEN_DEMOS : PROVEN_DEMOS.slice(0, 1);
const eachDemoAtOnce = describe.concurrent.each(CRASH_DEMOS);
const inTurn = it.sequential;

eachDemoAtOnce('%s: crash safety against a sandbox that outlives the CLI', (demo) => {
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

  inTurn(
    'setup killed at each create boundary, one run each; teardown then leaves nothing',
    async () => {
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

      // Each create has two boundaries, in whatever order the demo's creates run (concurrent creates
      // interleave them): every n up to twice the ledger's length is a distinct crash.
      const seen = { 'intent-written': 0, 'created-unconfirmed': 0 };
      let inOrder = 0;
      for (let n = 1; n <= 2 * entries.length; n++) {
        const killed = await runCourseCli(setupArgs, { COURSE_TEST_KILL_AT: String(n) });
        const boundary = /SIGKILL at ledger boundary (\d+) \((intent-written|created-unconfirmed)\)/.exec(
          killed.stderr,
        );
        expect(killed.signal, `boundary ${n}\n${said(killed)}`).toBe('SIGKILL');
        expect(boundary?.[1], said(killed)).toBe(String(n));
        const at = boundary![2] as keyof typeof seen;
        seen[at] += 1;
        // The ledger names the resource in flight as intended only: teardown must treat it as maybe there.
        const ledger = readLedger(home, demo)!;
        const open = ledger.entries.filter((e) => e.state === 'intended');
        const context = `boundary ${n} (${at}): ${open.map((e) => `${e.kind} ${e.name}`).join(', ')}`;
        expect(open.length, context).toBeGreaterThanOrEqual(1);
        // Creates one after another: it is the next resource of the unkilled setup, and (a kind the
        // sandbox lists) it exists exactly when its create was sent.
        if (open.length === 1 && ledger.entries.at(-1)!.state === 'intended') {
          inOrder += 1;
          const i = ledger.entries.length - 1;
          const inFlight = ledger.entries[i]!;
          expect(
            ledger.entries.map((e) => [e.kind, generic(e.name, ledger.runId)]),
            context,
          ).toEqual(entries.slice(0, i + 1).map((e) => [e.kind, generic(e.name, reference.runId)]));
          if (LISTED_KINDS.has(inFlight.kind)) {
            const exists = (await left()).some((r) => r.kind === inFlight.kind && r.name === inFlight.name);
            expect(exists, context).toBe(at === 'created-unconfirmed');
          }
        }
        await teardownLeavesNothing(context);
      }
      expect(inOrder, 'crashes checked against the unkilled setup, resource by resource').toBeGreaterThan(0);
      expect(seen, 'both sides of every create').toEqual({
        'intent-written': entries.length,
        'created-unconfirmed': entries.length,
      });
    },
    1_500_000,
  );

  inTurn(
    'teardown killed after each deletion, unrecorded; re-run until done: nothing left',
    async () => {
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
    },
    600_000,
  );
});
