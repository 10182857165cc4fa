/**
 * `course-cli <demo> status [--json]`: what the ledger says is deployed (with console links on
 * AWS) and how far the learner got. `--json` prints one JSON document and nothing else on stdout.
 */
import type { CatalogEntry } from '../../demos/catalog.js';
import { ProgressStore, isStepComplete, type FinishedRun } from '../course/progress.js';
import type { Demo } from '../course/model.js';
import type { CliContext } from './context.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { targetSpecFrom, type TargetFlags } from './options.js';
import { describeDemoDeployment } from './session.js';
import { cliCommand } from './invocation.js';
import { fitTable } from '../course/layout/table.js';
import { outputWidth } from '../course/layout/width.js';
import { foldVerbatim } from '../course/layout/wrap.js';
import { PLAIN_STYLE } from '../course/io/lineOutput.js';
import type { DeployedResource } from '../cloud/deployment.js';

export interface StatusFlags extends TargetFlags {
  json?: boolean;
  yes?: boolean;
}

interface ProgressSummary {
  completedSteps: number;
  totalSteps: number | null;
  nextStep: string | null;
  checksPassed: number;
  checksFailed: number;
  /** Steps whose last attempt failed outright. */
  failedSteps: number;
  updatedAt: string;
  /** Set when the deployment this progress belongs to was torn down: the progress is history. */
  finished: FinishedRun | null;
}

function summarizeProgress(store: ProgressStore, demo: Demo<unknown> | undefined): ProgressSummary | null {
  const p = store.load();
  if (!p) return null;
  const records = Object.values(p.steps);
  const steps = demo?.phases.flatMap((ph) =>
    ph.steps.map((s) => ({ id: s.id, title: `${ph.title}: ${s.title}` })),
  );
  return {
    completedSteps: records.filter((r) => isStepComplete(r)).length,
    totalSteps: steps?.length ?? null,
    // A torn-down deployment has no next step: the next run starts a new one.
    nextStep: p.finished ? null : (steps?.find((s) => !isStepComplete(p.steps[s.id]))?.title ?? null),
    checksPassed: records.reduce((n, r) => n + r.passed, 0),
    checksFailed: records.reduce((n, r) => n + r.failed, 0),
    failedSteps: records.filter((r) => r.error !== undefined).length,
    updatedAt: p.updatedAt,
    finished: p.finished ?? null,
  };
}

/** What the learner should read about their progress, and what to type next. */
function progressLines(entry: CatalogEntry, progress: ProgressSummary | null, deployed: boolean): string[] {
  const run = `${cliCommand()} ${entry.id} run`;
  if (!entry.load)
    return [
      `${entry.id} is not in this release, so there is nothing to run yet; see "${cliCommand()} list".`,
    ];
  if (!progress) return [`Progress: not started. Run: ${run}`];
  const checks = `${progress.checksPassed} checks passed, ${progress.checksFailed} failed${
    progress.failedSteps
      ? `, ${progress.failedSteps} step${progress.failedSteps === 1 ? '' : 's'} failed`
      : ''
  }`;
  if (progress.finished && !deployed) {
    return [
      `Last run: torn down on ${progress.finished.at} (${checks}); nothing of it is deployed.`,
      `Run it again with: ${run}`,
    ];
  }
  const total = progress.totalSteps === null ? '' : ` of ${progress.totalSteps}`;
  const lines = [
    `Progress: ${progress.completedSteps}${total} steps done, ${checks} (updated ${progress.updatedAt}).`,
  ];
  if (progress.nextStep) lines.push(`Next: ${progress.nextStep} — resume with: ${run}`);
  return lines;
}

export async function statusCommand(
  ctx: CliContext,
  entry: CatalogEntry,
  flags: StatusFlags,
): Promise<number> {
  const asked = targetSpecFrom(flags) ?? { kind: 'sandbox' };
  const spec = await confirmRemoteEndpoint(asked, flags.yes);
  if (!spec) {
    process.stdout.write(`Nothing was sent to ${asked.endpoint ?? 'the endpoint'}.\n`);
    return 0;
  }
  const deployment = await describeDemoDeployment(ctx, spec, entry.id);
  const store = new ProgressStore(ctx.home, deployment.target.id, entry.id);
  const saved = store.load(); // a corrupt file fails here, before anything else is loaded
  const demo = saved && entry.load ? ((await entry.load()) as Demo<unknown>) : undefined;
  const progress = summarizeProgress(store, demo);
  if (flags.json) {
    const doc = {
      demo: entry.id,
      target: deployment.target,
      runId: deployment.runId,
      resources: deployment.resources,
      progress,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const out = (l = ''): boolean => process.stdout.write(`${l}\n`);
  out(`${entry.id} · ${entry.title} on ${deployment.target.label}`);
  if (deployment.resources.length === 0) {
    out('Nothing deployed (the ledger names no resources).');
  } else {
    out(`Deployed (run ${deployment.runId}):`);
    const width = outputWidth();
    const table = {
      columns: ['kind', 'name', 'state', 'since'],
      rows: deployment.resources.map((r: DeployedResource) => [r.kind, r.name, r.state, r.since ?? '']),
    };
    for (const l of fitTable(table, width, PLAIN_STYLE)) out(l);
    for (const r of deployment.resources) {
      for (const link of [r.arn, r.consoleUrl]) {
        if (link) for (const l of foldVerbatim(`    ${link}`, width)) out(l);
      }
    }
  }
  for (const l of progressLines(entry, progress, deployment.resources.length > 0)) out(l);
  return 0;
}
