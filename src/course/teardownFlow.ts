/**
 * Tearing a demo down, as the learner sees it: the plan (what the ledger names), a confirmation
 * (or `--yes`), the deletion, and a report of what was deleted, already gone, failed or left over.
 * Shared by the teardown phase, "tear down now", and `course-cli <demo> teardown`.
 */
import type { CreatedResource, TeardownReport } from '../cloud/resourceTypes.js';
import type { CourseIO } from './io/types.js';
import { wrapIndented } from './layout/wrap.js';

/** One line of the plan: a resource, what will be done to it, and whether it may not exist. */
export interface TeardownPlanItem extends CreatedResource {
  action?: string;
  /** The process died between intent and confirmation: it may or may not exist. */
  uncertain?: boolean;
}

/** What the runner needs from the cloud layer to tear a deployment down. */
export interface TeardownAgent {
  /** Resources the ledger names, in the order they will be deleted. */
  plan(): Promise<TeardownPlanItem[]>;
  /** Delete them; `progress` hears a short line as each one is done. */
  apply(signal: AbortSignal, progress?: (text: string) => void): Promise<TeardownReport>;
}

export type TeardownOutcome =
  { kind: 'nothing' } | { kind: 'declined' } | { kind: 'done'; report: TeardownReport; complete: boolean };

export function isCompleteTeardown(report: TeardownReport): boolean {
  return report.failed.length === 0 && report.leftovers.length === 0;
}

export async function runTeardownFlow(
  io: CourseIO,
  agent: TeardownAgent,
  signal: AbortSignal,
): Promise<TeardownOutcome> {
  const s = io.style;
  const plan = await agent.plan();
  if (plan.length === 0) {
    io.print('Nothing to tear down: the ledger names no resources for this demo on this target.');
    return { kind: 'nothing' };
  }
  io.table({
    title: `Teardown plan (${plan.length} resource${plan.length === 1 ? '' : 's'}, deleted in this order)`,
    columns: ['#', 'kind', 'name', 'what happens'],
    rows: plan.map((r, i) => [
      i + 1,
      r.kind,
      r.name,
      `${r.action ?? 'delete'}${r.uncertain ? ' (creation was not confirmed: may not exist)' : ''}`,
    ]),
  });
  const question =
    plan.length === 1 ? 'Delete this resource now?' : `Delete these ${plan.length} resources now?`;
  if (!(await io.confirm(question, true))) {
    io.print('Nothing deleted.');
    return { kind: 'declined' };
  }
  const report = await io.progress('Deleting resources', (update) =>
    agent.apply(signal, (text) => update(`Deleting resources: ${text}`)),
  );
  const line = (mark: string, text: string, style = (t: string) => t): void => {
    const lines = wrapIndented(text, io.width, { first: '  ✔ ', indent: '    ' });
    lines[0] = lines[0]!.replace('✔', mark);
    for (const l of lines) io.print(style(l));
  };
  for (const r of report.deleted) line(s.ok('✔'), `deleted ${r.kind} ${r.name}`);
  for (const r of report.alreadyGone) line(s.ok('✔'), `already gone: ${r.kind} ${r.name}`);
  for (const f of report.failed) {
    line(s.bad('✖'), `could not delete ${f.resource.kind} ${f.resource.name}: ${f.error}`);
  }
  for (const r of report.leftovers) {
    line(s.bad('✖'), `still tagged for this run after teardown: ${r.kind} ${r.name} (${r.arn})`);
  }
  const complete = isCompleteTeardown(report);
  const verdict = complete
    ? `Teardown complete: ${report.deleted.length} deleted, ${report.alreadyGone.length} already gone.`
    : `Teardown incomplete: ${report.failed.length} failed, ${report.leftovers.length} left over. The ledger keeps them; run teardown again.`;
  for (const l of wrapIndented(verdict, io.width, { indent: '  ' })) io.print(complete ? s.ok(l) : s.bad(l));
  return { kind: 'done', report, complete };
}
