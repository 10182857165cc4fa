/**
 * A run and a teardown of the same demo on the same target at once, as two real processes: the
 * teardown waits briefly, then refuses with one line naming the run's pid and touches nothing; the
 * run goes on untouched (at time-scale 1 it waits a real minute for a schedule, so it is surely
 * still running) until Ctrl-C; the teardown afterwards removes everything the run created.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { NOTHING_LEFT, demo1Leftovers } from '../demos/demo1/cliProcess.js';

beforeAll(() => ensureBuilt(), 300_000);
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

describe('one process per ledger', () => {
  it('a teardown during a run of the same demo refuses, naming the run; afterwards it cleans up', async () => {
    const home = makeTempDir('course-cli-ledgerlock-');
    const args = ['--home', home, 'demo1', 'run', '--yes', '--time-scale', '1'];
    const run = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', COURSE_CLI_HOME: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(run);
    let runOut = '';
    run.stdout.on('data', (d) => (runOut += d));
    run.stderr.on('data', (d) => (runOut += d));
    const runExit = new Promise<number | null>((resolve) => run.on('close', resolve));
    const until = Date.now() + 120_000;
    // Setup done (every resource in the ledger); the execution phase waits for the schedule.
    while (!/━━ Phase 2\/5/.test(runOut)) {
      if (Date.now() > until || run.exitCode !== null)
        throw new Error(`the run did not get going:\n${runOut}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ledgerFile = path.join(home, 'ledgers', 'sandbox', 'demo1.json');

    const refused = await runCli(['--home', home, 'demo1', 'teardown', '--yes']);
    expect(refused.code, `${refused.stdout}\n---\n${refused.stderr}`).toBe(1);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      `error: The demo1 ledger on sandbox is in use by another course-cli process (pid ${run.pid}): let it finish or stop it, then run this again.`,
    ]);
    expect(refused.stdout).not.toMatch(/deleted|Teardown plan/);

    expect(run.exitCode, runOut).toBeNull();
    run.kill('SIGINT');
    expect(await runExit, runOut).toBe(130);
    expect(runOut).not.toMatch(/✖/);
    const ledger = JSON.parse(fs.readFileSync(ledgerFile, 'utf8')) as { entries: Array<{ state: string }> };
    expect(ledger.entries.length).toBeGreaterThanOrEqual(6);
    expect(ledger.entries.every((e) => e.state === 'created')).toBe(true);

    const teardown = await runCli(['--home', home, 'demo1', 'teardown', '--yes']);
    expect(teardown.code, teardown.stdout + teardown.stderr).toBe(0);
    expect(teardown.stdout).toMatch(/Teardown complete/);
    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
  }, 240_000);
});
