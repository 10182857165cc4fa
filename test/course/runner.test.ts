import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CourseRunner, type RunOptions } from '../../src/course/runner.js';
import { ProgressStore } from '../../src/course/progress.js';
import type { PhaseId } from '../../src/course/model.js';
import { fakeDemo, fakeSession, RecordingIO, type Answer, type TestState } from './fakes.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-runner-'));
});

function options(extra: Partial<RunOptions> = {}, controller = new AbortController()): RunOptions {
  return {
    signal: controller.signal,
    progress: new ProgressStore(home, 'sandbox', 'demo9'),
    resumeCommand: 'course-cli demo9 run',
    teardownCommand: 'course-cli demo9 teardown',
    ...extra,
  };
}

const ALL_STEPS = ['setup', 'execution', 'failure', 'recovery', 'teardown'].flatMap((p) => [
  `${p}-1`,
  `${p}-2`,
]);

describe('CourseRunner', () => {
  it('runs every phase and step in order, shows calls and checks, and exits 0', async () => {
    const io = new RecordingIO(false);
    const demo = fakeDemo();
    const session = fakeSession({ resources: [{ kind: 's3-bucket', name: 'b', arn: 'arn:aws:s3:::b' }] });
    const result = await new CourseRunner(demo, session, io, options()).run();
    expect(result).toEqual({ status: 'completed', passed: 10, failed: 0, failedSteps: 0, exitCode: 0 });
    const stepLines = io.lines.filter((l) => l.startsWith('▶ Step'));
    expect(stepLines.map((l) => l.split(' · ')[1])).toEqual(ALL_STEPS.map((s) => s.replace('-', ' step ')));
    expect(io.text).toContain('━━ Phase 1/5 · Setup');
    expect(io.text).toMatch(/WHY +why setup/);
    expect(io.text).toContain('1 call: s3:PutObject');
    expect(io.text).toContain('✔ setup-1 happened');
    expect(io.text).toContain('[clock] --> [lambda]');
    // The teardown phase shows the plan and deletes; a complete teardown closes the progress as history.
    expect(io.text).toContain('Teardown plan (1 resource');
    expect(session.applied).toBe(1);
    expect(new ProgressStore(home, 'sandbox', 'demo9').load()?.finished).toMatchObject({
      tornDown: true,
      passed: 10,
      failed: 0,
    });
  });

  it('shows failed checks with expected and actual, keeps going, and exits 1 saying how many', async () => {
    const io = new RecordingIO(false);
    const demo = fakeDemo({
      check: (id) =>
        id === 'failure-1'
          ? [{ label: 'curated count', passed: false, expected: '24', actual: '0' }]
          : undefined,
    });
    const result = await new CourseRunner(demo, fakeSession(), io, options()).run();
    expect(result).toMatchObject({ status: 'completed', passed: 9, failed: 1, exitCode: 1 });
    expect(io.text).toMatch(/✖ curated count\n\s+expected: 24\n\s+actual: {3}0/);
    expect(io.text).toContain('9 checks passed, 1 failed');
  });

  it('runs only the selected phases', async () => {
    const io = new RecordingIO(false);
    let state: TestState | undefined;
    const demo = fakeDemo({ run: (_id, ctx) => void (state = ctx.state) });
    const phases: PhaseId[] = ['setup', 'execution'];
    const result = await new CourseRunner(demo, fakeSession(), io, options({ phases })).run();
    expect(result.exitCode).toBe(0);
    expect(state!.log).toEqual(['setup-1', 'setup-2', 'execution-1', 'execution-2']);
    // Not torn down: progress stays for a later run.
    const saved = new ProgressStore(home, 'sandbox', 'demo9').load();
    expect(Object.keys(saved!.steps)).toEqual(['setup-1', 'setup-2', 'execution-1', 'execution-2']);
  });

  it('--keep skips the teardown phase and says how to tear down later', async () => {
    const io = new RecordingIO(false);
    const session = fakeSession();
    await new CourseRunner(fakeDemo(), session, io, options({ keep: true })).run();
    expect(session.applied).toBe(0);
    expect(io.text).toContain('Tear them down later with: course-cli demo9 teardown');
  });

  it('repeats a step when asked, then continues', async () => {
    const runs: string[] = [];
    const demo = fakeDemo({ run: (id) => void runs.push(id) });
    const answers: Answer[] = ['repeat', 'details', 'continue'];
    const io = new RecordingIO(true, answers);
    const detailsNote = ['These commands reach the sandbox: first run eval "$(npx course-cli sandbox env)".'];
    await new CourseRunner(demo, fakeSession(), io, options({ phases: ['setup'], detailsNote })).run();
    expect(runs).toEqual(['setup-1', 'setup-1', 'setup-2']);
    // "show details" says what the commands need, then each call as an AWS CLI command.
    expect(io.text).toContain(
      '! These commands reach the sandbox: first run eval "$(npx course-cli sandbox env)".',
    );
    expect(io.text).toContain(`$ aws s3 PutObject --cli-input-json '{"Key":"setup-1"}'`);
  });

  it('quit keeps resources, saves progress and says how to resume or tear down; a rerun resumes', async () => {
    const io = new RecordingIO(true, ['continue', 'quit']);
    const session = fakeSession({ resources: [{ kind: 's3-bucket', name: 'b', arn: 'arn:aws:s3:::b' }] });
    const first = await new CourseRunner(fakeDemo(), session, io, options()).run();
    expect(first).toMatchObject({ status: 'quit', exitCode: 0 });
    expect(io.text).toContain('Resume with: course-cli demo9 run');
    expect(io.text).toContain('Remove what was created with: course-cli demo9 teardown');
    const saved = new ProgressStore(home, 'sandbox', 'demo9').load()!;
    expect(Object.keys(saved.steps)).toEqual(['setup-1', 'setup-2']);
    expect((saved.state as TestState).counter).toBe(2);

    const runs: string[] = [];
    let counter = 0;
    const demo = fakeDemo({ run: (id, ctx) => void (runs.push(id), (counter = ctx.state.counter)) });
    const io2 = new RecordingIO(false);
    const second = await new CourseRunner(demo, session, io2, options({ keep: true })).run();
    expect(second.exitCode).toBe(0);
    expect(io2.questions[0]).toMatch(/completed 2 of 8 steps earlier\. Resume at "execution step 1"/);
    expect(runs[0]).toBe('execution-1');
    expect(counter).toBe(8); // state carried over from the first run
    expect(io2.text).toContain('Phase 1/5 · Setup: already done.');
  });

  it('restart runs the selected steps again from the first', async () => {
    const store = new ProgressStore(home, 'sandbox', 'demo9');
    const p = store.fresh({ counter: 5, log: [] }, 'r1');
    p.steps['setup-1'] = { completedAt: 'x', passed: 1, failed: 0 };
    store.save(p);
    const runs: string[] = [];
    const io = new RecordingIO(true, ['restart']);
    await new CourseRunner(fakeDemo({ run: (id) => void runs.push(id) }), fakeSession(), io, {
      ...options({ phases: ['setup'] }),
    }).run();
    expect(runs).toEqual(['setup-1', 'setup-2']);
  });

  it('progress of an earlier deployment (other run id) is not resumed', async () => {
    const store = new ProgressStore(home, 'sandbox', 'demo9');
    const p = store.fresh({ counter: 5, log: [] }, 'old');
    p.steps['setup-1'] = { completedAt: 'x', passed: 1, failed: 0 };
    store.save(p);
    const runs: string[] = [];
    const io = new RecordingIO(false);
    await new CourseRunner(fakeDemo({ run: (id) => void runs.push(id) }), fakeSession({ runId: 'new' }), io, {
      ...options({ phases: ['setup'] }),
    }).run();
    expect(runs).toEqual(['setup-1', 'setup-2']);
    expect(io.text).toContain('earlier deployment (run old)');
  });

  it('Ctrl-C during a step aborts it, saves progress of finished steps, exits 130', async () => {
    const controller = new AbortController();
    const demo = fakeDemo({
      run: async (id, ctx) => {
        if (id !== 'execution-1') return;
        controller.abort();
        await ctx.clock.sleep(60_000, ctx.signal);
      },
    });
    const io = new RecordingIO(false);
    const result = await new CourseRunner(demo, fakeSession(), io, options({}, controller)).run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    const saved = new ProgressStore(home, 'sandbox', 'demo9').load()!;
    expect(Object.keys(saved.steps)).toEqual(['setup-1', 'setup-2']);
    expect(io.text).toContain('Resume with: course-cli demo9 run');
  });

  it('Ctrl-C at a prompt is an interruption too', async () => {
    const io = new RecordingIO(true, ['continue', 'INTERRUPT']);
    const result = await new CourseRunner(fakeDemo(), fakeSession(), io, options()).run();
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(Object.keys(new ProgressStore(home, 'sandbox', 'demo9').load()!.steps)).toEqual([
      'setup-1',
      'setup-2',
    ]);
  });

  it('a step that throws stops a non-interactive run with exit 1, progress kept', async () => {
    const demo = fakeDemo({
      run: (id) => {
        if (id === 'setup-2') throw Object.assign(new Error('Access Denied\nmore'), { name: 'AccessDenied' });
      },
    });
    const io = new RecordingIO(false);
    const result = await new CourseRunner(demo, fakeSession(), io, options()).run();
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(io.text).toContain('✖ The step failed: AccessDenied: Access Denied');
    const saved = new ProgressStore(home, 'sandbox', 'demo9').load()!;
    expect(saved.steps['setup-1']).toMatchObject({ passed: 1, failed: 0 });
    // The failed step is remembered (for the summary and status) but not as done.
    expect(saved.steps['setup-2']).toMatchObject({ error: 'AccessDenied: Access Denied' });
    expect(io.text).toContain('1 check passed, 0 failed; 1 step failed (step 1.2)');
  });

  it('"tear down now" shows the plan, asks, deletes and closes the progress', async () => {
    const session = fakeSession({
      resources: [{ kind: 'iam-role', name: 'role', arn: 'arn:aws:iam::0:role/role' }],
    });
    const io = new RecordingIO(true, ['teardown', true]);
    const result = await new CourseRunner(fakeDemo(), session, io, options()).run();
    expect(result).toMatchObject({ status: 'torn-down', exitCode: 0 });
    expect(session.applied).toBe(1);
    expect(io.text).toContain('deleted iam-role role');
    expect(new ProgressStore(home, 'sandbox', 'demo9').load()?.finished?.tornDown).toBe(true);
    expect(io.text).not.toContain('Resume with');
  });

  it('declining the teardown phase keeps everything and the progress', async () => {
    const session = fakeSession({ resources: [{ kind: 'iam-role', name: 'role', arn: 'arn' }] });
    const io = new RecordingIO(true, [...Array(8).fill('continue'), false]);
    const result = await new CourseRunner(fakeDemo(), session, io, options()).run();
    expect(result.status).toBe('quit');
    expect(session.applied).toBe(0);
    expect(new ProgressStore(home, 'sandbox', 'demo9').load()).toBeDefined();
  });

  it('an incomplete teardown (leftovers) is a failure and keeps progress', async () => {
    const leftover = { kind: 's3-bucket' as const, name: 'b', arn: 'arn:aws:s3:::b' };
    const session = fakeSession({ resources: [leftover], teardownReport: { leftovers: [leftover] } });
    const io = new RecordingIO(false);
    const result = await new CourseRunner(fakeDemo(), session, io, options({ phases: ['teardown'] })).run();
    expect(io.text).toContain('Teardown incomplete: 0 failed, 1 left over');
    expect(new ProgressStore(home, 'sandbox', 'demo9').load()).toBeDefined();
    expect(result.status).toBe('completed');
  });
});

