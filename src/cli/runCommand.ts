/**
 * `course-cli <demo> run`: pick and confirm the target, connect, and hand the demo to the runner.
 * Exit 0 only when every check passed; 1 when a check or step failed; 130 after Ctrl-C.
 */
import type { CatalogEntry } from '../../demos/catalog.js';
import type { Demo, PhaseId } from '../course/model.js';
import { CourseRunner } from '../course/runner.js';
import { ProgressStore } from '../course/progress.js';
import type { CourseIO } from '../course/io/types.js';
import { wrapIndented } from '../course/layout/wrap.js';
import type { TargetInfo, TargetSpec } from '../cloud/types.js';
import type { CliContext } from './context.js';
import { CliRuntimeError, UsageError } from './errors.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { guardInterrupts } from './interrupt.js';
import { openIO } from './io.js';
import {
  DEFAULT_SANDBOX_TIME_SCALE,
  checkPhaseOrder,
  targetArgs,
  targetSpecFrom,
  type TargetFlags,
} from './options.js';
import { demoSession, detectAwsAccount, openTarget } from './session.js';
import { givenDemoOptions } from './demoOptionFlags.js';
import { isInteractiveTerminal } from './terminal.js';
import { cliCommand } from './invocation.js';

export interface RunFlags extends TargetFlags {
  yes?: boolean;
  phase?: PhaseId[];
  keep?: boolean;
}

export const RECORDED_ACCOUNT = '081448897918';
export const RECORDED_REGION = 'us-east-1';

export async function loadDemo(entry: CatalogEntry): Promise<Demo<unknown>> {
  if (!entry.load) {
    throw new CliRuntimeError(
      `${entry.id} (${entry.title}) is not in this release; see "${cliCommand()} list" for the demos that are.`,
    );
  }
  return (await entry.load()) as Demo<unknown>;
}

/** Without a terminal nobody can confirm creating (billable) resources in an AWS account. */
export function refuseUnconfirmedAws(
  spec: TargetSpec | undefined,
  yes: boolean | undefined,
  what: string,
): void {
  // Local emulators behind --endpoint cost nothing, so like the sandbox they need no confirmation
  // (an --endpoint elsewhere is asked about separately: endpointConsent.ts).
  if (spec?.kind === 'aws' && !yes && !isInteractiveTerminal()) {
    throw new UsageError(
      `${what} on --target aws needs confirmation and there is no terminal to ask: add --yes.`,
    );
  }
}

async function askTarget(io: CourseIO, ctx: CliContext, timeScale: number | undefined): Promise<TargetSpec> {
  const account = await io.progress('Looking for AWS credentials', () => detectAwsAccount(ctx));
  const choice = await io.select<'sandbox' | 'aws'>({
    message: 'Where should the demo run?',
    choices: [
      { value: 'sandbox', label: 'The local sandbox (no AWS account, no cost)' },
      ...(account
        ? [
            {
              value: 'aws' as const,
              label: `Your AWS account ${account.accountId} (${account.region}) — small costs until teardown`,
            },
          ]
        : []),
    ],
    defaultValue: 'sandbox',
  });
  return choice === 'aws'
    ? { kind: 'aws', profile: undefined, region: account?.region }
    : { kind: 'sandbox', timeScale: timeScale ?? DEFAULT_SANDBOX_TIME_SCALE };
}

/** On a real account: say exactly where, note the recorded environment and costs, and ask. */
async function confirmRealAccount(
  io: CourseIO,
  target: TargetInfo,
  teardownCommand: string,
): Promise<boolean> {
  io.print();
  io.print(
    io.style.bold(`This run creates resources in AWS account ${target.accountId}, region ${target.region}.`),
  );
  io.print(
    `The course was recorded in account ${RECORDED_ACCOUNT}, ${RECORDED_REGION}; your own account and region are used here.`,
  );
  io.note(
    `Small costs (Lambda, S3, CloudWatch Logs, EventBridge) can accrue until you run: ${teardownCommand}`,
  );
  return io.confirm(
    `Create the demo's resources in ${target.accountId} (${target.region})?`,
    !io.interactive,
  );
}

