/**
 * Step 4.4 promises "every hour this demo touched is right, or loudly not there". At a learner's
 * pace the schedule moves on to hours nobody delivered and, before REQUIRE_INPUT is on, writes a
 * "0 orders" summary for each: those must fail the check until the step's run deletes them, and an
 * hour whose summary disagrees with raw/ must fail it too. Against a sandbox bucket, with the step's
 * own run and check. Also: the closing sentences claim only what this run observed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { recoverySteps } from '../../../demos/demo1-scheduler-lambda/steps/recovery.js';
import { closingObservations } from '../../../demos/demo1-scheduler-lambda/lesson.js';
import type { Demo1State } from '../../../demos/demo1-scheduler-lambda/state.js';
import { rawOrderFile } from '../../../demos/shared/orders.js';
import {
  curatedKey,
  describeWindow,
  shiftWindow,
  windowAt,
  type HourWindow,
} from '../../../demos/shared/hourWindows.js';
import {
  aggregateOrderFiles,
  buildSummary,
} from '../../../demos/demo1-scheduler-lambda/lambda/aggregate.mjs';
import type { StepContext } from '../../../src/course/model.js';
import { targetTime } from '../../../src/course/targetTime.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { RecordingIO } from '../../course/fakes.js';

let sb: TestSandbox;
let s3: S3Client;
const bucket = 'course-demo1-everyhour-000000000000-data';
const verify = recoverySteps.find((s) => s.id === 'verify-windows')!;

beforeAll(async () => {
  sb = await startTestSandbox();
  s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await sb?.stop();
});

async function putSummary(w: HourWindow, files: Array<{ key: string; text: string }>): Promise<void> {
  const summary = buildSummary({
    window: w,
    stats: aggregateOrderFiles(files),
    trigger: 'schedule',
    eventTime: undefined,
    processedAt: new Date(sb.sandbox.clock.now()).toISOString(),
    requestId: 'r',
  });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: curatedKey(w), Body: JSON.stringify(summary) }));
}

function context(state: Demo1State, io: RecordingIO): StepContext<Demo1State> {
  const clock = {
    now: () => sb.sandbox.clock.now(),
    sleep: async () => undefined,
    toRealMs: (ms: number) => ms,
    timeScale: 1,
  };
  return {
    aws: { s3 } as unknown as StepContext<Demo1State>['aws'],
    clock,
    time: targetTime('sandbox', clock),
    state,
    out: io,
  } as unknown as StepContext<Demo1State>;
}

describe('4.4: every hour the demo touched', () => {
  it('a quiet zero fails the check until the run deletes it; a short summary fails it too', async () => {
    const hour = windowAt(sb.sandbox.clock.now() - 3 * 3_600_000);
    const late = rawOrderFile({ seed: 's', window: hour, count: 120, fileLabel: 'part-0000' });
    const extra = rawOrderFile({ seed: 's', window: hour, count: 30, fileLabel: 'late-0001' });
    for (const f of [late, extra])
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
    await putSummary(
      hour,
      [late, extra].map((f) => ({ key: f.key, text: f.body })),
    );
    // The clock moved on: two later hours nobody delivered, summarised as "0 orders".
    const quiet = [shiftWindow(hour, 1), shiftWindow(hour, 2)];
    for (const w of quiet) await putSummary(w, []);
    const state: Demo1State = { seed: 's', bucket, window: hour, emptyWindow: shiftWindow(hour, -24) };

    const before = await verify.check(context(state, new RecordingIO(false)));
    const failing = before.filter((r) => !r.passed).map((r) => r.label);
    expect(failing).toEqual(
      quiet.map((w) => `${describeWindow(w)}: no data, so no summary (a failure, not a zero)`),
    );
    expect(before.find((r) => r.label.startsWith(describeWindow(hour)))?.passed).toBe(true);
    // The empty hour invoked in 4.3 is covered even though nothing of it is in the bucket.
    expect(before.some((r) => r.label.startsWith(describeWindow(state.emptyWindow!)) && r.passed)).toBe(true);

    const io = new RecordingIO(false);
    await verify.run(context(state, io));
    expect(state.quietZeros).toEqual(quiet);
    expect(io.text.replace(/\s+/g, ' ')).toContain('summarised each as "0 orders" and reported success');
    expect(io.text.replace(/\s+/g, ' ')).toContain('Those summaries are quiet zeros');
    for (const w of quiet) {
      await expect(
        s3.send(new HeadObjectCommand({ Bucket: bucket, Key: curatedKey(w) })),
      ).rejects.toMatchObject({
        name: 'NotFound',
      });
    }
    const after = await verify.check(context(state, new RecordingIO(false)));
    expect(after.every((r) => r.passed)).toBe(true);
    // The removed hours are still checked: no summary came back.
    for (const w of quiet)
      expect(after.some((r) => r.label.startsWith(describeWindow(w)) && r.passed)).toBe(true);

    // A summary built before the late file landed is short: the check says so.
    await putSummary(hour, [{ key: late.key, text: late.body }]);
    const short = await verify.check(context(state, new RecordingIO(false)));
    const mine = short.find((r) => r.label === `${describeWindow(hour)}: curated = raw`)!;
    expect(mine.passed).toBe(false);
    expect(mine.actual).toMatch(/^120 records/);
    expect(mine.expected).toMatch(/^150 records/);
  });
});

describe('the closing sentences', () => {
  it('claim "every signal stayed green" only when the signals were read as healthy', () => {
    const base: Demo1State = { seed: 's', comparison: { curated: 120, raw: 150 } };
    const green = closingObservations({
      ...base,
      signals: { from: 0, to: 0, runs: 3, lastRunAt: 0, verdict: 'healthy' },
    });
    expect(green.join(' ')).toContain('every signal an on-call engineer watches stayed green');
    const red = closingObservations({
      ...base,
      signals: { from: 0, to: 0, runs: 3, lastRunAt: 0, verdict: 'failing' },
    });
    expect(red.join(' ')).not.toContain('stayed green');
    expect(red.join(' ')).toContain('said 120 records while raw/ held 150');
    expect(closingObservations({ seed: 's' })).toEqual([]);
  });
});
