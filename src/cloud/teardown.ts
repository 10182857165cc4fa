/**
 * Teardown: walk the ledger in reverse dependency order, delete each resource whose tags prove it
 * this run's, count NotFound as done, mark each entry deleted the moment it is (so a crash resumes
 * where it stopped), then sweep for anything still carrying this run's tags. When nothing failed,
 * the ledger is archived and the next deployment gets a new run id. Running it again is harmless.
 */
import { errorMessage, errorName } from './awsErrors.js';
import { Ledger } from './ledger.js';
import { resourceContext } from './resourceManager.js';
import type { CreatedResource, ResourceKind, TeardownReport } from './resourceTypes.js';
import type { DeleteOutcome, KindTeardown, ResourceContext } from './resources/context.js';
import { bucketTeardown } from './resources/bucket.js';
import { roleTeardown } from './resources/role.js';
import { logGroupTeardown } from './resources/logGroup.js';
import { functionTeardown } from './resources/lambdaFunction.js';
import { permissionTeardown } from './resources/lambdaPermission.js';
import { ruleTeardown } from './resources/rule.js';
import { stateMachineTeardown } from './resources/stateMachine.js';
import { alarmTeardown } from './resources/alarm.js';
import { metricFilterTeardown } from './resources/metricFilter.js';
import { logResourcePolicyTeardown } from './resources/logResourcePolicy.js';
import { DELETED_AFTER, planTeardown, TEARDOWN_ORDER, type TeardownStep } from './teardownPlan.js';
import type { AwsClients, TargetInfo } from './types.js';
import type { TestHooks } from './testHooks.js';

const KIND_OPS: Record<ResourceKind, KindTeardown> = {
  's3-bucket': bucketTeardown,
  'iam-role': roleTeardown,
  'log-group': logGroupTeardown,
  'lambda-function': functionTeardown,
  'lambda-permission': permissionTeardown,
  'events-rule': ruleTeardown,
  'state-machine': stateMachineTeardown,
  alarm: alarmTeardown,
  'metric-filter': metricFilterTeardown,
  'log-resource-policy': logResourcePolicyTeardown,
};

export type TeardownOutcome = 'deleted' | 'gone' | 'refused' | 'failed';

export interface TeardownProgress {
  step: TeardownStep;
  outcome: TeardownOutcome;
  /** Refusal reason or error message. */
  detail?: string;
}

export interface TeardownOptions {
  clients: AwsClients;
  info: Pick<TargetInfo, 'accountId' | 'region'>;
  ledger: Ledger;
  /** Told as each resource is done (for the runner's live list). */
  onProgress?: (p: TeardownProgress) => void;
  /** Skip the post-teardown sweep (default: sweep). */
  sweep?: boolean;
  /** Proof-test hooks (testHooks.ts); none by default. */
  hooks?: TestHooks;
}

async function removeOne(ctx: ResourceContext, step: TeardownStep): Promise<DeleteOutcome> {
  return KIND_OPS[step.entry.kind].remove(
    ctx,
    { name: step.entry.name, arn: step.entry.arn, parent: step.entry.parent },
    true,
  );
}

export async function applyTeardown(opts: TeardownOptions): Promise<TeardownReport> {
  const { ledger } = opts;
  const ctx = resourceContext({ clients: opts.clients, info: opts.info, ledger });
  const report: TeardownReport = {
    deleted: [],
    alreadyGone: [],
    failed: [],
    leftovers: [],
    refused: [],
    warnings: [],
  };
  const steps = planTeardown(ledger);

  const deleteKind = async (kind: ResourceKind): Promise<void> => {
    // Resources of one kind do not depend on each other: delete them concurrently.
    const group = steps.filter((s) => s.entry.kind === kind);
    await Promise.all(
      group.map(async (step) => {
        const { entry, resource } = step;
        let outcome: TeardownOutcome;
        let detail: string | undefined;
        try {
          const result = await removeOne(ctx, step);
          if (result === 'deleted') opts.hooks?.boundary('deleted-unrecorded');
          if (result === 'deleted' || result === 'gone') {
            ledger.markDeleted(entry.kind, entry.name, entry.parent);
            (result === 'deleted' ? report.deleted : report.alreadyGone).push(resource);
            outcome = result;
          } else {
            // Not ours: never deleted, and the ledger stops claiming it.
            detail = result.refused;
            ledger.markDeleted(entry.kind, entry.name, entry.parent, `left alone: ${detail}`);
            report.refused?.push({ resource, reason: detail });
            outcome = 'refused';
          }
        } catch (err) {
          detail = `${errorName(err)}: ${errorMessage(err)}`;
          report.failed.push({ resource, error: detail });
          outcome = 'failed';
        }
        opts.onProgress?.({ step, outcome, detail });
      }),
    );
  };
  // Each kind starts once every kind it waits for (DELETED_AFTER) is done; the rest side by side.
  // deleteKind never rejects (each failure is reported), so a failure never stops the others.
  const done = new Map<ResourceKind, Promise<void>>();
  const finished = (kind: ResourceKind): Promise<void> => {
    let p = done.get(kind);
    if (!p) {
      p = Promise.all(DELETED_AFTER[kind].map(finished)).then(() => deleteKind(kind));
      done.set(kind, p);
    }
    return p;
  };
  await Promise.all(TEARDOWN_ORDER.map(finished));

  if (opts.sweep !== false) {
    const { leftovers, warnings } = await sweepRun(ctx);
    report.leftovers = leftovers;
    report.warnings?.push(...warnings);
  }
  if (report.failed.length === 0 && ledger.isClear) report.archivedLedger = ledger.archive();
  return report;
}

/** List every kind and report what still carries this run's tags. */
export async function sweepRun(
  ctx: ResourceContext,
): Promise<{ leftovers: CreatedResource[]; warnings: string[] }> {
  const leftovers: CreatedResource[] = [];
  const warnings: string[] = [];
  await Promise.all(
    TEARDOWN_ORDER.map(async (kind) => {
      try {
        for (const r of await KIND_OPS[kind].sweep(ctx)) leftovers.push({ kind, ...r });
      } catch (err) {
        warnings.push(`Could not sweep ${kind}s (${errorName(err)}: ${errorMessage(err)}).`);
      }
    }),
  );
  leftovers.sort((a, b) => TEARDOWN_ORDER.indexOf(a.kind) - TEARDOWN_ORDER.indexOf(b.kind));
  return { leftovers, warnings };
}

export interface DemoTeardown {
  demo: string;
  runId: string;
  report: TeardownReport;
}

/** Tear down every demo deployed on this target (`course-cli teardown --all`). */
export async function teardownAll(
  opts: Omit<TeardownOptions, 'ledger'> & {
    home: string;
    info: Pick<TargetInfo, 'accountId' | 'region' | 'id'>;
  },
): Promise<DemoTeardown[]> {
  const results: DemoTeardown[] = [];
  for (const ledger of Ledger.readAll(opts.home, opts.info.id)) {
    results.push({
      demo: ledger.demo,
      runId: ledger.runId,
      report: await applyTeardown({ ...opts, ledger }),
    });
  }
  return results;
}
