/**
 * demo1 on a sandbox having an ordinary bad day (`aws-like`, one seed here; more seeds and
 * `hostile` in bench/faults.mjs): every check passes, the run ends by counting the faults it met
 * (none met would mean the profile did nothing) and all were absorbed, and teardown leaves nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { NOTHING_LEFT, checkTotals, demo1Leftovers, ledgerPath, runCli } from './cliProcess.js';

/** Output as one line: the CLI wraps paragraphs to the terminal's width (100 columns without one). */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

/** The run's closing paragraph (the fault count, wrapped), as one line. */
function closingFaultLine(output: string): string {
  const at = output.lastIndexOf('\nFaults met under fault profile ');
  return at < 0 ? '' : flat(output.slice(at + 1)).trim();
}

describe('demo1 run --yes under the aws-like fault profile (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);

  it(
    'passes every check, absorbs every fault it meets and leaves nothing',
    { timeout: 240_000 },
    async () => {
      const home = makeTempDir('course-cli-demo1-faults-');
      const run = await runCli(['demo1', 'run', '--yes', '--home', home, '--debug'], {
        env: { COURSE_SANDBOX_FAULTS: 'aws-like:20261130' },
        timeoutMs: 220_000,
      });
      expect(run.code, run.output).toBe(0);
      expect(checkTotals(run.output)?.failed, run.output).toBe(0);
      expect(run.output).not.toMatch(/✖/);
      // Said at the start, with how to replay it.
      expect(flat(run.output)).toContain(
        '! Sandbox fault profile aws-like (seed 20261130): 10% throttled, 2% server errors, 50 ± 25 ms latency, IAM propagation 10 s, Lambda Pending 2 s, new rules/targets 5 s, metric data 120 s late (delays in sandbox seconds). To meet the same faults again: COURSE_SANDBOX_FAULTS=aws-like:20261130.',
      );
      // --debug shows each fault the sandbox injected…
      const injected = [...run.output.matchAll(/^\[sandbox\] fault: (throttled|failed) /gm)].length;
      expect(injected).toBeGreaterThan(0);
      // …and the last line counts them, every one absorbed.
      const last = closingFaultLine(run.output);
      const m =
        /^Faults met under fault profile aws-like \(seed 20261130\): (\d+), all absorbed — (\d+) retried by the SDK \([^)]+\)(?:, (\d+) waited out by the CLI \(.*\))?\.$/.exec(
          last,
        );
      expect(m, last).not.toBeNull();
      expect(Number(m![2])).toBe(injected);
      // The CLI's waits (IAM propagation, Pending) are named only when there were some: under load
      // the sandbox clock can have passed the propagation window before the first use.
      expect(Number(m![1])).toBe(Number(m![2]) + Number(m![3] ?? 0));
      expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    },
  );

  it(
    'what cannot be absorbed stops the step with one line, exit 1, the ledger intact; teardown still clears it',
    {
      timeout: 240_000,
    },
    async () => {
      const home = makeTempDir('course-cli-demo1-faults-');
      // Lambda fails every CreateFunction on its side: no retry can get past that.
      const profile = path.join(home, 'lambda-down.json');
      fs.writeFileSync(
        profile,
        JSON.stringify({
          seed: 3,
          services: { lambda: { operations: { CreateFunction: { serverErrors: 1 } } } },
        }),
      );
      const run = await runCli(['demo1', 'run', '--yes', '--home', home], {
        env: { COURSE_SANDBOX_FAULTS: profile },
        timeoutMs: 200_000,
      });
      expect(run.code, run.output).toBe(1);
      const failures = run.output.split('\n').filter((l) => l.includes('✖'));
      expect(failures, run.output).toEqual([expect.stringMatching(/^ {2}✖ The step failed: /)]);
      expect(flat(run.output)).toContain(
        '✖ The step failed: ServiceBusyError: Lambda CreateFunction still failed after 10 attempts (ServiceException: AWS is failing on its side); wait a minute, then run the same command again — what was created so far is in the ledger.',
      );
      expect(flat(run.output)).toMatch(/Resume with: \S.* demo1 run/);
      expect(closingFaultLine(run.output)).toBe(
        `Faults met under fault profile ${profile} (seed 3): 10, 0 absorbed, 10 not; not absorbed: Lambda CreateFunction refused 10 times (last: ServiceException).`,
      );
      // The function's intent stays in the ledger (it may exist), next to what was created before it.
      const ledger = JSON.parse(fs.readFileSync(ledgerPath(home), 'utf8')) as {
        entries: Array<{ kind: string; state: string }>;
      };
      expect(ledger.entries.map((e) => `${e.kind} ${e.state}`)).toEqual([
        's3-bucket created',
        'iam-role created',
        'log-group created',
        'lambda-function intended',
      ]);
      const teardown = await runCli(['demo1', 'teardown', '--yes', '--home', home]);
      expect(teardown.code, teardown.output).toBe(0);
      expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    },
  );
});
