/**
 * The live execution view on recorded histories (GetExecutionHistory of demo2's pipeline, recorded
 * from the sandbox): success, retry, catch and redrive — each replayed event by event, as the
 * follower sees them arrive, checking every state's status at the moments that matter and the
 * lines a learner reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { RecordingIO } from './fakes.js';
import { buildStateGraph, InvalidDefinitionError } from '../../src/course/execution/executionGraph.js';
import { executionProgress, type ExecutionProgress } from '../../src/course/execution/executionProgress.js';
import {
  errorList,
  renderExecutionGraph,
  formatOffset,
  renderStatusLegend,
  renderExecutionHeadline,
  renderExecutionPath,
  renderTransition,
  transitionParts,
} from '../../src/course/execution/executionView.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'executions');
const definition = JSON.parse(fs.readFileSync(path.join(dir, 'definition.json'), 'utf8')) as unknown;
const graph = buildStateGraph(definition);

function recorded(name: string): HistoryEvent[] {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
    events: Array<HistoryEvent & { timestamp: string }>;
  };
  return doc.events.map((e) => ({ ...e, timestamp: new Date(e.timestamp) }));
}

/** The progress after the events up to and including the first one of `type` (after `skip` of them). */
function upTo(events: HistoryEvent[], type: string, skip = 0): ExecutionProgress {
  const at = events.map((e, i) => (e.type === type ? i : -1)).filter((i) => i >= 0)[skip];
  if (at === undefined) throw new Error(`no ${type} #${skip + 1} in the history`);
  return executionProgress(graph, events.slice(0, at + 1));
}

const statuses = (p: ExecutionProgress): Record<string, string> =>
  Object.fromEntries([...p.states].map(([n, s]) => [n, s.status]));

describe('the state graph of a definition', () => {
  it('draws the main path first, then the catch path with where it branches off', () => {
    expect(graph.startAt).toBe('Validate');
    expect(graph.paths.map((p) => p.nodes)).toEqual([
      ['Validate', 'Transform', 'Load'],
      ['Quarantine', 'Rejected'],
    ]);
    expect(graph.paths[1]!.from).toEqual({ state: 'Validate', via: 'catch ValidationError' });
    expect(graph.nodes.get('Transform')!.retries[0]).toEqual({
      errors: ['TransientError'],
      maxAttempts: 3,
      intervalSeconds: 2,
      backoffRate: 2,
    });
  });

  it('follows Choice branches and joins, and lists unreachable states', () => {
    const g = buildStateGraph({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'A' }], Default: 'B' },
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Succeed' },
        Orphan: { Type: 'Pass', End: true },
      },
    });
    expect(g.paths.map((p) => ({ nodes: p.nodes, from: p.from, joins: p.joins }))).toEqual([
      { nodes: ['Pick', 'B'], from: undefined, joins: undefined },
      { nodes: ['A'], from: { state: 'Pick', via: 'choice' }, joins: 'B' },
      { nodes: ['Orphan'], from: { state: 'Orphan', via: 'unreachable' }, joins: undefined },
    ]);
  });

  it('refuses what is not a definition, with a named error', () => {
    expect(() => buildStateGraph('{not json')).toThrow(InvalidDefinitionError);
    expect(() => buildStateGraph({ States: {} })).toThrow(InvalidDefinitionError);
    expect(() => buildStateGraph({ StartAt: 'X', States: { Y: { Type: 'Succeed' } } })).toThrow(
      /StartAt names a state that does not exist: X/,
    );
  });
});

