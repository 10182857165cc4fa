/**
 * Running the built CLI as a learner would (`node bin/course-cli.js …`), optionally killing it with
 * SIGKILL at a chosen moment, and asking a sandbox state directory what is left of demo1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOTHING_LEFT, demoLeftovers, type DemoLeftovers } from '../demoLeftovers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The CLI under test: the repository's bin (needs `npm run build`), or COURSE_CLI_BIN. */
export const CLI_BIN = process.env.COURSE_CLI_BIN ?? path.join(repoRoot, 'bin', 'course-cli.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface KillWhen {
  /** Kill as soon as a line of output matches. */
  output?: RegExp;
  /** Kill as soon as the ledger (parsed) satisfies this. */
  ledger?: (ledger: LedgerView) => boolean;
}

export interface LedgerView {
  entries: Array<{ kind: string; name: string; state: string }>;
}

export function ledgerPath(home: string): string {
  return path.join(home, 'ledgers', 'sandbox', 'demo1.json');
}

function readLedger(home: string): LedgerView | undefined {
  try {
    return JSON.parse(fs.readFileSync(ledgerPath(home), 'utf8')) as LedgerView;
  } catch {
    return undefined; // not there yet, or being replaced
  }
}

export function runCli(
  args: string[],
  opts: { killWhen?: KillWhen; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const onData = (b: Buffer): void => {
      output += b.toString('utf8');
      if (opts.killWhen?.output?.test(output)) kill();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const home = args[args.indexOf('--home') + 1]!;
    const poll = opts.killWhen?.ledger
      ? setInterval(() => {
          const l = readLedger(home);
          if (l && opts.killWhen!.ledger!(l)) kill();
        }, 5)
      : undefined;
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`course-cli ${args.join(' ')} did not finish in time:\n${output}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, output });
    });
  });
}

/** `N checks passed, M failed` from the runner's closing line. */
export function checkTotals(output: string): { passed: number; failed: number } | undefined {
  const m = /(\d+) checks? passed, (\d+) failed/.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

/** What of demo1 (any run) exists in this sandbox state directory, asked through List calls. */
export const demo1Leftovers = (stateDir: string): Promise<DemoLeftovers> => demoLeftovers(stateDir, 'demo1');
export { NOTHING_LEFT };
