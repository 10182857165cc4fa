/**
 * demo1 as a learner sees it in a real terminal (tmux) at 60, 80, 100 and 160 columns: nothing the
 * CLI prints relies on the terminal wrapping it (so no word is ever broken mid-way and the spinner
 * stays on one line), tables fit, the diagram is drawn only where it fits, the key log line is shown
 * whole; a resized terminal gets the new width from the next line on; Ctrl-C at a menu leaves no
 * stale menu behind; a shell pointed at the sandbox is never offered as "your AWS account".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './builtCli.js';
import { TmuxSession, answered, count } from './tmuxSession.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const WHAT_NEXT = 'What next?';
const DIAGRAM_TOP = '┌────────────────┐';

let term: TmuxSession;

beforeAll(() => {
  term = new TmuxSession();
  ensureBuilt();
}, 300_000);
afterAll(() => term?.close());

/** Lines of a capture (wrapped lines joined) wider than `columns`: ones the terminal had to wrap. */
function overflowing(text: string, columns: number): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => Array.from(l).length > columns);
}

/**
 * Answer every "What next?" with Enter (Continue) until the run ends, checking the visible screen
 * on the way (the spinner included) for lines the terminal had to wrap.
 */
async function continueToTheEnd(
  columns: number,
  timeoutMs = 150_000,
): Promise<{ text: string; code: number }> {
  const until = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    const text = term.screen();
    if (/EXIT=\d+/.test(text)) return { text, code: Number(/EXIT=(\d+)/.exec(text)![1]) };
    if (Date.now() > until) throw new Error(`the run did not finish:\n${text.slice(-3000)}`);
    expect(overflowing(term.visible(), columns)).toEqual([]);
    const asked = count(text, WHAT_NEXT);
    if (asked > seen && answered(text, WHAT_NEXT) === asked - 1 && /❯/.test(text.split(WHAT_NEXT).at(-1)!)) {
      seen = asked;
      term.keys('Enter');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the terminal at 60, 80, 100 and 160 columns', () => {
  it.each([60, 80, 100, 160])(
    '%i columns: setup and execution, every line fits, nothing cut',
    async (columns) => {
      const home = makeTempDir(`course-cli-screen-${columns}-`);
      term.launch(
        ['demo1', 'run', '--target', 'sandbox', '--phase', 'setup', '--phase', 'execution', '--keep'],
        [`COURSE_CLI_HOME=${home}`],
        { columns, rows: 40 },
      );
      const { text, code } = await continueToTheEnd(columns);
      expect(code, text.slice(-2000)).toBe(0);
      expect(overflowing(text, columns)).toEqual([]);
      // The diagram (96 columns wide) only where it fits; otherwise where to find it.
      if (columns >= 98) {
        expect(text).toContain(DIAGRAM_TOP);
      } else {
        expect(text).not.toContain(DIAGRAM_TOP);
        expect(text.replace(/\s+/g, ' ')).toMatch(
          /diagram needs \d+ columns .* open \S+demo1-scheduler-lambda\.svg/,
        );
      }
      // The run's own log lines, message and fields, whole however narrow the terminal.
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain('summary written · window={dt:');
      expect(flat).toMatch(/record_count=120 distinct_orders=\d+ total_amount=[\d.]+/);
      expect(flat).not.toMatch(/INFO \{"level"…/);
      // Narration wrapped at word boundaries: a long sentence reads whole once lines are joined.
      expect(flat).toContain(
        'A function runs as an IAM role. Give it exactly what the job needs, so a bug or a leaked credential cannot read or overwrite anything else.',
      );
      // Times are labelled as the sandbox's (said once above the table, so the column's title stays
      // one line at any width), and explained once.
      const lines = text.split('\n').map((l) => l.trimEnd());
      const note = lines.findIndex((l) => l === '  time: sandbox clock, 30× real speed');
      expect(note, text.slice(-3000)).toBeGreaterThan(0);
      expect(lines[note + 1]).toMatch(/^ {2}time {6}level +message$/);
      expect(count(flat, "Times here are sandbox time, not your clock's")).toBe(1);
      term.endWindow();
    },
    200_000,
  );

  it('a terminal resized to 60 columns gets 60-column lines from the next step on', async () => {
    const home = makeTempDir('course-cli-resize-');
    term.launch(
      ['demo1', 'run', '--target', 'sandbox', '--phase', 'setup', '--keep'],
      [`COURSE_CLI_HOME=${home}`],
      {
        columns: 100,
        rows: 40,
      },
    );
    await term.waitFor((t) => count(t, WHAT_NEXT) >= 1 && /❯/.test(t.split(WHAT_NEXT).at(-1)!), 'step 1.1');
    const before = term.screen();
    expect(before).toMatch(/━━ Phase 1\/5 · Setup ━{70,}/); // the phase banner spans 100 columns
    term.resize(60, 40);
    // The terminal tells the process with SIGWINCH, which arrives asynchronously: give it a moment,
    // as any person dragging a window edge would, before answering.
    await new Promise((r) => setTimeout(r, 1000));
    term.keys('Enter');
    await term.waitFor((t) => count(t, WHAT_NEXT) >= 2 && /❯/.test(t.split(WHAT_NEXT).at(-1)!), 'step 1.2');
    const after = term.screen();
    const fromStep2 = after.slice(after.indexOf('▶ Step 1.2'));
    expect(overflowing(fromStep2, 60)).toEqual([]);
    expect(fromStep2.split('\n').some((l) => Array.from(l.trimEnd()).length > 55)).toBe(true);
    term.keys('C-c');
    await term.exited('Ctrl-C');
    term.endWindow();
  }, 120_000);

  it('Ctrl-C at a menu clears it: no stale choices are left on screen', async () => {
    const home = makeTempDir('course-cli-ctrlc-menu-');
    term.launch(['demo1', 'run', '--target', 'sandbox', '--keep'], [`COURSE_CLI_HOME=${home}`], {
      columns: 80,
    });
    await term.waitFor((t) => t.includes(WHAT_NEXT) && t.includes('❯ Continue'), 'the first menu');
    term.keys('C-c');
    const end = await term.exited('Ctrl-C at the menu');
    expect(end.code).toBe(130);
    expect(end.text).not.toContain('❯ Continue');
    expect(end.text).not.toContain('Tear down now');
    expect(end.text).not.toContain('↑↓ navigate');
    expect(end.text).toMatch(/Resume with: .*demo1 run/);
    term.endWindow();
  }, 90_000);
});

describe('the target question in a shell set up by `sandbox env`', () => {
  let sandbox: TestSandbox | undefined;
  afterAll(() => sandbox?.stop());

  it('offers the sandbox only, never "your AWS account", and leaves no AWS ledger', async () => {
    const home = makeTempDir('course-cli-envsandbox-');
    sandbox = await startTestSandbox({ stateDir: path.join(home, 'sandbox') });
    const { endpoint, credentials } = sandbox.sandbox;
    term.launch(
      ['demo1', 'run'],
      [
        `COURSE_CLI_HOME=${home}`,
        `AWS_ENDPOINT_URL=${endpoint}`,
        `AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
        `AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
        'AWS_REGION=us-east-1',
      ],
    );
    const question = await term.waitFor(
      (t) => t.includes('Where should the demo run?') && t.includes('❯'),
      'the target question',
    );
    expect(question).not.toContain('Your AWS account');
    expect(question).not.toContain('000000000000 (us-east-1) — small costs');
    await term.answer('Where should the demo run?', 1, ['Enter']);
    await term.answer(WHAT_NEXT, 1, ['Down', 'Down', 'Down', 'Enter']); // quit, keeping resources
    const end = await term.exited('quit');
    expect(end.code).toBe(0);
    expect(fs.readdirSync(path.join(home, 'ledgers'))).toEqual(['sandbox']);
    term.endWindow();
  }, 120_000);
});
