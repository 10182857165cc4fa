/**
 * The command line's bridge to the cloud layer: connect to a target, then give the runner a demo
 * session (clients, clock, calls, ledger-backed resources, teardown) and the commands what they
 * need for teardown, status and doctor. The cloud layer (and with it the SDK) loads only here.
 */
import type { ConnectedTarget } from '../cloud/target.js';
import type { TargetInfo, TargetSpec } from '../cloud/types.js';
import type { DeploymentDescription } from '../cloud/deployment.js';
import type { CourseIO } from '../course/io/types.js';
import type { DemoSession } from '../course/runner.js';
import type { TeardownAgent } from '../course/teardownFlow.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

export type { DeployedResource } from '../cloud/deployment.js';

export async function openTarget(ctx: CliContext, spec: TargetSpec, io?: CourseIO): Promise<ConnectedTarget> {
  const { connectTarget } = await import('../cloud/target.js');
  const sandboxFaults = process.env.COURSE_SANDBOX_FAULTS || undefined;
  const target = await connectTarget(spec, {
    home: ctx.home,
    log: ctx.debug ? (l) => process.stderr.write(`[sandbox] ${l}\n`) : undefined,
    sandboxFaults,
  }).catch((err: unknown) => {
    if ((err as Error)?.name !== 'FaultProfileError') throw err;
    throw new UsageError(`COURSE_SANDBOX_FAULTS: ${(err as Error).message}`);
  });
  for (const w of target.warnings) {
    if (io) io.note(w);
    else process.stderr.write(`! ${w}\n`);
  }
  return target;
}

export function teardownAgent(target: ConnectedTarget, demoId: string): TeardownAgent {
  return {
    plan: async () =>
      target.planTeardown(demoId).map((s) => ({ ...s.resource, action: s.action, uncertain: s.uncertain })),
    apply: (_signal, progress) =>
      // Teardown runs to the end even after Ctrl-C: half a teardown helps nobody, and it is idempotent.
      target.teardown(demoId, {
        onProgress: (p) => progress?.(`${p.step.resource.name} ${p.outcome}`),
      }),
  };
}

/**
 * The demo's session on a connected target: clients, clock, calls, and the ledger-backed resources.
 * Opening the resources creates the demo's ledger (and run id) when none exists, so call this only
 * once the learner has agreed to create things on this target.
 */
export function demoSession(target: ConnectedTarget, demoId: string, io: CourseIO): DemoSession {
  return {
    aws: target.clients,
    target: target.info,
    clock: target.clock,
    calls: target.calls,
    // A wait AWS always makes (a new function is Pending) is said plainly; an unusual one is a note.
    resources: target.resources(demoId, { onWait: (m, ordinary) => (ordinary ? io.say(m) : io.note(m)) }),
    teardown: teardownAgent(target, demoId),
  };
}

export interface DeploymentStatus {
  target: Pick<TargetInfo, 'kind' | 'id' | 'label' | 'accountId' | 'region'>;
  runId: string | null;
  resources: DeploymentDescription['resources'];
  ledgerFile: string | null;
}

/**
 * What the ledger says is deployed. On the sandbox the ledger is read directly (no server needs to
 * start just to look); other targets connect to learn the account.
 */
export async function describeDemoDeployment(
  ctx: CliContext,
  spec: TargetSpec,
  demoId: string,
): Promise<DeploymentStatus> {
  const [{ Ledger }, { describeDeployment }] = await Promise.all([
    import('../cloud/ledger.js'),
    import('../cloud/deployment.js'),
  ]);
  let info: TargetInfo;
  if (spec.kind === 'sandbox') {
    info = {
      kind: 'sandbox',
      id: 'sandbox',
      label: 'sandbox',
      accountId: '000000000000',
      region: 'us-east-1',
    };
  } else {
    const target = await openTarget(ctx, spec);
    info = target.info;
    await target.close();
  }
  const ledger = Ledger.read(ctx.home, info.id, demoId);
  const d = ledger ? describeDeployment(ledger, info) : undefined;
  const { kind, id, label, accountId, region } = info;
  return {
    target: { kind, id, label, accountId, region },
    runId: d?.runId ?? null,
    resources: d?.resources ?? [],
    ledgerFile: d?.ledgerFile ?? null,
  };
}

/**
 * The AWS account the default credential chain reaches, if it answers quickly and really is AWS
 * (credentials pointed at the sandbox or another emulator are not "your AWS account").
 */
export async function detectAwsAccount(
  ctx: CliContext,
  timeoutMs = 2500,
): Promise<{ accountId: string; region: string } | undefined> {
  const attempt = (async () => {
    const { connectTarget } = await import('../cloud/target.js');
    const t = await connectTarget({ kind: 'aws' }, { home: ctx.home });
    await t.close();
    return t.info.kind === 'aws' ? { accountId: t.info.accountId, region: t.info.region } : undefined;
  })().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connect, report the target's label, disconnect (doctor). */
export async function connectForCheck(ctx: CliContext, spec: TargetSpec): Promise<TargetInfo> {
  const target = await openTarget(ctx, spec);
  await target.close();
  return target.info;
}