describe('success', () => {
  const events = recorded('success');

  it('shows each state running in turn, then all succeeded', () => {
    expect(statuses(upTo(events, 'TaskStarted'))).toEqual({
      Validate: 'running',
      Transform: 'pending',
      Load: 'pending',
      Quarantine: 'pending',
      Rejected: 'pending',
    });
    expect(statuses(upTo(events, 'TaskStarted', 1))).toMatchObject({
      Validate: 'succeeded',
      Transform: 'running',
      Load: 'pending',
    });
    const done = executionProgress(graph, events);
    expect(done.status).toBe('SUCCEEDED');
    expect(statuses(done)).toMatchObject({
      Validate: 'succeeded',
      Transform: 'succeeded',
      Load: 'succeeded',
    });
    expect(done.transitions.map((t) => `${t.state ?? '-'}: ${t.text}`)).toEqual([
      '-: execution started',
      'Validate: running',
      'Validate: succeeded',
      'Transform: running',
      'Transform: succeeded',
      'Load: running',
      'Load: succeeded',
      '-: execution SUCCEEDED',
    ]);
  });

  it('renders the graph with marks, rules and the end', () => {
    const lines = renderExecutionGraph(graph, executionProgress(graph, events), { width: 100 });
    expect(lines.filter((l) => /^[○▶↻✔✖↪◎]/.test(l))).toEqual([
      '✔ Validate    succeeded',
      '✔ Transform   succeeded',
      '✔ Load        succeeded',
      '◎ end: succeeded',
      '○ Quarantine  pending',
      '○ Rejected    pending (Fail state)',
    ]);
    expect(lines).toContain('│   Retry TransientError: up to 3 times, 2 s then ×2');
    expect(lines).toContain('│   Retry Lambda.* (4): up to 3 times, 1 s then ×2');
    expect(lines).toContain('│   Catch ValidationError → Quarantine');
    expect(lines).toContain('catch ValidationError from Validate:');
    // Live (rules off) it is just the states.
    expect(renderExecutionGraph(graph, executionProgress(graph, events), { rules: false })).not.toContain(
      '│   Catch ValidationError → Quarantine',
    );
  });
});

describe('retry', () => {
  const events = recorded('retry');

  it('shows Transform retrying between failed attempts, then succeeding on attempt 3', () => {
    const afterFirstFailure = upTo(events, 'TaskFailed');
    const t = afterFirstFailure.states.get('Transform')!;
    expect(t.status).toBe('retrying');
    expect(t.attempts).toBe(1);
    expect(t.lastError?.error).toBe('TransientError');
    expect(renderExecutionGraph(graph, afterFirstFailure, { width: 200 })).toContain(
      '↻ Transform   retrying: attempt 1 failed, TransientError',
    );
    expect(upTo(events, 'TaskScheduled', 2).states.get('Transform')).toMatchObject({
      status: 'running',
      attempts: 2,
    });
    const done = executionProgress(graph, events);
    expect(done.states.get('Transform')).toMatchObject({ status: 'succeeded', attempts: 3, entries: 1 });
    expect(done.transitions.filter((x) => x.state === 'Transform').map((x) => x.text)).toEqual([
      'running',
      'attempt 1 failed — TransientError: simulated transient failure on attempt 1 (FAIL_FIRST_ATTEMPTS=2); Retry will try again',
      'attempt 2 started (Retry)',
      'attempt 2 failed — TransientError: simulated transient failure on attempt 2 (FAIL_FIRST_ATTEMPTS=2); Retry will try again',
      'attempt 3 started (Retry)',
      'succeeded on attempt 3',
    ]);
    expect(renderExecutionGraph(graph, done)).toContain('✔ Transform   succeeded on attempt 3');
  });
});

describe('catch', () => {
  const events = recorded('catch');

  it('shows Validate caught, the quarantine path run and the execution failing at Rejected', () => {
    const done = executionProgress(graph, events);
    expect(done.status).toBe('FAILED');
    expect(done.error?.error).toBe('OrdersFileRejected');
    expect(statuses(done)).toEqual({
      Validate: 'caught',
      Transform: 'pending',
      Load: 'pending',
      Quarantine: 'succeeded',
      Rejected: 'failed',
    });
    expect(done.states.get('Validate')!.caughtTo).toBe('Quarantine');
    const lines = renderExecutionGraph(graph, done, { width: 100 });
    expect(lines).toContain('↪ Validate    caught ValidationError → Quarantine');
    expect(lines).toContain('✖ Rejected    failed here: OrdersFileRejected');
    expect(done.transitions.map((t) => `${t.state ?? '-'}: ${t.text}`).slice(2, 7)).toEqual([
      expect.stringMatching(
        /^Validate: attempt 1 failed — ValidationError: incoming\/orders\/.* is not valid order data/,
      ),
      'Validate: caught ValidationError → Quarantine',
      'Quarantine: running',
      'Quarantine: succeeded',
      'Rejected: entered: the execution fails here',
    ]);
  });

  it('predicts no retry for an error no Retry names', () => {
    // Right after Validate's failure, before the catch is taken: not "retrying".
    expect(upTo(events, 'TaskFailed').states.get('Validate')!.status).toBe('failed');
  });
});