export async function runDemoCommand(ctx: CliContext, entry: CatalogEntry, flags: RunFlags): Promise<number> {
  const phases = checkPhaseOrder(flags.phase);
  if (flags.keep && phases?.includes('teardown')) {
    throw new UsageError('--keep skips teardown, so it cannot be combined with --phase teardown.');
  }
  let spec = targetSpecFrom(flags);
  refuseUnconfirmedAws(spec, flags.yes, 'A run');
  const demo = await loadDemo(entry);
  const io = await openIO(flags);
  if (!spec) {
    spec = io.interactive
      ? await askTarget(io, ctx, flags.timeScale)
      : { kind: 'sandbox', timeScale: flags.timeScale ?? DEFAULT_SANDBOX_TIME_SCALE };
  }
  const confirmed = await confirmRemoteEndpoint(spec, flags.yes, io);
  if (!confirmed) {
    io.print(`Nothing was sent to ${spec.endpoint ?? 'the endpoint'}.`);
    return 0;
  }
  spec = confirmed;
  const hintTarget = targetArgs(spec);
  const resumeCommand = `${cliCommand()} ${entry.id} run${hintTarget}`;
  const teardownCommand = `${cliCommand()} ${entry.id} teardown${hintTarget}`;

  const target = await openTarget(ctx, spec, io);
  try {
    if (target.info.kind === 'aws') {
      // Confirmed before the ledger is opened: a declined run leaves nothing behind, not even a ledger.
      if (!(await confirmRealAccount(io, target.info, teardownCommand))) {
        io.print('Nothing was created.');
        return 0;
      }
    }
    // Another course-cli on this ledger (a teardown in another terminal) gets a moment to finish.
    await target.lockLedger(entry.id);
    const session = demoSession(target, entry.id, io);
    const guard = guardInterrupts(() => io.print('\nStopping after Ctrl-C…'));
    try {
      const runner = new CourseRunner(demo, session, io, {
        phases,
        keep: flags.keep,
        signal: guard.signal,
        progress: new ProgressStore(ctx.home, session.target.id, entry.id),
        resumeCommand,
        teardownCommand,
        detailsNote: detailsNote(target.info, target.ownsSandbox),
        demoOptions: givenDemoOptions(entry.options, flags as Record<string, unknown>),
      });
      const result = await runner.run();
      // Under a fault profile, or after anything out of the ordinary: what was met and absorbed.
      if (target.faultProfile || target.faults.notable) {
        const summary = target.faults.summary(target.faultProfile);
        for (const l of wrapIndented(summary, io.width, { first: '', indent: '  ' })) io.print(l);
      }
      return result.exitCode;
    } finally {
      guard.dispose();
    }
  } finally {
    await target.close();
  }
}

/** What the AWS CLI commands under "show details" need to reach the same target. */
export function detailsNote(info: TargetInfo, embeddedSandbox: boolean): string[] {
  const cli = cliCommand();
  if (info.kind === 'sandbox') {
    const keep = embeddedSandbox
      ? ` This run started the sandbox itself, so ${info.endpoint} disappears when the run ends: to keep one running, start "${cli} sandbox start" in another terminal first — runs with the same --home use it.`
      : '';
    return [
      `These commands reach the sandbox at ${info.endpoint} with its own keys: in another terminal, while it runs, first run: eval "$(${cli} sandbox env)".${keep}`,
    ];
  }
  if (info.kind === 'aws') {
    return [
      `These commands use your AWS CLI's credentials (the same profile and region as this run) and act on account ${info.accountId} in ${info.region}.`,
    ];
  }
  return [
    `These commands reach ${info.endpoint ?? 'the endpoint'} with the credentials your AWS CLI is configured with.`,
  ];
}
