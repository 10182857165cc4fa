/**
 * demo1 on a sandbox having an ordinary bad day (`aws-like`, one seed here; more seeds and
 * `hostile` in bench/faults.mjs): every check passes, the run ends by counting the faults it met
 * (none met would mean the profile did nothing) and all were absorbed, and teardown leaves nothing.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { NOTHING_LEFT, checkTotals, demo1Leftovers, runCli } from './cliProcess.js';

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
      expect(run.output).toContain(
        '! Sandbox fault profile aws-like (seed 20261130): 10% throttled, 2% server errors, 50 ± 25 ms latency, IAM propagation 10 s, Lambda Pending 2 s, new rules/targets 5 s (delays in sandbox seconds). To meet the same faults again: COURSE_SANDBOX_FAULTS=aws-like:20261130.',
      );
      // --debug shows each fault the sandbox injected…
      const injected = [...run.output.matchAll(/^\[sandbox\] fault: (throttled|failed) /gm)].length;
      expect(injected).toBeGreaterThan(0);
      // …and the last line counts them, every one absorbed.
      const last = run.output.trimEnd().split('\n').at(-1)!;
      const m =
        /^Faults met under fault profile aws-like \(seed 20261130\): (\d+), all absorbed — (\d+) retried by the SDK \(.+\), (\d+) waited out by the CLI \(.*\)\.$/.exec(
          last,
        );
      expect(m, last).not.toBeNull();
      expect(Number(m![2])).toBe(injected);
      expect(Number(m![1])).toBe(Number(m![2]) + Number(m![3]));
      expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    },
  );
});
