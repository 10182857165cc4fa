/**
 * Bare `course-cli` in a real pseudo-terminal (tmux): pick demo1, then an action — status, run
 * (quitting at the first question, keeping resources), status again, teardown — and ask the
 * sandbox through List calls that nothing is left. Without a terminal the bare command prints help.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { TmuxSession } from './tmuxSession.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { NOTHING_LEFT, demo1Leftovers } from '../demos/demo1/cliProcess.js';

const WHICH = 'Which demo?';
const ACTION = 'demo1: what do you want to do?';
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

let term: TmuxSession;

beforeAll(() => {
  term = new TmuxSession();
  ensureBuilt();
}, 300_000);
afterAll(() => term?.close());

describe('the interactive menu', () => {
  it('status, run and quit keeping resources, status, teardown: nothing left', async () => {
    const home = makeTempDir('course-cli-menu-');
    const menu = async (actionKeys: string[]): Promise<void> => {
      term.launch([], [`COURSE_CLI_HOME=${home}`]);
      await term.answer(WHICH, 1, ['Enter']);
      await term.answer(ACTION, 1, actionKeys);
    };

    // 1. The menu lists the three demos, all selectable, then status on an empty home.
    term.launch([], [`COURSE_CLI_HOME=${home}`]);
    const choices = await term.waitFor((t) => t.includes('❯ demo1 · '), 'the demo menu');
    expect(choices).toMatch(/ {2}demo2 · Event rule \+ Step Functions/);
    expect(choices).toMatch(/ {2}demo3 · Hybrid late-data reconciliation/);
    expect(choices).not.toContain('not in this release');
    await term.answer(WHICH, 1, ['Enter']);
    await term.answer(ACTION, 1, ['Down', 'Enter']);
    let end = await term.exited('status');
    expect(end.text).toContain(`✔ ${ACTION} Show what is deployed and your progress`);
    expect(end.text).toContain('Nothing deployed (the ledger names no resources).');
    expect(end.text).toMatch(/Progress: not started\. Run: (?:npx |node \S*)?course-cli(?:\.js)? demo1 run/);
    expect(end.code).toBe(0);
    term.endWindow();

    // 2. Run: the sandbox, one step, then quit keeping what it created.
    await menu(['Enter']);
    await term.answer('Where should the demo run?', 1, ['Enter']);
    await term.answer('What next?', 1, ['Down', 'Down', 'Down', 'Enter']);
    end = await term.exited('run to quit');
    expect(end.text).toMatch(/▶ Step 1\.1 ·/);
    expect(end.text).not.toMatch(/▶ Step 1\.2 ·/);
    expect(end.text).toMatch(/Resume with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 run/);
    expect(end.text).toMatch(
      /Remove what was created with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 teardown/,
    );
    expect(end.code).toBe(0);
    term.endWindow();
    const afterRun = await demo1Leftovers(path.join(home, 'sandbox'));
    expect(afterRun.buckets).toHaveLength(1);

    // 3. Status now names the bucket and the progress.
    await menu(['Down', 'Enter']);
    end = await term.exited('status after the run');
    expect(end.text).toMatch(/Deployed \(run [a-z0-9]+\):/);
    expect(end.text).toContain(afterRun.buckets[0]);
    expect(end.text).toMatch(/Progress: 1 of \d+ steps done, 2 checks passed, 0 failed/);
    expect(end.code).toBe(0);
    term.endWindow();

    // 4. Teardown: the plan, one question, the report.
    await menu(['Down', 'Down', 'Enter']);
    await term.answer('Delete this resource now?', 1, ['Enter']);
    end = await term.exited('teardown');
    expect(end.text).toContain(`s3-bucket  ${afterRun.buckets[0]}`);
    expect(end.text).toContain(`deleted s3-bucket ${afterRun.buckets[0]}`);
    expect(end.text).toContain('Teardown complete: 1 deleted, 0 already gone.');
    expect(end.text).not.toMatch(STACK_TRACE);
    expect(end.code).toBe(0);
    term.endWindow();

    expect(await demo1Leftovers(path.join(home, 'sandbox'))).toEqual(NOTHING_LEFT);
    expect(fs.existsSync(path.join(home, 'ledgers', 'sandbox', 'demo1.json'))).toBe(false);
    // The progress stays as the history of that deployment (status says how it went).
    const progress = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      finished?: { tornDown: boolean };
    };
    expect(progress.finished?.tornDown).toBe(true);
  }, 120_000);

  it('Ctrl-C at the first question exits 130 with one line', async () => {
    const home = makeTempDir('course-cli-menu-');
    term.launch([], [`COURSE_CLI_HOME=${home}`]);
    await term.waitFor((t) => t.includes(WHICH) && t.includes('❯'), 'the menu');
    term.keys('C-c');
    const end = await term.exited('Ctrl-C');
    expect(end.code).toBe(130);
    expect(end.text).toContain('Interrupted.');
    expect(end.text).not.toMatch(STACK_TRACE);
    term.endWindow();
    expect(fs.readdirSync(home)).toEqual([]);
  }, 60_000);

  it('without a terminal, prints the help on stderr and exits 2', async () => {
    const home = makeTempDir('course-cli-menu-');
    const r = await runCli(['--home', home]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: course-cli /);
    expect(r.stderr).toMatch(/Start here: (?:npx |node \S*)?course-cli(?:\.js)? demo1 run/);
    const demo = await runCli(['--home', home, 'demo1']);
    expect(demo.code).toBe(2);
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toMatch(/^Usage: course-cli demo1\|scheduler-lambda run\|teardown\|status/);
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
