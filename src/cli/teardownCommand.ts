/**
 * `course-cli <demo> teardown` and `course-cli teardown --all`: show the plan, ask (or --yes),
 * delete, report. Progress is forgotten only after a complete teardown.
 */
import type { CatalogEntry } from '../../demos/catalog.js';
import { ProgressStore } from '../course/progress.js';
import { runTeardownFlow } from '../course/teardownFlow.js';
import type { CourseIO } from '../course/io/types.js';
import type { ConnectedTarget } from '../cloud/target.js';
import type { TargetSpec } from '../cloud/types.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { guardInterrupts } from './interrupt.js';
import { openIO } from './io.js';
import { targetSpecFrom, type TargetFlags } from './options.js';
import { refuseUnconfirmedAws } from './runCommand.js';
import { openTarget, teardownAgent } from './session.js';
import { cliCommand } from './invocation.js';

export interface TeardownFlags extends TargetFlags {
  yes?: boolean;
  all?: boolean;
}

/** Tear one demo down on an open target; the exit code (1 when anything is left). */
async function teardownOne(
  ctx: CliContext,
  io: CourseIO,
  target: ConnectedTarget,
  demoId: string,
): Promise<number> {
  // Before showing a plan: a run of this demo in another terminal would change the ledger under it.
  await target.lockLedger(demoId);
  const guard = guardInterrupts(() =>
    io.print('\nFinishing the teardown in flight (it is safe to run again)…'),
  );
  try {
    io.print(io.style.bold(`Teardown of ${demoId} on ${target.info.label}`));
    const outcome = await runTeardownFlow(io, teardownAgent(target, demoId), guard.signal);
    if (outcome.kind === 'done' && !outcome.complete) return 1;
    if (outcome.kind !== 'declined') new ProgressStore(ctx.home, target.info.id, demoId).markTornDown();
    return 0;
  } finally {
    guard.dispose();
  }
}

function nothingSent(io: CourseIO, spec: TargetSpec): number {
  io.print(`Nothing was sent to ${spec.endpoint ?? 'the endpoint'}.`);
  return 0;
}

export async function teardownDemoCommand(
  ctx: CliContext,
  entry: CatalogEntry,
  flags: TeardownFlags,
): Promise<number> {
  const asked = targetSpecFrom(flags) ?? { kind: 'sandbox' };
  refuseUnconfirmedAws(asked, flags.yes, 'Teardown');
  const io = await openIO(flags);
  const spec = await confirmRemoteEndpoint(asked, flags.yes, io);
  if (!spec) return nothingSent(io, asked);
  const target = await openTarget(ctx, spec, io);
  try {
    return await teardownOne(ctx, io, target, entry.id);
  } finally {
    await target.close();
  }
}

export async function teardownAllCommand(ctx: CliContext, flags: TeardownFlags): Promise<number> {
  if (!flags.all) {
    throw new UsageError(
      `teardown needs --all here; to tear down one demo use "${cliCommand()} demo1 teardown".`,
    );
  }
  const asked = targetSpecFrom(flags) ?? { kind: 'sandbox' };
  refuseUnconfirmedAws(asked, flags.yes, 'Teardown');
  const io = await openIO(flags);
  const spec = await confirmRemoteEndpoint(asked, flags.yes, io);
  if (!spec) return nothingSent(io, asked);
  const { Ledger } = await import('../cloud/ledger.js');
  const target = await openTarget(ctx, spec, io);
  try {
    const demos = Ledger.readAll(ctx.home, target.info.id)
      .map((l) => l.demo)
      .sort();
    if (demos.length === 0) {
      io.print(`Nothing to tear down: no demo has a ledger on ${target.info.label}.`);
      return 0;
    }
    let exit = 0;
    for (const demoId of demos) exit = Math.max(exit, await teardownOne(ctx, io, target, demoId));
    return exit;
  } finally {
    await target.close();
  }
}
