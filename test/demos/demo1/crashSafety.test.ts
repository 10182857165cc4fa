/**
 * Crash safety of demo1's setup: the process is killed with SIGKILL before and after each kind of
 * resource (and once between a create's intent and its confirmation); `demo1 teardown --yes` must
 * then leave nothing behind. Setup twice and teardown twice: no error, no duplicate.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../cli/builtCli.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { NOTHING_LEFT, demo1Leftovers, runCli, type KillWhen, type LedgerView } from './cliProcess.js';

const created = (kind: string) => (l: LedgerView) =>
  l.entries.some((e) => e.kind === kind && e.state === 'created');
const intendedOnly = (kind: string) => (l: LedgerView) =>
  l.entries.some((e) => e.kind === kind && e.state === 'intended');

/** Each point is "after" the kind before it and "before" the kind after it. */
const KILL_POINTS: Array<{ name: string; when: KillWhen }> = [
  { name: 'before the bucket', when: { output: /Step 1\.1/ } },
  { name: 'after the bucket, before the role', when: { ledger: created('s3-bucket') } },
  { name: 'after the role, before the log group', when: { ledger: created('iam-role') } },
  { name: 'after the log group, before the function', when: { ledger: created('log-group') } },
  {
    name: 'while the function is being created (intent only)',
    when: { ledger: intendedOnly('lambda-function') },
  },
  { name: 'after the function, before the permission', when: { ledger: created('lambda-function') } },
  { name: 'after the permission, before the rule', when: { ledger: created('lambda-permission') } },
  { name: 'after the rule', when: { ledger: created('events-rule') } },
];

async function killThenTeardown(point: { name: string; when: KillWhen }): Promise<void> {
  const home = makeTempDir('course-cli-demo1-kill-');
  const killed = await runCli(['demo1', 'run', '--yes', '--phase', 'setup', '--keep', '--home', home], {
    killWhen: point.when,
  });
  expect(killed.signal, `${point.name}: ${killed.output}`).toBe('SIGKILL');
  const down = await runCli(['demo1', 'teardown', '--yes', '--home', home]);
  expect(down.code, `${point.name}: ${down.output}`).toBe(0);
  expect(await demo1Leftovers(path.join(home, 'sandbox')), point.name).toEqual(NOTHING_LEFT);
}

// Two lanes run side by side (each point is a separate CLI process and sandbox), to keep the file
// fast without overloading a small machine.
const LANES = [KILL_POINTS.filter((_, i) => i % 2 === 0), KILL_POINTS.filter((_, i) => i % 2 === 1)];

describe('demo1 crash safety (built CLI)', () => {
  beforeAll(() => {
    if (!process.env.COURSE_CLI_BIN) ensureBuilt();
  }, 300_000);
  it.concurrent.each(LANES.map((points, i) => ({ lane: i + 1, points })))(
    'lane $lane: SIGKILL at each point, then teardown leaves nothing',
    async ({ points }) => {
      for (const point of points) await killThenTeardown(point);
    },
    240_000,
  );

  it.concurrent('setup twice and teardown twice: no error, no duplicate', { timeout: 180_000 }, async () => {
    const home = makeTempDir('course-cli-demo1-twice-');
    const args = ['demo1', 'run', '--yes', '--phase', 'setup', '--keep', '--home', home];
    const first = await runCli(args);
    expect(first.code, first.output).toBe(0);
    const second = await runCli(args);
    expect(second.code, second.output).toBe(0);
    const after = await demo1Leftovers(path.join(home, 'sandbox'));
    expect(after.buckets).toHaveLength(1);
    expect(after.roles).toHaveLength(1);
    expect(after.functions).toHaveLength(1);
    expect(after.rules).toHaveLength(1);
    expect(after.logGroups).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const down = await runCli(['demo1', 'teardown', '--yes', '--home', home]);
      expect(down.code, down.output).toBe(0);
    }
    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
  });
});
