/**
 * followExecution against real executions in a sandbox (real HTTP): transitions printed as plain
 * lines the moment the history shows them, the graph redrawn through the progress line, the final
 * graph printed once; a bounded wait and Ctrl-C end it with named errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { buildStateGraph } from '../../src/course/execution/executionGraph.js';
import {
  ExecutionFollowAbortedError,
  ExecutionFollowTimeoutError,
  followExecution,
} from '../../src/course/execution/followExecution.js';
import { RecordingIO } from './fakes.js';

let home: string;
let target: ConnectedTarget;
let machineArn: string;

const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Pause' },
    Pause: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.ok', BooleanEquals: false, Next: 'Refuse' }],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
    Refuse: { Type: 'Fail', Error: 'Refused', Cause: 'ok was false' },
  },
};

/** RecordingIO that also keeps what the live progress line was set to. */
class LiveRecordingIO extends RecordingIO {
  readonly updates: string[] = [];
  override async progress<T>(text: string, work: (update: (t: string) => void) => Promise<T>): Promise<T> {
    this.print(`… ${text}`);
    return work((t) => this.updates.push(t));
  }
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-follow-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
  const rm = target.resources('demo9');
  const role = await rm.role({
    part: 'sfn',
    description: 'test',
    trustedService: 'states.amazonaws.com',
    inlinePolicies: {
      none: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
    },
  });
  machineArn = (await rm.stateMachine({ part: 'flow', roleArn: role.arn, definition })).arn;
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function start(input: object): Promise<string> {
  const out = await target.clients.sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input) }),
  );
  return out.executionArn!;
}

const follow = (
  io: RecordingIO,
  executionArn: string,
  more: { timeoutMs?: number; signal?: AbortSignal; finalView?: 'graph' | 'path' } = {},
) =>
  followExecution({
    sfn: target.clients.sfn,
    executionArn,
    graph: buildStateGraph(definition),
    out: io,
    clock: target.clock,
    signal: more.signal ?? new AbortController().signal,
    timeoutMs: more.timeoutMs,
    finalView: more.finalView,
  });

describe('followExecution', () => {
  it('prints each transition once, redraws the graph live and prints the final graph', async () => {
    const io = new LiveRecordingIO(false);
    // 30 s of sandbox time at ×60: half a second of real time, several polls.
    const arn = await start({ wait: 30, ok: true });
    const followed = await follow(io, arn);
    expect(followed.progress.status).toBe('SUCCEEDED');
    expect(followed.description.status).toBe('SUCCEEDED');
    const transitions = io.lines
      .filter((l) => /^\s+\+\d+\.\d s /.test(l))
      .map((l) => l.trim().replace(/^\+\S+ s\s+/, ''));
    expect(transitions).toEqual([
      'execution started',
      'Prepare: running',
      'Prepare: succeeded',
      'Pause: running',
      'Pause: succeeded',
      'Route: running',
      'Route: succeeded',
      'Done: running',
      'Done: succeeded',
      'execution SUCCEEDED',
    ]);
    // While it waited, the live line showed the path: Pause running, the rest pending.
    expect(io.updates).toContain(
      `${arn.split(':').at(-1)!.slice(0, 8)}…: ✔ Prepare → ▶ Pause → ○ Route → ○ Done`,
    );
    expect(io.updates.every((u) => !u.includes('\n'))).toBe(true);
    // The progress line ends as its one-line label; the final graph is printed as a block.
    expect(io.updates.at(-1)).toBe(`Following execution ${arn.split(':').at(-1)}`);
    expect(io.text).toMatch(/^\s*Execution \S+ · SUCCEEDED · \d+\.\d s target time \(×60\)$/m);
    expect(io.text).toContain('✔ Pause');
    expect(io.text).toContain('◎ end: succeeded');
    expect(io.text).toContain('choice from Route:');
    expect(io.text).toMatch(/○ pending {2}▶ running {2}↻ retrying {2}✔ succeeded {2}✖ failed {2}↪ caught$/m);
  });

  it('shows a Fail state as where the execution failed', async () => {
    const io = new LiveRecordingIO(false);
    const followed = await follow(io, await start({ wait: 0, ok: false }));
    expect(followed.progress.status).toBe('FAILED');
    expect(followed.progress.error).toEqual({ error: 'Refused', cause: 'ok was false' });
    expect(io.text).toContain('execution FAILED — Refused: ok was false');
    expect(io.text).toMatch(/✖ Refuse +failed here: Refused/);
  });

  it('can end with only the path it took, for a machine the learner has seen drawn already', async () => {
    const io = new LiveRecordingIO(false);
    const followed = await follow(io, await start({ wait: 0, ok: true }), { finalView: 'path' });
    expect(followed.progress.status).toBe('SUCCEEDED');
    expect(followed.graph).toEqual(['✔ Prepare → ✔ Pause → ✔ Route → ✔ Done']);
    expect(io.text).toMatch(/^\s*Execution \S+ · SUCCEEDED/m);
    expect(io.text).toContain('✔ Prepare → ✔ Pause → ✔ Route → ✔ Done');
    // Neither the graph's branches nor the legend.
    expect(io.text).not.toContain('choice from Route:');
    expect(io.text).not.toContain('↪ caught');
  });

  it('gives up after its bound of target time, and stops on Ctrl-C', async () => {
    const long = await start({ wait: 3600, ok: true });
    await expect(follow(new LiveRecordingIO(false), long, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(
      ExecutionFollowTimeoutError,
    );
    const abort = new AbortController();
    abort.abort();
    await expect(follow(new LiveRecordingIO(false), long, { signal: abort.signal })).rejects.toBeInstanceOf(
      ExecutionFollowAbortedError,
    );
  });
});
