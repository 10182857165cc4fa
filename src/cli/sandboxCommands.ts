/**
 * `course-cli sandbox start | env | reset`: run the local AWS in the foreground, print the
 * environment that points the AWS CLI at it, or wipe its state.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliContext } from './context.js';
import { CliRuntimeError, UsageError } from './errors.js';
import { sandboxDir } from './home.js';
import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TIME_SCALE } from './options.js';
import { isInteractiveTerminal } from './terminal.js';
import { cliCommand } from './invocation.js';

interface Endpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Lines for `eval`; AWS CLI 2.9 predates AWS_ENDPOINT_URL, so the --endpoint-url form follows as a comment. */
export function exportLines(e: Endpoint): string[] {
  return [
    `export AWS_ENDPOINT_URL=${e.endpoint}`,
    `export AWS_ACCESS_KEY_ID=${e.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${e.secretAccessKey}`,
    'unset AWS_SESSION_TOKEN AWS_PROFILE',
    `export AWS_DEFAULT_REGION=${e.region}`,
    `export AWS_REGION=${e.region}`,
    `# AWS CLI older than 2.13 ignores AWS_ENDPOINT_URL; pass it explicitly:`,
    `#   aws --endpoint-url ${e.endpoint} s3 ls`,
  ];
}

export async function sandboxStart(
  ctx: CliContext,
  opts: { port?: number; timeScale?: number; faults?: string },
): Promise<number> {
  const sandbox = await import('../sandbox/index.js');
  const { startSandbox, SandboxAlreadyRunningError } = sandbox;
  const stateDir = sandboxDir(ctx.home);
  const timeScale = opts.timeScale ?? DEFAULT_SANDBOX_TIME_SCALE;
  const faults = opts.faults === undefined ? undefined : loadFaults(sandbox, opts.faults);
  let sb;
  try {
    sb = await startSandbox({
      stateDir,
      port: opts.port ?? DEFAULT_SANDBOX_PORT,
      timeScale,
      faults,
      // Under a fault profile the log is the record of each fault injected: always shown then.
      log:
        ctx.debug || (faults && sandbox.hasAnyFault(faults))
          ? (l) => process.stderr.write(`[sandbox] ${l}\n`)
          : undefined,
    });
  } catch (err) {
    if (err instanceof SandboxAlreadyRunningError) {
      throw new CliRuntimeError(
        `A sandbox is already running for ${ctx.home} (pid ${err.pid}) at ${err.endpoint}: use it (eval "$(${cliCommand()} sandbox env)") or stop it first.`,
      );
    }
    throw err;
  }
  const out = (l = ''): boolean => process.stdout.write(`${l}\n`);
  out(
    `Sandbox running at ${sb.endpoint} (region ${sb.region}, account ${sb.accountId}, time-scale ${timeScale})`,
  );
  out(`State: ${stateDir}`);
  if (sb.faults) {
    out(`Faults: ${sandbox.describeFaultProfile(sb.faults)}`);
    out(
      `  Each injected fault is logged below; to meet the same ones again: --faults ${sandbox.replayHint(sb.faults)}`,
    );
  }
  out();
  out(`Point the AWS CLI at it (in another terminal: eval "$(${cliCommand()} sandbox env)"):`);
  for (const l of exportLines({ endpoint: sb.endpoint, region: sb.region, ...sb.credentials })) out(`  ${l}`);
  out();
  out('Demo runs with the same --home use this sandbox. Press Ctrl-C to stop.');
  const signal = await untilStopSignal();
  // Closing the terminal (SIGHUP) is the commonest way to stop it: save the state just the same,
  // but print nothing, since writes to a closed terminal fail.
  if (signal === 'SIGHUP') process.stdout.on('error', () => undefined);
  else out('\nStopping the sandbox…');
  await sb.stop();
  if (signal !== 'SIGHUP') out('Sandbox stopped; its state is saved.');
  return 0;
}

type SandboxModule = typeof import('../sandbox/index.js');

/** The profile `--faults` names; a bad one is a usage error (one line, exit 2). */
function loadFaults(sandbox: SandboxModule, spec: string) {
  try {
    return sandbox.loadFaultProfile(spec);
  } catch (err) {
    if (err instanceof sandbox.FaultProfileError) throw new UsageError(`--faults: ${err.message}`);
    throw err;
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function untilStopSignal(): Promise<(typeof STOP_SIGNALS)[number]> {
  return new Promise((resolve) => {
    const handlers = STOP_SIGNALS.map((sig) => {
      const handler = (): void => {
        for (const [i, s] of STOP_SIGNALS.entries()) process.off(s, handlers[i]!);
        resolve(sig);
      };
      process.on(sig, handler);
      return handler;
    });
  });
}

export async function sandboxEnv(ctx: CliContext): Promise<number> {
  const { readLiveLock, loadOrCreateCredentials, DEFAULT_REGION } = await import('../sandbox/live.js');
  const stateDir = sandboxDir(ctx.home);
  const live = readLiveLock(stateDir);
  if (!live || !live.endpoint) {
    throw new CliRuntimeError(
      `No sandbox is running for ${ctx.home}: start one with "${cliCommand()} sandbox start" in another terminal, then run this again.`,
    );
  }
  const creds = loadOrCreateCredentials(stateDir);
  for (const l of exportLines({ endpoint: live.endpoint, region: DEFAULT_REGION, ...creds })) {
    process.stdout.write(`${l}\n`);
  }
  return 0;
}

export async function sandboxReset(ctx: CliContext, opts: { yes?: boolean }): Promise<number> {
  const { readLiveLock } = await import('../sandbox/index.js');
  const stateDir = sandboxDir(ctx.home);
  const live = readLiveLock(stateDir);
  if (live) {
    throw new CliRuntimeError(
      `A sandbox is running for ${ctx.home} (pid ${live.pid}${live.endpoint ? ` at ${live.endpoint}` : ''}): stop it (Ctrl-C in its terminal) before resetting.`,
    );
  }
  const doomed = [
    stateDir,
    path.join(ctx.home, 'ledgers', 'sandbox'),
    path.join(ctx.home, 'progress', 'sandbox'),
  ];
  if (!opts.yes) {
    if (!isInteractiveTerminal()) {
      throw new UsageError(
        'sandbox reset deletes all sandbox state; add --yes to confirm when not in a terminal.',
      );
    }
    const { confirm } = await import('@inquirer/prompts');
    const ok = await confirm({
      message: `Delete all sandbox state, ledgers and progress under ${ctx.home}?`,
      default: false,
    });
    if (!ok) {
      process.stdout.write('Nothing deleted.\n');
      return 0;
    }
  }
  for (const dir of doomed) fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`Sandbox reset: removed ${doomed.filter((d) => d).join(', ')}.\n`);
  return 0;
}
