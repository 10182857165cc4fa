/**
 * The CloudWatch metrics reader (demos/shared/metrics.ts) against an embedded sandbox — data written
 * with PutMetricData and AWS/Lambda metrics recorded by real invocations — and demo1's bounded wait
 * and "counts may lag" check (demos/shared/metricWaits.ts) with a fake target clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  alignDown,
  describeReading,
  lambdaMetric,
  publishedThrough,
  readMetrics,
  ruleMetric,
  type MetricReading,
} from '../../../demos/shared/metrics.js';
import {
  NOT_PUBLISHED,
  METRICS_WAIT_TIMEOUT_MS,
  atLeastCheck,
  waitForMetrics,
} from '../../../demos/shared/metricWaits.js';
import type { StepContext, StepOutput } from '../../../src/course/model.js';
import type { Demo1State } from '../../../demos/demo1-scheduler-lambda/state.js';
import type { TargetClock } from '../../../src/cloud/types.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole } from '../../sandbox/lambda/fixtures.js';

let sb: TestSandbox;
let cw: CloudWatchClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  cw = new CloudWatchClient(sb.clientConfig);
});
afterAll(async () => {
  cw?.destroy();
  await sb?.stop();
});

const MIN = 60_000;

describe('readMetrics against the sandbox', () => {
  it('sums one series per period, ignores other dimension sets, and aligns the range to the minute', async () => {
    // Aligned to 2 minutes, so the 120 s read below starts at t0 too.
    const t0 = alignDown(sb.sandbox.clock.now() - 10 * MIN, 120);
    const datum = (job: string, at: number, value: number) => ({
      MetricName: 'Rows',
      Dimensions: [{ Name: 'Job', Value: job }],
      Timestamp: new Date(at),
      Value: value,
      Unit: 'Count' as const,
    });
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Course/Test',
        MetricData: [
          datum('a', t0 + 10_000, 3),
          datum('a', t0 + 20_000, 2),
          datum('a', t0 + MIN + 10_000, 5),
          datum('b', t0 + 20_000, 100),
          datum('a', t0 + 5 * MIN, 7), // after the range
        ],
      }),
    );
    const ref = { namespace: 'Course/Test', metricName: 'Rows', dimensions: { Job: 'a' } };
    const none = { namespace: 'Course/Test', metricName: 'Rows', dimensions: { Job: 'zzz' } };
    // Start 30 s into the first minute: CloudWatch (and the reader) round it down to t0.
    const r = await readMetrics(cw, { rows: ref, none }, { startTime: t0 + 30_000, endTime: t0 + 2 * MIN });
    expect(r.rows.points).toEqual([
      { t: t0, value: 5 },
      { t: t0 + MIN, value: 5 },
    ]);
    expect(r.rows).toMatchObject({ total: 10, max: 5, latest: t0 + MIN });
    expect(describeReading(r.rows)).toBe('10 (2 datapoints)');
    expect(publishedThrough(r.rows, t0 + MIN + 50_000)).toBe(true);
    expect(publishedThrough(r.rows, t0 + 2 * MIN)).toBe(false);
    expect(r.none).toMatchObject({ points: [], total: 0, max: undefined, latest: undefined });
    expect(describeReading(r.none)).toBe('no datapoints');
    expect(publishedThrough(r.none, t0)).toBe(false);

    const max = await readMetrics(
      cw,
      { rows: { ...ref, stat: 'Maximum' } },
      { startTime: t0, endTime: t0 + 2 * MIN, periodSec: 120 },
    );
    expect(max.rows.points).toEqual([{ t: t0, value: 5 }]);
  });

  it("reads a function's AWS/Lambda Invocations and Errors as its invocations recorded them", async () => {
    const lambda = new LambdaClient(sb.clientConfig);
    const role = await createRole(sb, 'metrics-reader-role');
    await createFunction(lambda, role, 'metrics-fn', {
      'index.mjs':
        'export const handler = async (e) => { if (e.fail) throw new Error("boom"); return "ok"; };',
    });
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'metrics-fn' });
    const from = sb.sandbox.clock.now();
    for (const fail of [false, true, false]) {
      await lambda.send(
        new InvokeCommand({
          FunctionName: 'metrics-fn',
          Payload: new TextEncoder().encode(JSON.stringify({ fail })),
        }),
      );
    }
    const to = sb.sandbox.clock.now() + MIN;
    const r = await readMetrics(
      cw,
      {
        invocations: lambdaMetric('metrics-fn', 'Invocations'),
        errors: lambdaMetric('metrics-fn', 'Errors'),
        other: lambdaMetric('another-fn', 'Errors'),
        rule: ruleMetric('no-such-rule', 'Invocations'),
      },
      { startTime: from, endTime: to },
    );
    expect(r.invocations.total).toBe(3);
    expect(r.errors.total).toBe(1);
    expect(r.errors.max).toBe(1);
    expect(r.other.points).toEqual([]);
    expect(r.rule.points).toEqual([]);
    lambda.destroy();
  }, 60_000);
});

const reading = (total: number, latest?: number): MetricReading => ({
  ref: lambdaMetric('f', 'Invocations'),
  points: latest === undefined ? [] : [{ t: latest, value: total }],
  total,
  max: latest === undefined ? undefined : total,
  latest,
});

describe('atLeastCheck: a count that may lag', () => {
  const lastRun = 10 * MIN + 5_000;
  it('passes when the count is reached', () => {
    expect(atLeastCheck('inv', reading(3, 10 * MIN), 3, lastRun, 'runs')).toMatchObject({
      passed: true,
      expected: '≥ 3 (runs)',
      actual: '3 (1 datapoint)',
    });
  });
  it('fails when CloudWatch has published the minute and still counts fewer', () => {
    expect(atLeastCheck('inv', reading(2, 10 * MIN), 3, lastRun, 'runs')).toMatchObject({
      passed: false,
      actual: '2 (1 datapoint)',
    });
  });
  it('says plainly when the minute is not published yet instead of failing', () => {
    const c = atLeastCheck('inv', reading(2, 9 * MIN), 3, lastRun, 'runs');
    expect(c.passed).toBe(true);
    expect(c.actual).toContain(NOT_PUBLISHED);
    expect(atLeastCheck('inv', reading(0), 1, lastRun, 'runs').actual).toContain(NOT_PUBLISHED);
  });
});

/** A target clock whose sleeps advance time instantly. */
function fakeContext(signal = new AbortController().signal) {
  let now = 1_000_000;
  const updates: string[] = [];
  const clock: TargetClock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    toRealMs: (ms: number) => ms,
    timeScale: 1,
  };
  const out = {
    say: () => undefined,
    note: () => undefined,
    table: () => undefined,
    block: () => undefined,
    progress: <T>(_t: string, work: (u: (t: string) => void) => Promise<T>) => work((t) => updates.push(t)),
  } satisfies StepOutput;
  const ctx = { clock, out, signal, state: { seed: 's' } } as unknown as StepContext<Demo1State>;
  return { ctx, updates, elapsed: () => now - 1_000_000 };
}

