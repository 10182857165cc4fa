/**
 * `course-cli <demo> status [--json]`: what the ledger says is deployed (with console links on
 * AWS) and how far the learner got. `--json` prints one JSON document and nothing else on stdout.
 */
import type { CatalogEntry } from '../../demos/catalog.js';
import { ProgressStore } from '../course/progress.js';
import type { Demo } from '../course/model.js';
import type { CliContext } from './context.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { targetSpecFrom, type TargetFlags } from './options.js';
import { describeDemoDeployment } from './session.js';
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
  updatedAt: string;
}

function summarizeProgress(store: ProgressStore, demo: Demo<unknown> | undefined): ProgressSummary | null {
  const p = store.load();
  if (!p) return null;
  const records = Object.values(p.steps);
  const steps = demo?.phases.flatMap((ph) =>
    ph.steps.map((s) => ({ id: s.id, title: `${ph.title}: ${s.title}` })),
  );
  return {
    completedSteps: records.length,
    totalSteps: steps?.length ?? null,
    nextStep: steps?.find((s) => !p.steps[s.id])?.title ?? null,
    checksPassed: records.reduce((n, r) => n + r.passed, 0),
    checksFailed: records.reduce((n, r) => n + r.failed, 0),
    updatedAt: p.updatedAt,
  };
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
    const rows = deployment.resources.map((r: DeployedResource) => [r.kind, r.name, r.state, r.since ?? '']);
    const widths = [0, 1, 2].map((i) =>
      Math.max(...rows.map((r) => r[i]!.length), ['kind', 'name', 'state'][i]!.length),
    );
    out(`  ${['kind', 'name', 'state', 'since'].map((h, i) => h.padEnd(widths[i] ?? 0)).join('  ')}`);
    for (const [i, r] of rows.entries()) {
      out(`  ${r.map((c, j) => c.padEnd(widths[j] ?? 0)).join('  ')}`);
      const res = deployment.resources[i]!;
      if (res.arn) out(`    ${res.arn}`);
      if (res.consoleUrl) out(`    ${res.consoleUrl}`);
    }
  }
  if (!progress) {
    out(`Progress: not started. Run: course-cli ${entry.id} run`);
  } else {
    const total = progress.totalSteps === null ? '' : ` of ${progress.totalSteps}`;
    out(
      `Progress: ${progress.completedSteps}${total} steps done, ${progress.checksPassed} checks passed, ${progress.checksFailed} failed (updated ${progress.updatedAt}).`,
    );
    if (progress.nextStep) out(`Next: ${progress.nextStep} — resume with: course-cli ${entry.id} run`);
  }
  return 0;
}
