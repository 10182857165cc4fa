/**
 * The interactive run in a real pseudo-terminal (tmux): answer the target question, continue,
 * look at the details, quit midway keeping resources, run again, resume, and finish with teardown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './builtCli.js';
import { TmuxSession } from './tmuxSession.js';
import { makeTempDir } from '../helpers/sandbox.js';

let term: TmuxSession;

describe('interactive run in a pseudo-terminal', () => {
  beforeAll(() => {
    term = new TmuxSession();
    ensureBuilt();
  }, 300_000);
  afterAll(() => term?.close());

  it('quit midway, resume, finish', async () => {
    const home = makeTempDir('course-cli-tty-');
    const launch = (): void => term.launch(['demo1', 'run'], [`COURSE_CLI_HOME=${home}`]);

    // First run: pick the sandbox, continue once, look at the details, then quit keeping resources.
    launch();
    await term.answer('Where should the demo run?', 1, ['Enter']);
    await term.answer('What next?', 1, ['Enter']); // continue
    await term.answer('What next?', 2, ['Down', 'Down', 'Enter']); // show details
    const details = await term.waitFor(
      (t) => /\$ aws (iam|s3api) /.test(t) && /--endpoint-url http:\/\/127\.0\.0\.1:\d+/.test(t),
      'details',
    );
    expect(details).toMatch(/\$ aws (iam|s3|logs|lambda|events) /);
    await term.answer('What next?', 3, ['Down', 'Down', 'Down', 'Enter']); // quit
    const first = await term.waitFor((t) => t.includes('EXIT='), 'first run to end');
    expect(first).toMatch(/Resume with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 run/);
    expect(first).toMatch(
      /Remove what was created with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 teardown/,
    );
    expect(first).toMatch(/EXIT=0/);
    const progress = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      steps: Record<string, unknown>;
    };
    expect(Object.keys(progress.steps)).toHaveLength(2);
    term.endWindow();

    // Second run: resume at step 3 and accept every default to the end (teardown included).
    launch();
    await term.answer('Where should the demo run?', 1, ['Enter']);
    await term.answer('You completed 2 of', 1, ['Enter']);
    const resumed = await term.waitFor((t) => t.includes('▶ Step'), 'first resumed step');
    expect(resumed).toMatch(/▶ Step 1\.3 ·/);
    expect(resumed).not.toMatch(/▶ Step 1\.1 ·/);
    const until = Date.now() + 180_000;
    let text = term.screen();
    while (!text.includes('EXIT=')) {
      if (Date.now() > until) throw new Error(`the resumed run did not finish:\n${text.slice(-3000)}`);
      const tail = text.split('\n').slice(-12).join('\n');
      // Every active question answered with its default: Continue, and yes to the teardown.
      if (/❯ (Continue|Finish)/.test(tail) || /\(Y\/n\)/.test(tail)) term.keys('Enter');
      await new Promise((r) => setTimeout(r, 400));
      text = term.screen();
    }
    expect(text).toMatch(/Teardown complete: \d+ deleted/);
    const summary = /(\d+) checks? passed, (\d+) failed/.exec(text);
    expect(summary).not.toBeNull();
    const exit = Number(/EXIT=(\d+)/.exec(text)![1]);
    expect(exit).toBe(Number(summary![2]) === 0 ? 0 : 1);
    // A complete teardown closes the progress: kept as history, the next run starts fresh.
    const after = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      finished?: { tornDown: boolean; passed: number; failed: number };
    };
    expect(after.finished).toMatchObject({
      tornDown: true,
      passed: Number(summary![1]),
      failed: Number(summary![2]),
    });
  }, 300_000);
});
