/**
 * The interactive run in a real pseudo-terminal (tmux): answer the target question, continue,
 * look at the details, quit midway keeping resources, run again, resume, and finish with teardown.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { TMUX as TMUX_PATH, requireTool } from '../helpers/tools.js';

const TMUX = TMUX_PATH;
const SOCKET = `course-cli-test-${process.pid}`;
const SESSION = 'run';

function tmux(...args: string[]): string {
  return execFileSync(TMUX!, ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** The whole scrollback, wrapped lines joined. */
function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', SESSION);
}

async function waitFor(what: (text: string) => boolean, label: string, timeoutMs = 90_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (what(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}; screen:\n${text.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;
/** inquirer marks answered questions with ✔ and the active one's cursor with ❯. */
const answered = (text: string, message: string): number => count(text, `✔ ${message}`);

/** Wait for the n-th occurrence of a question to be active, press keys, and wait until it is answered. */
async function answer(message: string, nth: number, keys: string[]): Promise<void> {
  await waitFor((t) => answered(t, message) === nth - 1 && count(t, message) >= nth, `"${message}" #${nth}`);
  await waitFor(
    (t) => /❯|\(Y\/n\)|\(y\/N\)/.test(t.split(message).at(-1) ?? ''),
    `"${message}" #${nth} active`,
  );
  tmux('send-keys', '-t', SESSION, ...keys);
  await waitFor((t) => answered(t, message) >= nth, `"${message}" #${nth} answered`);
}

describe('interactive run in a pseudo-terminal', () => {
  beforeAll(() => {
    requireTool(TMUX, 'tmux');
    ensureBuilt();
    tmux('-f', '/dev/null', 'start-server', ';', 'set-option', '-g', 'history-limit', '100000');
  }, 300_000);
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('quit midway, resume, finish', async () => {
    const home = makeTempDir('course-cli-tty-');
    const launch = (): void => {
      const env = [
        `COURSE_CLI_HOME=${home}`,
        'AWS_CONFIG_FILE=/nonexistent',
        'AWS_SHARED_CREDENTIALS_FILE=/nonexistent',
        'AWS_EC2_METADATA_DISABLED=true',
        'AWS_ACCESS_KEY_ID=',
        'AWS_SECRET_ACCESS_KEY=',
        'AWS_PROFILE=',
      ].join(' ');
      const command = `env ${env} ${process.execPath} ${BIN} demo1 run; echo "EXIT=$?"; sleep 600`;
      tmux('new-session', '-d', '-s', SESSION, '-x', '150', '-y', '45', command);
    };

    // First run: pick the sandbox, continue once, look at the details, then quit keeping resources.
    launch();
    await answer('Where should the demo run?', 1, ['Enter']);
    await answer('What next?', 1, ['Enter']); // continue
    await answer('What next?', 2, ['Down', 'Down', 'Enter']); // show details
    const details = await waitFor(
      (t) => /\$ aws .*--endpoint-url http:\/\/127\.0\.0\.1:\d+/.test(t),
      'details',
    );
    expect(details).toMatch(/\$ aws (iam|s3|logs|lambda|events) /);
    await answer('What next?', 3, ['Down', 'Down', 'Down', 'Enter']); // quit
    const first = await waitFor((t) => t.includes('EXIT='), 'first run to end');
    expect(first).toContain('Resume with: course-cli demo1 run');
    expect(first).toContain('Remove what was created with: course-cli demo1 teardown');
    expect(first).toMatch(/EXIT=0/);
    const progress = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      steps: Record<string, unknown>;
    };
    expect(Object.keys(progress.steps)).toHaveLength(2);
    tmux('kill-session', '-t', SESSION);

    // Second run: resume at step 3 and accept every default to the end (teardown included).
    launch();
    await answer('Where should the demo run?', 1, ['Enter']);
    await answer('You completed 2 of', 1, ['Enter']);
    const resumed = await waitFor((t) => t.includes('▶ Step'), 'first resumed step');
    expect(resumed).toMatch(/▶ Step 1\.3 ·/);
    expect(resumed).not.toMatch(/▶ Step 1\.1 ·/);
    const until = Date.now() + 180_000;
    let text = screen();
    while (!text.includes('EXIT=')) {
      if (Date.now() > until) throw new Error(`the resumed run did not finish:\n${text.slice(-3000)}`);
      const tail = text.split('\n').slice(-12).join('\n');
      // Every active question answered with its default: Continue, and yes to the teardown.
      if (/❯ Continue/.test(tail) || /\(Y\/n\)/.test(tail)) tmux('send-keys', '-t', SESSION, 'Enter');
      await new Promise((r) => setTimeout(r, 400));
      text = screen();
    }
    expect(text).toMatch(/Teardown complete: \d+ deleted/);
    const summary = /(\d+) checks? passed, (\d+) failed/.exec(text);
    expect(summary).not.toBeNull();
    const exit = Number(/EXIT=(\d+)/.exec(text)![1]);
    expect(exit).toBe(Number(summary![2]) === 0 ? 0 : 1);
    // A complete teardown forgets the progress.
    expect(fs.existsSync(path.join(home, 'progress', 'sandbox', 'demo1.json'))).toBe(false);
  }, 300_000);
});