describe('CourseRunner tells the truth about what happened', () => {
  const failingCheck = (id: string) => (target: string) =>
    target === id ? [{ label: 'count', passed: false, expected: '150', actual: '120' }] : undefined;

  it('a step whose checks fail is not saved as done: a resume runs it again', async () => {
    const first = await new CourseRunner(
      fakeDemo({ check: failingCheck('setup-2') }),
      fakeSession(),
      new RecordingIO(false),
      options({ phases: ['setup', 'execution'] }),
    ).run();
    expect(first).toMatchObject({ failed: 1, exitCode: 1 });
    const saved = new ProgressStore(home, 'sandbox', 'demo9').load()!;
    expect(saved.steps['setup-2']).toMatchObject({ failed: 1 });

    const runs: string[] = [];
    const io = new RecordingIO(false);
    const second = await new CourseRunner(
      fakeDemo({ run: (id) => void runs.push(id) }),
      fakeSession(),
      io,
      options({ phases: ['setup', 'execution'] }),
    ).run();
    expect(io.questions[0]).toMatch(/completed 3 of 4 steps earlier\. Resume at "setup step 2"/);
    expect(runs).toEqual(['setup-2']);
    expect(second).toMatchObject({ passed: 4, failed: 0, exitCode: 0 });
  });

  it('quitting after a failed step exits 1 and the summary counts the failed step', async () => {
    const demo = fakeDemo({
      run: (id) => {
        if (id === 'execution-1') throw new Error('boom');
      },
    });
    const session = fakeSession({ resources: [{ kind: 's3-bucket', name: 'b', arn: 'arn:aws:s3:::b' }] });
    const io = new RecordingIO(true, ['continue', 'continue', 'quit']);
    const result = await new CourseRunner(demo, session, io, options()).run();
    expect(result).toMatchObject({ status: 'quit', passed: 2, failed: 0, failedSteps: 1, exitCode: 1 });
    expect(io.text).toContain('2 checks passed, 0 failed; 1 step failed (step 2.1)');
  });

  it('quitting after failed checks exits 1 too', async () => {
    const io = new RecordingIO(true, ['quit']);
    const result = await new CourseRunner(
      fakeDemo({ check: failingCheck('setup-1') }),
      fakeSession(),
      io,
      options(),
    ).run();
    expect(result).toMatchObject({ status: 'quit', failed: 1, exitCode: 1 });
    expect(io.questions).toContain('1 check failed. What next?');
  });

  it('offers to keep or delete resources only while the ledger names some', async () => {
    const offered: string[][] = [];
    const session = fakeSession({ resources: [{ kind: 's3-bucket', name: 'b', arn: 'arn:aws:s3:::b' }] });
    class Watching extends RecordingIO {
      override async select<T extends string>(q: Parameters<RecordingIO['select']>[0]): Promise<T> {
        offered.push(q.choices.map((c) => c.label));
        return super.select(q) as Promise<T>;
      }
    }
    const io = new Watching(true, []);
    await new CourseRunner(fakeDemo(), session, io, options({ phases: ['recovery', 'teardown'] })).run();
    // Before teardown: both offered. After the teardown step deleted everything: neither.
    expect(offered[0]).toContain('Quit, keeping resources (resume later)');
    expect(offered[0]).toContain('Tear down now');
    expect(offered.at(-1)).not.toContain('Tear down now');
    expect(offered.at(-1)).not.toContain('Quit, keeping resources (resume later)');
    expect(offered.at(-1)).toContain('Quit (nothing is deployed now)');
    expect(offered.at(-1)).toContain('Finish');
  });
});

