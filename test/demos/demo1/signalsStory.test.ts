/**
 * The failure phase's words follow its evidence: the sentence under the signals table is computed
 * from the same signals (a failing run means no "logs and metrics agree"), and what the run after the
 * late delivery did is read from its own log lines — skipped the hour, or moved on to a later one.
 */
import { describe, expect, it } from 'vitest';
import {
  signalsConclusion,
  signalsFrom,
  whatTheRunDid,
} from '../../../demos/demo1-scheduler-lambda/steps/failure.js';
import type { FunctionRun } from '../../../demos/demo1-scheduler-lambda/runs.js';
import type { ScheduleMetrics } from '../../../demos/demo1-scheduler-lambda/metricSignals.js';
import { classifyLine, type LogLine } from '../../../demos/shared/logEvents.js';
import type { MetricReading } from '../../../demos/shared/metrics.js';

const reading = (total: number, max = total): MetricReading => ({
  ref: { namespace: 'AWS/Lambda', metricName: 'x', dimensions: {} },
  points: total || max ? [{ t: 0, value: total }] : [],
  total,
  max,
  latest: 0,
});
const metrics = (errors: number): ScheduleMetrics => ({
  fnInvocations: reading(2),
  fnErrors: reading(errors),
  ruleInvocations: reading(2),
  ruleFailed: reading(0),
});
const run = (id: string, failed: boolean): FunctionRun => ({
  requestId: id,
  lines: [],
  attempts: 1,
  finished: 1,
  trigger: 'schedule',
  startedAt: 0,
  failed,
});

describe('the signals table and its sentence', () => {
  it('all green: says so, with the number of runs it counted', () => {
    const signals = signalsFrom([run('a', false), run('b', false)], 0, metrics(0), true);
    const c = signalsConclusion(signals, 2);
    expect(c.kind).toBe('healthy');
    expect(c.text).toMatch(/^Logs and metrics agree: the schedule fired 2 times/);
  });

  it('a failing run: the table shows FAILING and the sentence never says they agree', () => {
    const signals = signalsFrom([run('a', false), run('b', true)], 1, metrics(1), true);
    expect(signals.filter((s) => s.status === 'failing').map((s) => s.name)).toEqual([
      'logs: runs with an error line',
      'logs: error lines',
      'metric AWS/Lambda Errors (Sum)',
    ]);
    const c = signalsConclusion(signals, 2);
    expect(c.kind).toBe('failing');
    expect(c.text).not.toContain('agree');
    expect(c.text).toContain('Not every signal is green here: logs: runs with an error line');
  });

  it('metrics not published yet: pending, not green', () => {
    const late = { ...metrics(0), fnInvocations: reading(1) };
    const signals = signalsFrom([run('a', false), run('b', false)], 0, late, false);
    const c = signalsConclusion(signals, 2);
    expect(c.kind).toBe('pending');
    expect(c.text).toContain('had not caught up');
  });

  it('a zero whose data has not arrived is not green: Errors and FailedInvocations wait for it', () => {
    const runs = [run('a', false), { ...run('b', false), startedAt: 180_000 }];
    // CloudWatch has published the first minute only: Errors 0 there, nothing yet for the second run.
    const partial = {
      ...metrics(0),
      fnInvocations: reading(1),
      ruleInvocations: reading(1),
      fnErrors: { ...reading(0), points: [{ t: 0, value: 0 }] },
      ruleFailed: { ...reading(0), latest: undefined },
    };
    const signals = signalsFrom(runs, 0, partial, false);
    const byName = new Map(signals.map((s) => [s.name, s]));
    expect(byName.get('metric AWS/Lambda Errors (Sum)')).toMatchObject({
      status: 'pending',
      looks: 'not published yet (CloudWatch delay)',
    });
    expect(byName.get('metric AWS/Events FailedInvocations (Sum)')).toMatchObject({
      value: 'no datapoints',
      status: 'pending',
      looks: 'not published yet (CloudWatch delay)',
    });
    const c = signalsConclusion(signals, 2);
    expect(c.kind).toBe('pending');
    expect(c.text).toContain('metric AWS/Lambda Errors (Sum)');
    expect(c.text).toContain('metric AWS/Events FailedInvocations (Sum)');

    // Once the data reaches the last run, the same zeros are green.
    const arrived = {
      ...metrics(0),
      fnErrors: { ...reading(0), points: [{ t: 180_000, value: 0 }], latest: 180_000 },
      ruleFailed: { ...reading(0), latest: undefined },
    };
    const green = signalsFrom(runs, 0, arrived, true);
    expect(green.filter((s) => s.status !== 'healthy' && s.status !== 'info')).toEqual([]);
    expect(green.find((s) => s.name === 'metric AWS/Events FailedInvocations (Sum)')?.value).toBe(
      '0 (no datapoints)',
    );
  });
});

describe('what the run after the late delivery did', () => {
  const window = { dt: '2026-11-30', hour: '16' };
  const line = (fields: Record<string, unknown>): LogLine => {
    const message = `2026-11-30T17:32:00.202Z\tabc\tINFO\t${JSON.stringify({ level: 'INFO', ...fields })}`;
    return { timestamp: 0, stream: 's', message, ...classifyLine(message) };
  };
  it('skipped the late hour because a summary existed', () => {
    const text = whatTheRunDid(
      [
        line({ message: 'run started', window }),
        line({ message: 'window already processed, skipping', window }),
      ],
      window,
    );
    expect(text).toBe(
      'It looked at 2026-11-30 16:00–17:00 UTC, found a summary already there and skipped the hour: the late file was never read.',
    );
  });
  it('or the clock had already moved on to a later hour', () => {
    const text = whatTheRunDid(
      [line({ message: 'run started', window: { dt: '2026-11-30', hour: '18' } })],
      window,
    );
    expect(text).toMatch(/^The clock has moved on: that run summarised 2026-11-30 18:00–19:00 UTC\./);
    expect(text).toContain('nothing will read 2026-11-30 16:00–17:00 UTC again');
  });
});