describe('waitForMetrics', () => {
  it('returns at once when the data is already there (the sandbox case)', async () => {
    const { ctx, updates } = fakeContext();
    const w = await waitForMetrics(
      ctx,
      'metrics',
      async () => 5,
      (n) => n >= 5,
      String,
    );
    expect(w).toEqual({ reading: 5, arrived: true, waitedMs: 0 });
    expect(updates).toEqual([]);
  });

  it('polls in target time with a countdown until the data arrives', async () => {
    const { ctx, updates } = fakeContext();
    let reads = 0;
    const w = await waitForMetrics(
      ctx,
      'metrics',
      async () => ++reads,
      (n) => n >= 4,
      (n) => `${n} so far`,
    );
    expect(w.arrived).toBe(true);
    expect(w.reading).toBe(4);
    expect(w.waitedMs).toBeGreaterThan(0);
    expect(updates[0]).toMatch(
      /2 so far; CloudWatch publishes 1–3 min after the fact, giving up in \d+:\d\d/,
    );
  });

  it('gives up after the bound with what arrived, without throwing', async () => {
    const { ctx, elapsed } = fakeContext();
    const w = await waitForMetrics(
      ctx,
      'metrics',
      async () => 1,
      (n) => n >= 2,
      String,
    );
    expect(w).toMatchObject({ reading: 1, arrived: false });
    expect(elapsed()).toBe(METRICS_WAIT_TIMEOUT_MS);
  });

  it('stops when the learner presses Ctrl-C', async () => {
    const abort = new AbortController();
    abort.abort();
    const { ctx } = fakeContext(abort.signal);
    await expect(
      waitForMetrics(
        ctx,
        'metrics',
        async () => 0,
        () => false,
        String,
      ),
    ).rejects.toMatchObject({
      name: 'WaitAbortedError',
    });
  });
});