describe('redrive', () => {
  const events = recorded('redrive');

  it('before the redrive: failed at Load after its retries; after: Load re-run alone', () => {
    const failed = upTo(events, 'ExecutionFailed');
    expect(failed.status).toBe('FAILED');
    expect(failed.states.get('Load')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(renderExecutionGraph(graph, failed, { width: 200 })).toContain(
      '✖ Load        failed after 3 attempts: DestinationUnavailableError',
    );

    const done = executionProgress(graph, events);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.redriveCount).toBe(1);
    expect(done.states.get('Validate')).toMatchObject({ status: 'succeeded', entries: 1, lastRun: 0 });
    expect(done.states.get('Transform')).toMatchObject({ status: 'succeeded', entries: 1, lastRun: 0 });
    expect(done.states.get('Load')).toMatchObject({
      status: 'succeeded',
      entries: 2,
      lastRun: 1,
      attempts: 1,
    });
    const lines = renderExecutionGraph(graph, done, { width: 100 });
    expect(lines).toContain('✔ Validate    succeeded, not re-run by the redrive');
    expect(lines).toContain('✔ Transform   succeeded, not re-run by the redrive');
    expect(lines).toContain('✔ Load        succeeded');
    expect(renderExecutionHeadline('x', done)).toMatch(/^Execution x · SUCCEEDED · redriven ×1 · \d+\.\d s$/);
    expect(renderExecutionHeadline('x', done, 30)).toMatch(/ s target time \(×30\)$/);
  });

  it('lets a follower print only what happened after the redrive', () => {
    const lastBefore = events.find((e) => e.type === 'ExecutionFailed')!.id!;
    const after = executionProgress(graph, events).transitions.filter((t) => t.eventId > lastBefore);
    expect(after.map((t) => `${t.state ?? '-'}: ${t.text}`)).toEqual([
      '-: execution redriven (redrive 1): it resumes at the state that failed',
      'Load: running (entered again by redrive 1)',
      'Load: succeeded',
      '-: execution SUCCEEDED',
    ]);
  });
});

describe('the one-line path (the live progress line)', () => {
  it('follows the main path, then the branch the execution took', () => {
    const retry = recorded('retry');
    expect(renderExecutionPath(graph, upTo(retry, 'TaskFailed'))).toBe(
      '✔ Validate → ↻ Transform (attempt 1 failed) → ○ Load',
    );
    expect(renderExecutionPath(graph, upTo(retry, 'TaskScheduled', 2))).toBe(
      '✔ Validate → ▶ Transform (attempt 2) → ○ Load',
    );
    expect(renderExecutionPath(graph, executionProgress(graph, recorded('catch')))).toBe(
      '↪ Validate → ✔ Quarantine → ✖ Rejected',
    );
    expect(renderExecutionPath(graph, upTo(recorded('redrive'), 'ExecutionFailed'))).toBe(
      '✔ Validate → ✔ Transform → ✖ Load',
    );
  });
});

describe('lines', () => {
  it('of the graph fit the width they are given; transitions are whole (the output wraps them)', () => {
    for (const name of ['success', 'retry', 'catch', 'redrive']) {
      const p = executionProgress(graph, recorded(name));
      for (const l of renderExecutionGraph(graph, p, { width: 56 }))
        expect([...l].length).toBeLessThanOrEqual(56);
      for (const t of p.transitions) {
        const line = renderTransition(t, p.startedAt);
        expect(line).toMatch(/^\+\d+\.\d s /);
        expect(line.endsWith(t.text)).toBe(true);
      }
    }
  });

  it('of the graph wrap under their own text at a narrow width, never cut', () => {
    const failed = upTo(recorded('redrive'), 'ExecutionFailed');
    const lines = renderExecutionGraph(graph, failed, { width: 44 });
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(44);
    expect(lines.some((l) => l.endsWith('…'))).toBe(false);
    // Load's status wraps under its status text, its rule under the rule, the rail kept.
    const load = lines.findIndex((l) => l.startsWith('✖ Load'));
    expect(lines[load + 1]).toMatch(/^│ {13}\S/);
    const text = lines
      .map((l) => l.replace(/^│/, ''))
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(text).toContain('failed after 3 attempts: DestinationUnavailableError');
    expect(text).toContain('Retry DestinationUnavailableError: up to 2 times, 2 s then ×2');
    expect(lines.some((l) => /^│ {5}\S/.test(l))).toBe(true);
    expect(renderStatusLegend(40)).toEqual([
      '○ pending  ▶ running  ↻ retrying',
      '✔ succeeded  ✖ failed  ↪ caught',
    ]);
  });

  it('of transitions wrap under their text, not under the time (a hanging indent)', () => {
    class NarrowIO extends RecordingIO {
      override get width(): number {
        return 40;
      }
    }
    const io = new NarrowIO(false);
    const { lead, text } = transitionParts(
      { at: 12_345, state: 'Transform', text: 'attempt 1 failed — States.TaskFailed: the input was late' },
      0,
    );
    expect(lead).toBe('+12.3 s ');
    io.say(text, { lead });
    expect(io.lines[0]).toBe('  +12.3 s Transform: attempt 1 failed —');
    expect(io.lines.length).toBeGreaterThan(1);
    for (const l of io.lines.slice(1)) expect(l).toMatch(/^ {10}\S/);
    for (const l of io.lines) expect([...l].length).toBeLessThanOrEqual(40);
    expect(io.lines.map((l) => l.trim()).join(' ')).toBe(`+12.3 s ${text}`);
  });

  it('give times since the start in units a reader takes in at a glance', () => {
    expect(formatOffset(12_345)).toBe('12.3 s');
    expect(formatOffset(119_940)).toBe('119.9 s');
    expect(formatOffset(245_000)).toBe('4 min 05 s');
    // A redrive hours later on a fast sandbox clock.
    expect(formatOffset(13_078_200)).toBe('3 h 37 min');
    expect(renderTransition({ at: 13_078_200, state: 'Load', text: 'succeeded' }, 0)).toBe(
      '+3 h 37 min Load: succeeded',
    );
  });

  it('fold error names that share a service prefix', () => {
    expect(errorList(['A', 'Lambda.X', 'Lambda.Y', 'States.Timeout'])).toBe(
      'A, Lambda.* (2), States.Timeout',
    );
  });
});

