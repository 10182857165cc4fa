/**
 * Least privilege, proven (issue 12): for each row of the proof table, `<demo> run --yes` on a
 * fresh embedded sandbox with one permission removed from one role's policy
 * (COURSE_TEST_DROP_ACTIONS) fails first at the step that needs it — exit 1, AccessDenied and the
 * refused action in what the CLI shows there, and (rows that say so) the run ends at that step;
 * before it only the read-back checks of the narrowed policy fail — and `teardown --yes` then
 * leaves nothing the sandbox can list. The sandbox's own IAM evaluation refuses the call: nothing
 * in any demo knows a permission was removed.
 *
 * The rows are independent (a home and a sandbox each) and most of a run is waiting on the
 * sandbox's clock, so every demo's rows run at once, a few at a time (./workPool.ts).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../demos/catalog.js';
import { PHASES, type Demo } from '../../src/course/model.js';
import { ensureBuilt } from '../cli/builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { demoResourcesIn } from './demoResources.js';
import { runCourseCli } from './processes.js';
import { PROOF_TABLE, PROVEN_DEMOS, type LeastPrivilegeRow } from './proofTable.js';
import { PROOF_CONCURRENCY, WorkPool } from './workPool.js';

/** `2.2` for a step id, as the runner labels it. */
function stepLabel(demo: Demo<unknown>, stepId: string): string {
  for (const phase of demo.phases) {
    const i = phase.steps.findIndex((s) => s.id === stepId);
    if (i >= 0) return `${PHASES.indexOf(phase.id) + 1}.${i + 1}`;
  }
  throw new Error(`${demo.id} has no step ${stepId}`);
}

/** The runner's output cut into its steps: label → the lines from its header to the next one. */
function stepSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of output.split(/^▶ Step /m).slice(1)) {
    sections.set(/^(\d+\.\d+)/.exec(part)![1]!, part);
  }
  return sections;
}

/** Text wrapped to the terminal, with every line break and indent gone (for matching across wraps). */
const unwrapped = (text: string): string => text.replace(/\s+/g, '');

const pool = new WorkPool(PROOF_CONCURRENCY);

describe.concurrent.each(PROVEN_DEMOS)('%s: least privilege, one permission removed per policy', (demoId) => {
  const row = PROOF_TABLE[demoId]!;
  let demo: Demo<unknown>;
  beforeAll(async () => {
    ensureBuilt();
    demo = (await CATALOG.find((d) => d.id === demoId)!.load!()) as Demo<unknown>;
  }, 300_000);

  it('the rows name what the narration names', () => {
    for (const lp of row.leastPrivilege) {
      for (const { step, says } of lp.narration) {
        const narration = demo.phases.flatMap((p) => p.steps).find((s) => s.id === step)?.narration;
        expect(narration, `${demoId} step ${step}`).toBeDefined();
        expect(Object.values(narration!).join(' '), `${demoId} step ${step}`).toContain(says);
      }
    }
  });

  it.each(
    row.leastPrivilege.map((lp) => ({ ...lp, title: `${lp.role} / ${lp.policy} without ${lp.action}` })),
  )(
    '$title: fails where it is needed, with AccessDenied; teardown leaves nothing',
    async (lp: LeastPrivilegeRow) => {
      const home = makeTempDir(`course-proof-lp-${demoId}-`);
      const run = await pool.run(() =>
        runCourseCli(['--home', home, demoId, 'run', '--yes'], {
          COURSE_TEST_DROP_ACTIONS: `${lp.role}:${lp.action}`,
        }),
      );
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.code, output).toBe(1);

      // The first step that fails is the one that needs the permission, and it says why. Before
      // it, nothing failed but the setup check that reads the narrowed policy back (it is honest).
      const label = stepLabel(demo, lp.failsAt);
      const sections = [...stepSections(run.stdout)];
      const crossesIn = (text: string): string[] =>
        text
          .split('\n')
          // A check or a step failure; not a ✖ inside a drawn table or legend.
          .filter((l) => /^\s*✖ /.test(l))
          .map((l) => l.trim());
      // A check label may go on with run-specific names: the row gives its start.
      const readBacks = [lp.readBackCheck ?? []].flat();
      const isReadBack = (l: string): boolean => readBacks.some((c) => l.startsWith(`✖ ${c}`));
      const firstFailing = sections.findIndex(([, text]) => crossesIn(text).some((l) => !isReadBack(l)));
      expect(sections[firstFailing]?.[0], output).toBe(label);
      const before = sections.slice(0, firstFailing).flatMap(([, text]) => crossesIn(text));
      expect(before.length, output).toBe(readBacks.length);
      for (const c of readBacks)
        expect(
          before.filter((l) => l.startsWith(`✖ ${c}`)),
          output,
        ).toHaveLength(1);
      const failing = unwrapped(sections[firstFailing]![1]);
      expect(failing, output).toContain(lp.refusalShowsAs ?? 'AccessDenied');
      for (const words of lp.shows) expect(failing, output).toContain(unwrapped(words));
      if (lp.stopsThere) {
        // The step itself failed (not only a check), so the run ended there.
        expect(sections.at(-1)![0], output).toBe(label);
        expect(run.stdout, output).toMatch(
          new RegExp(`1 step failed \\(step ${label.replace('.', '\\.')}\\)`),
        );
      }

      const down = await pool.run(() => runCourseCli(['--home', home, demoId, 'teardown', '--yes']), {
        urgent: true,
      });
      expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
      expect(await demoResourcesIn(path.join(home, 'sandbox'), demoId)).toEqual([]);
    },
    // Counted from the start of the test, which may wait its turn in the pool first.
    900_000,
  );
});
