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
 * Every demo, in `npm test`. The killed runs of a demo share its sandbox but each has a home of its
 * own (its own ledger, so its own run id and resource names), and they run a few at a time from one
 * pool (./workPool.ts): each is checked against what carries its own run id, and when all are done
 * the sandbox must hold nothing of the demo at all.
 *
 * Two terminals racing on one demo: test/cli/ledgerLock.test.ts (a teardown during a run refuses,
 * then cleans up everything the run made) — not repeated here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { demoResources, rolePolicies } from './demoResources.js';
import {
  readLedger,
  runCourseCli,
  startSandboxProcess,
  type LedgerView,
  type SandboxProcess,
} from './processes.js';
import { PROOF_TABLE, PROVEN_DEMOS } from './proofTable.js';
import { PROOF_CONCURRENCY, WorkPool, allSettledOrThrow } from './workPool.js';

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

type Boundary = 'intent-written' | 'created-unconfirmed';

// The demos run at the same time, each against a sandbox process of its own. A crash table costs
// two CLI runs per ledger boundary (demo1 12, demo2 32, demo3 40), each run mostly CPU: one pool
// for the file keeps the cores busy to the last run. The killed-teardown chain (one run after
// another) goes ahead of the queue at each step, so it is never the tail.
const pool = new WorkPool(PROOF_CONCURRENCY);
const eachDemoAtOnce = describe.concurrent.each(PROVEN_DEMOS);
const inTurn = it.sequential;
const atOnce = it.concurrent;

