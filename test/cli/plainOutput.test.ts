/**
 * Output for pipes and NO_COLOR: a run piped to a file has no ANSI escape sequences, no spinner
 * frames and no carriage returns, with or without NO_COLOR; in a terminal NO_COLOR removes the
 * colours (and without it there are some, so the check can tell).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { TmuxSession } from './tmuxSession.js';
import { makeTempDir } from '../helpers/sandbox.js';

const ESCAPE = /\x1b/; // eslint-disable-line no-control-regex
const SPINNER_FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

let term: TmuxSession;

beforeAll(() => {
  term = new TmuxSession();
  ensureBuilt();
}, 300_000);
afterAll(() => term?.close());

describe('plain output', () => {
  it.each([
    ['without NO_COLOR', ''],
    ['with NO_COLOR=1', '1'],
  ])(
    'a piped run %s has no escapes, spinner frames or carriage returns',
    async (_label, noColor) => {
      const home = makeTempDir('course-cli-plain-');
      const r = await runCli(['--home', home, 'demo1', 'run', '--phase', 'setup', '--keep'], {
        NO_COLOR: noColor,
        FORCE_COLOR: undefined,
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('▶ Step 1.1 · ');
      expect(r.stdout).toMatch(/\d+ checks passed, 0 failed/);
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toMatch(ESCAPE);
        expect(text).not.toMatch(SPINNER_FRAME);
        expect(text).not.toContain('\r');
      }
      // Spinners become a start line and an end line.
      expect(r.stdout).toMatch(/^… Create the data bucket\n(.*\n)*? {2}done in \d+/m);
    },
    60_000,
  );

  it('in a terminal, NO_COLOR removes the colours', async () => {
    const colours = async (env: string[]): Promise<string> => {
      const home = makeTempDir('course-cli-plain-');
      term.launch(['demo1', 'run', '--target', 'sandbox', '--keep'], [`COURSE_CLI_HOME=${home}`, ...env]);
      await term.waitFor((t) => t.includes('❯ Continue'), 'the first "What next?"');
      const screen = term.screen(true);
      term.endWindow();
      return screen;
    };
    const plain = await colours(['NO_COLOR=1']);
    expect(plain).toContain('✔ the bucket exists');
    expect(plain).not.toMatch(ESCAPE);
    expect(await colours(['NO_COLOR='])).toMatch(ESCAPE);
  }, 60_000);
});