describe('CourseRunner and phase prerequisites', () => {
  it('without a terminal, a phase run without what it builds on is refused (nothing runs)', async () => {
    const runs: string[] = [];
    const demo = fakeDemo({ chained: true, run: (id) => void runs.push(id) });
    const run = new CourseRunner(
      demo,
      fakeSession(),
      new RecordingIO(false),
      options({ phases: ['recovery'] }),
    ).run();
    await expect(run).rejects.toMatchObject({ name: 'PhasePrerequisiteError' });
    await expect(run).rejects.toThrow(
      /recovery builds on setup, execution and failure .*which have not run on this deployment\. Run them together: course-cli demo9 run --phase setup --phase execution --phase failure --phase recovery/,
    );
    expect(runs).toEqual([]);
  });

  it('interactively, it offers to run the missing phases first, then runs them in order', async () => {
    const runs: string[] = [];
    const demo = fakeDemo({ chained: true, run: (id) => void runs.push(id) });
    const io = new RecordingIO(true, [true]);
    const result = await new CourseRunner(demo, fakeSession(), io, options({ phases: ['failure'] })).run();
    expect(io.questions[0]).toMatch(
      /^failure builds on setup and execution .* Run setup and execution first\?$/,
    );
    expect(runs).toEqual(['setup-1', 'setup-2', 'execution-1', 'execution-2', 'failure-1', 'failure-2']);
    expect(result.exitCode).toBe(0);
  });

  it('declining the offer runs nothing and is refused', async () => {
    const runs: string[] = [];
    const demo = fakeDemo({ chained: true, run: (id) => void runs.push(id) });
    const run = new CourseRunner(
      demo,
      fakeSession(),
      new RecordingIO(true, [false]),
      options({ phases: ['execution'] }),
    ).run();
    await expect(run).rejects.toMatchObject({ name: 'PhasePrerequisiteError' });
    expect(runs).toEqual([]);
  });

  it('a phase whose prerequisites are done runs alone; re-running a phase makes later ones stale', async () => {
    const demo = fakeDemo({ chained: true });
    await new CourseRunner(demo, fakeSession(), new RecordingIO(false), options({ keep: true })).run();
    const store = new ProgressStore(home, 'sandbox', 'demo9');
    expect(Object.keys(store.load()!.steps)).toHaveLength(8);

    // Only failure again: its own steps re-run; recovery, built on it, is no longer done.
    const runs: string[] = [];
    const again = fakeDemo({ chained: true, run: (id) => void runs.push(id) });
    await new CourseRunner(
      again,
      fakeSession(),
      new RecordingIO(false),
      options({ phases: ['failure'] }),
    ).run();
    expect(runs).toEqual(['failure-1', 'failure-2']);
    const steps = Object.keys(store.load()!.steps);
    expect(steps).toContain('failure-2');
    expect(steps).not.toContain('recovery-1');

    // So recovery alone is fine now (failure is done), and a plain resume would run it.
    const later: string[] = [];
    const third = fakeDemo({ chained: true, run: (id) => void later.push(id) });
    await new CourseRunner(
      third,
      fakeSession(),
      new RecordingIO(false),
      options({ phases: ['recovery'] }),
    ).run();
    expect(later).toEqual(['recovery-1', 'recovery-2']);
  });
});