eachDemoAtOnce('%s: crash safety against a sandbox that outlives the CLI', (demo) => {
  const home = makeTempDir(`course-proof-crash-${demo}-`);
  let sandbox: SandboxProcess;
  /** The ledger of the unkilled setup: the boundaries, and what each killed run is compared with. */
  let reference: LedgerView | undefined;
  const setupArgs = (h: string) => ['--home', h, demo, 'run', '--yes', '--phase', 'setup', '--keep'];
  const teardownArgs = (h: string) => ['--home', h, demo, 'teardown', '--yes'];
  const said = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;
  const left = () => demoResources(sandbox.access, demo);
  /** What the sandbox holds of one run (every name the course gives carries its run id). */
  const leftOf = async (runId: string) => (await left()).filter((r) => r.name.includes(`-${runId}-`));
  // Names without the run id: each killed run is a new deployment with a run id of its own.
  const generic = (name: string, runId: string): string => name.split(runId).join('<run>');

  /**
   * A home of its own on the demo's sandbox: `<home>/sandbox` is where the CLI finds a running
   * sandbox (its lock and credentials), so a link to the demo home's makes it use that one.
   */
  function homeOnTheSandbox(label: string): string {
    const own = makeTempDir(`course-proof-crash-${demo}-${label}-`);
    fs.symlinkSync(path.join(home, 'sandbox'), path.join(own, 'sandbox'));
    return own;
  }

  async function teardownLeavesNothing(h: string, runId: string, context: string): Promise<void> {
    const down = await runCourseCli(teardownArgs(h));
    expect(down.code, `${context}\n${said(down)}`).toBe(0);
    expect(await leftOf(runId), context).toEqual([]);
  }

  /** Setup SIGKILLed at its n-th ledger boundary, in a home of its own; checked; torn down. */
  async function crashAt(n: number): Promise<{ at: Boundary; inOrder: boolean }> {
    const entries = reference!.entries;
    const own = homeOnTheSandbox(`at${n}`);
    const killed = await runCourseCli(setupArgs(own), { COURSE_TEST_KILL_AT: String(n) });
    const boundary = /SIGKILL at ledger boundary (\d+) \((intent-written|created-unconfirmed)\)/.exec(
      killed.stderr,
    );
    expect(killed.signal, `boundary ${n}\n${said(killed)}`).toBe('SIGKILL');
    expect(boundary?.[1], said(killed)).toBe(String(n));
    const at = boundary![2] as Boundary;
    // The ledger names the resource in flight as intended only: teardown must treat it as maybe there.
    const ledger = readLedger(own, demo)!;
    const open = ledger.entries.filter((e) => e.state === 'intended');
    const context = `boundary ${n} (${at}): ${open.map((e) => `${e.kind} ${e.name}`).join(', ')}`;
    expect(open.length, context).toBeGreaterThanOrEqual(1);
    // Creates one after another: it is the next resource of the unkilled setup, and (a kind the
    // sandbox lists) it exists exactly when its create was sent.
    const inOrder = open.length === 1 && ledger.entries.at(-1)!.state === 'intended';
    if (inOrder) {
      const i = ledger.entries.length - 1;
      const inFlight = ledger.entries[i]!;
      expect(
        ledger.entries.map((e) => [e.kind, generic(e.name, ledger.runId)]),
        context,
      ).toEqual(entries.slice(0, i + 1).map((e) => [e.kind, generic(e.name, reference!.runId)]));
      if (LISTED_KINDS.has(inFlight.kind)) {
        const exists = (await left()).some((r) => r.kind === inFlight.kind && r.name === inFlight.name);
        expect(exists, context).toBe(at === 'created-unconfirmed');
      }
    }
    await teardownLeavesNothing(own, ledger.runId, context);
    fs.rmSync(own, { recursive: true, force: true });
    return { at, inOrder };
  }

  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandboxProcess(home);
  }, 300_000);
  afterAll(async () => {
    expect(await sandbox?.stop()).toBe(0);
  }, 60_000);

  inTurn(
    'an unkilled setup: its ledger gives the boundaries, its roles have their rows; teardown leaves nothing',
    async () => {
      const whole = await pool.run(() => runCourseCli(setupArgs(home)), { urgent: true });
      expect(whole.code, said(whole)).toBe(0);
      const ledger = readLedger(home, demo)!;
      expect(ledger.entries.length, said(whole)).toBeGreaterThan(0);
      expect(ledger.entries.every((e) => e.state === 'created')).toBe(true);
      // What one run leaves is found by its run id (`leftOf`): every listed kind's name carries it.
      expect(
        ledger.entries.filter((e) => LISTED_KINDS.has(e.kind) && !e.name.includes(`-${ledger.runId}-`)),
      ).toEqual([]);
      expect((await leftOf(ledger.runId)).length).toBeGreaterThan(0);
      // This whole setup also checks the least-privilege table: every policy of the demo's roles
      // has its row (a new policy without one fails here).
      expect(await rolePolicies(sandbox.access, demo), 'rows in test/proof/proofTable.ts').toEqual(
        PROOF_TABLE[demo]!.leastPrivilege.map((r) => `${r.role} / ${r.policy}`).sort(),
      );
      await pool.run(() => teardownLeavesNothing(home, ledger.runId, 'after the whole setup'), {
        urgent: true,
      });
      reference = ledger;
    },
    300_000,
  );

  atOnce(
    'setup killed at each create boundary, one run each; teardown then leaves nothing',
    async () => {
      expect(reference, 'the unkilled setup passed').toBeDefined();
      const entries = reference!.entries;
      // Each create has two boundaries, in whatever order the demo's creates run (concurrent creates
      // interleave them): every n up to twice the ledger's length is a distinct crash.
      const boundaries = Array.from({ length: 2 * entries.length }, (_, i) => i + 1);
      const crashes = await allSettledOrThrow(boundaries.map((n) => pool.run(() => crashAt(n))));
      const seen = { 'intent-written': 0, 'created-unconfirmed': 0 };
      for (const { at } of crashes) seen[at] += 1;
      expect(
        crashes.filter((c) => c.inOrder).length,
        'crashes checked against the unkilled setup, resource by resource',
      ).toBeGreaterThan(0);
      expect(seen, 'both sides of every create').toEqual({
        'intent-written': entries.length,
        'created-unconfirmed': entries.length,
      });
    },
    1_500_000,
  );

  atOnce(
    'teardown killed after each deletion, unrecorded; re-run until done: nothing left',
    async () => {
      expect(reference, 'the unkilled setup passed').toBeDefined();
      const own = homeOnTheSandbox('teardown');
      const urgently = <T>(work: () => Promise<T>) => pool.run(work, { urgent: true });
      const whole = await urgently(() => runCourseCli(setupArgs(own)));
      expect(whole.code, said(whole)).toBe(0);
      const { runId, entries } = readLedger(own, demo)!;
      let kills = 0;
      for (;;) {
        const down = await urgently(() => runCourseCli(teardownArgs(own), { COURSE_TEST_KILL_AT: '1' }));
        if (down.signal === null) {
          expect(down.code, said(down)).toBe(0);
          break;
        }
        expect(down.signal, said(down)).toBe('SIGKILL');
        expect(down.stderr).toContain('SIGKILL at ledger boundary 1 (deleted-unrecorded)');
        kills += 1;
        expect(kills, 'each killed teardown deletes one more resource').toBeLessThanOrEqual(entries.length);
      }
      expect(kills).toBeGreaterThanOrEqual(2);
      expect(await leftOf(runId)).toEqual([]);
      expect(readLedger(own, demo), 'the finished teardown archived the ledger').toBeUndefined();
    },
    600_000,
  );

  inTurn('when every run is done, the sandbox holds nothing of the demo', async () => {
    expect(await left()).toEqual([]);
  });
});