describe('a long cause', () => {
  it('is shown whole in the transition line (the output wraps it), its error code at the end kept', () => {
    // What Step Functions records when its role may not invoke the function: the code comes last.
    const cause =
      'User: arn:aws:sts::000000000000:assumed-role/course-demo2-r1-pipeline-states-role/session is not ' +
      'authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:' +
      'function:course-demo2-r1-transform because no identity-based policy allows the lambda:InvokeFunction ' +
      'action (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: 1)';
    const events = recorded('retry');
    const first = events.findIndex((e) => e.type === 'TaskFailed');
    const denied = events.slice(0, first + 1).map((e, i): HistoryEvent =>
      i === first
        ? {
            ...e,
            taskFailedEventDetails: {
              ...e.taskFailedEventDetails!,
              error: 'Lambda.AWSLambdaException',
              cause,
            },
          }
        : e,
    );
    const texts = executionProgress(graph, denied).transitions.map((t) => t.text);
    const line = `attempt 1 failed — Lambda.AWSLambdaException: ${cause}`;
    expect(
      texts.some((t) => t === line || t.startsWith(`${line};`)),
      texts.join('\n'),
    ).toBe(true);
  });
});

describe('a loop (a Choice that goes back)', () => {
  const loop = buildStateGraph({
    StartAt: 'Check',
    States: {
      Check: { Type: 'Pass', Next: 'Again' },
      Again: {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericLessThan: 2, Next: 'Check' }],
        Default: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  let id = 0;
  const ev = (type: string, extra: Partial<HistoryEvent> = {}): HistoryEvent =>
    ({ id: ++id, previousEventId: id - 1, timestamp: t(id), type, ...extra }) as HistoryEvent;
  const enter = (type: string, name: string) => ev(type, { stateEnteredEventDetails: { name } });
  const exit = (type: string, name: string) => ev(type, { stateExitedEventDetails: { name } });
  const events: HistoryEvent[] = [
    ev('ExecutionStarted'),
    enter('PassStateEntered', 'Check'),
    exit('PassStateExited', 'Check'),
    enter('ChoiceStateEntered', 'Again'),
    exit('ChoiceStateExited', 'Again'),
    enter('PassStateEntered', 'Check'),
    exit('PassStateExited', 'Check'),
    enter('ChoiceStateEntered', 'Again'),
    exit('ChoiceStateExited', 'Again'),
    enter('SucceedStateEntered', 'Done'),
    exit('SucceedStateExited', 'Done'),
    ev('ExecutionSucceeded'),
  ];

  it('counts the passes through a state, and calls none of them a redrive', () => {
    const lines = executionProgress(loop, events).transitions.map((x) => `${x.state ?? '-'}: ${x.text}`);
    expect(lines).toContain('Check: running (entered again, pass 2)');
    expect(lines).toContain('Again: running (entered again, pass 2)');
    expect(lines.join('\n')).not.toMatch(/run 0|redrive/);
  });
});
