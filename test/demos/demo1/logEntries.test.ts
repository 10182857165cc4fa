/**
 * Lambda log lines as the learner reads them (level, message, fields; request ids apart), and runs
 * grouped by request id so that every count agrees — a retried async run is one run, several
 * attempts.
 */
import { describe, expect, it } from 'vitest';
import { classifyLine, type LogLine } from '../../../demos/shared/logEvents.js';
import { requestIdOf, toLogEntry } from '../../../demos/shared/lambdaLogEntries.js';
import { groupRuns, scheduledRuns } from '../../../demos/demo1-scheduler-lambda/runs.js';
import { drained, unfinishedRuns } from '../../../demos/demo1-scheduler-lambda/steps/teardown.js';

let t = 0;
const line = (message: string, stream = 's1'): LogLine => ({
  timestamp: (t += 1000),
  stream,
  message,
  ...classifyLine(message),
});
const A = '66ae5bf6-61f4-40fa-b2fb-d7b9bbe1a94f';
const B = '6eac4677-cc71-431f-991e-dfa250b9be04';
const started = (id: string, trigger = 'schedule') =>
  line(
    `2026-11-30T17:31:07.231Z\t${id}\tINFO\t${JSON.stringify({ level: 'INFO', message: 'run started', trigger, event_time: '2026-11-30T17:31:00.000Z', window: { dt: '2026-11-30', hour: '16' } })}`,
  );

describe('Lambda log lines as log entries', () => {
  it('runtime lines: the level, the request id apart, the rest tidied', () => {
    expect(
      toLogEntry(line(`REPORT RequestId: ${A}\tDuration: 7.67 ms\tBilled Duration: 8 ms`)),
    ).toMatchObject({
      level: 'REPORT',
      source: A,
      message: 'Duration: 7.67 ms · Billed Duration: 8 ms',
    });
    expect(toLogEntry(line(`END RequestId: ${A}`))).toMatchObject({ level: 'END', source: A, message: '' });
  });

  it("the handler's JSON line: its level and message, and its fields without the stack", () => {
    const skip = line(
      `2026-11-30T17:31:08.974Z\t${A}\tINFO\t${JSON.stringify({ level: 'INFO', message: 'window already processed, skipping', window: { dt: '2026-11-30', hour: '16' }, record_count: 120 })}`,
    );
    expect(toLogEntry(skip)).toMatchObject({
      level: 'INFO',
      source: A,
      message: 'window already processed, skipping',
      fields: { window: { dt: '2026-11-30', hour: '16' }, record_count: 120 },
    });
    const crash = line(
      `2026-11-30T17:32:16.794Z\t${A}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'MissingInputError', errorMessage: 'no raw files', stack: ['at x'] })}`,
    );
    expect(toLogEntry(crash)).toEqual({
      timestamp: crash.timestamp,
      source: A,
      level: 'ERROR',
      message: 'Invoke Error',
      fields: { errorType: 'MissingInputError', errorMessage: 'no raw files' },
    });
  });

  it("Lambda's JSON log format", () => {
    const json = line(
      JSON.stringify({
        timestamp: '2026-11-30T17:31:08Z',
        level: 'ERROR',
        requestId: B,
        message: { message: 'missing input', window: 'w' },
      }),
    );
    expect(toLogEntry(json)).toMatchObject({
      level: 'ERROR',
      source: B,
      message: 'missing input',
      fields: { window: 'w' },
    });
    expect(requestIdOf(json)).toBe(B);
  });
});

describe('runs grouped by request id', () => {
  it('counts a retried run once, with its attempts, and agrees on finished and failed', () => {
    const lines = [
      line(`START RequestId: ${A} Version: $LATEST`),
      started(A),
      line(
        `2026-11-30T17:31:08Z\t${A}\tERROR\t${JSON.stringify({ level: 'ERROR', message: 'missing input' })}`,
      ),
      line(`END RequestId: ${A}`),
      line(`REPORT RequestId: ${A}\tDuration: 1 ms`),
      // Lambda's retry of the same async invocation: same request id, a new attempt.
      line(`START RequestId: ${A} Version: $LATEST`, 's2'),
      started(A),
      line(`END RequestId: ${A}`, 's2'),
      line(`REPORT RequestId: ${A}\tDuration: 1 ms`, 's2'),
      line(`START RequestId: ${B} Version: $LATEST`),
      started(B, 'backfill'),
    ];
    const runs = groupRuns(lines);
    expect(runs.map((r) => [r.requestId, r.attempts, r.finished, r.failed, r.trigger])).toEqual([
      [A, 2, 2, true, 'schedule'],
      [B, 1, 0, false, 'backfill'],
    ]);
    expect(scheduledRuns(runs).map((r) => r.requestId)).toEqual([A]);
    expect(runs[0]!.eventTime).toBe(Date.parse('2026-11-30T17:31:00.000Z'));
    expect(unfinishedRuns(lines)).toEqual([B]);
  });

  it("teardown's drain: done at once when the next tick was not yet due; else it waits for the lines", () => {
    const tick = Date.parse('2026-11-30T17:31:00.000Z');
    const finished = [
      line(`START RequestId: ${A} Version: $LATEST`),
      started(A),
      line(`END RequestId: ${A}`),
      line(`REPORT RequestId: ${A}\tDuration: 1 ms`),
    ];
    // Disabled 20 s after the newest tick: the next was 40 s away, no run can have started unseen.
    expect(drained(finished, tick + 20_000, 0)).toBe(true);
    // Disabled 55 s after it: the next tick may have fired and its START not arrived yet.
    expect(drained(finished, tick + 55_000, 0)).toBe(false);
    expect(drained(finished, tick + 55_000, 10_000)).toBe(true);
    // No scheduled run seen at all: nothing to go by but the wait.
    expect(drained([], tick, 0)).toBe(false);
    expect(drained([], tick, 10_000)).toBe(true);
    // A rule created 20 s before it was disabled has not fired yet (its first tick is a period on).
    expect(drained([], tick + 20_000, 0, tick)).toBe(true);
    expect(drained([], tick + 55_000, 0, tick)).toBe(false);
    // A run still going is waited for, however long it has been.
    const going = finished.slice(0, 2);
    expect(drained(going, tick + 20_000, 40_000)).toBe(false);
  });
});
