/**
 * `course-cli teardown --all --yes` after `demo1 run --phase setup --keep`, run as real processes:
 * the plan and report, nothing left in the sandbox (asked through List calls), the ledger archived
 * and the progress forgotten; a second run is a no-op that still exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { NOTHING_LEFT, demo1Leftovers } from '../demos/demo1/cliProcess.js';

beforeAll(() => ensureBuilt(), 300_000);

interface ArchivedLedger {
  demo: string;
  runId: string;
  entries: Array<{ kind: string; name: string; state: string }>;
}

describe('teardown --all', () => {
  it('removes every demo on the sandbox, archives the ledger, and is safe to run again', async () => {
    const home = makeTempDir('course-cli-teardown-all-');
    const ledgerDir = path.join(home, 'ledgers', 'sandbox');

    const setup = await runCli(['--home', home, 'demo1', 'run', '--phase', 'setup', '--keep']);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const runId = (JSON.parse(fs.readFileSync(path.join(ledgerDir, 'demo1.json'), 'utf8')) as ArchivedLedger)
      .runId;
    const before = await demo1Leftovers(path.join(home, 'sandbox'));
    expect(before.buckets).toHaveLength(1);
    expect(before.functions).toHaveLength(1);

    const first = await runCli(['--home', home, 'teardown', '--all', '--yes']);
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/^Teardown of demo1 on sandbox/m);
    expect(first.stdout).toContain('Teardown plan (6 resources, deleted in this order)');
    expect(first.stdout).toContain('? Delete these 6 resources now? yes (default)');
    for (const kind of [
      'events-rule',
      'lambda-permission',
      'lambda-function',
      'log-group',
      'iam-role',
      's3-bucket',
    ]) {
      expect(first.stdout).toMatch(new RegExp(`✔ deleted ${kind} \\S*${runId}|✔ deleted ${kind} allow-`));
    }
    expect(first.stdout).toContain('Teardown complete: 6 deleted, 0 already gone.');

    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    expect(fs.existsSync(path.join(ledgerDir, 'demo1.json'))).toBe(false);
    const archived = fs.readdirSync(path.join(ledgerDir, 'archive'));
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatch(new RegExp(`^demo1-${runId}-.+\\.json$`));
    const ledger = JSON.parse(
      fs.readFileSync(path.join(ledgerDir, 'archive', archived[0]!), 'utf8'),
    ) as ArchivedLedger;
    expect(ledger.entries).toHaveLength(6);
    expect(ledger.entries.every((e) => e.state === 'deleted')).toBe(true);
    // The progress is closed, not deleted: status says how that run went.
    const progress = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      finished?: { tornDown: boolean };
    };
    expect(progress.finished?.tornDown).toBe(true);

    const again = await runCli(['--home', home, 'teardown', '--all', '--yes']);
    expect(again.stderr).toBe('');
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to tear down: no demo has a ledger on sandbox/);
    expect(again.stdout).not.toContain('deleted');
    expect(fs.readdirSync(path.join(ledgerDir, 'archive'))).toEqual(archived);
  }, 60_000);
});
