/**
 * The reconcile-orders state machine on the sandbox, with demo3's real handlers, policies and
 * trigger inputs: an S3 arrival processes its partition; a scheduled run over hand-made raw/curated
 * states marks OK / RECONCILED / LATE (arrives during the grace Wait) / MISSING; an outage fails an
 * arrival after its retries; only partition ids travel between states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { processPartition } from '../../../demos/demo3-hybrid-reconciliation/lambda/processPartition.mjs';
import type { ReconciliationReport } from '../../../demos/demo3-hybrid-reconciliation/lambda/report.mjs';
import type { PartitionSummary } from '../../../demos/demo3-hybrid-reconciliation/lambda/summaries.mjs';
import { manualScheduledInput } from '../../../demos/demo3-hybrid-reconciliation/triggers.js';
import { windowPartitionIds } from '../../../demos/demo3-hybrid-reconciliation/window.js';
import { clientsFor, deployPipeline, finished, history, type Clients } from './pipeline.js';
import { ordersFor, putRaw, type Harness } from './harness.js';

let sb: TestSandbox;
let c: Clients;
let h: Harness;
beforeAll(async () => {
  sb = await startTestSandbox({ timeScale: 60 });
  c = clientsFor(sb);
  h = { sb, s3: c.s3, stop: () => sb.stop() };
}, 60_000);
afterAll(async () => {
  await sb?.stop();
});

const window = { start: '2024-05-01T00:00:00Z', hours: 5 };
// 120 s of sandbox time is 2 s of real time at ×60: ample for the late upload to land during it.
const grace = { seconds: 120, rechecks: 2 };
const [h0, h1, h2, h3, h4] = windowPartitionIds(window) as [string, string, string, string, string];
const trigger = { type: 'event' as const, execution: 'seed', request_id: null };

async function json<T>(bucket: string, key: string): Promise<T> {
  const res = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await res.Body!.transformToString()) as T;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ofType = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type);

/** Largest state input or output in the history, in bytes. */
function largestPayload(events: HistoryEvent[]): number {
  let max = 0;
  for (const e of events) {
    for (const d of [e.stateEnteredEventDetails?.input, e.stateExitedEventDetails?.output]) {
      if (d) max = Math.max(max, Buffer.byteLength(d));
    }
  }
  return max;
}

describe('reconcile-orders on the sandbox', () => {
  it('an S3 arrival under raw/ starts an event run that builds its partition', async () => {
    const p = await deployPipeline(sb, c, 'sm-arrival', { arrivalRule: true });
    const records = ordersFor(h2, 40, 'part-0000');
    await putRaw(h, p.bucket, h2, 'part-0000', records);
    const started = await waitFor(async () => {
      const out = await c.sfn.send(new ListExecutionsCommand({ stateMachineArn: p.stateMachineArn }));
      return out.executions?.[0];
    }, 'the arrival execution');
    const done = await finished(c, started.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.input!)).toMatchObject({
      mode: 'event',
      bucket: p.bucket,
      key: `raw/orders/${h2}/part-0000.jsonl`,
    });
    expect(JSON.parse(done.output!)).toMatchObject({ status: 'processed', partition: h2, record_count: 40 });
    const summary = await json<PartitionSummary>(p.bucket, `curated/orders_hourly/${h2}/summary.json`);
    expect(summary.trigger).toMatchObject({ type: 'event', execution: started.name });
  }, 60_000);

  it('a scheduled run marks OK, RECONCILED, LATE and MISSING, waiting out the grace period', async () => {
    const p = await deployPipeline(sb, c, 'sm-scheduled');
    await putRaw(h, p.bucket, h0, 'part-0000', ordersFor(h0, 20, 'part-0000'));
    await processPartition(c.s3, p.bucket, h0, trigger); // OK
    const h1Records = ordersFor(h1, 20, 'part-0000');
    await putRaw(h, p.bucket, h1, 'part-0000', h1Records);
    await processPartition(c.s3, p.bucket, h1, trigger);
    await putRaw(h, p.bucket, h1, 'late-0001', [...h1Records.slice(0, 5), ...ordersFor(h1, 5, 'late')]); // stale
    await putRaw(h, p.bucket, h2, 'part-0000', ordersFor(h2, 20, 'part-0000')); // never processed
    // h3 arrives during the grace period; h4 never.

    const { executionArn } = await c.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: p.stateMachineArn,
        input: manualScheduledInput({ window, grace }, '2024-05-02T00:05:00Z'),
      }),
    );
    await waitFor(async () => {
      const ev = await history(c, executionArn!);
      return ofType(ev, 'WaitStateEntered').length ? true : undefined;
    }, 'the grace Wait');
    await putRaw(h, p.bucket, h3, 'part-0000', ordersFor(h3, 20, 'part-0000'));
    const done = await finished(c, executionArn!);
    expect(done.status, done.cause).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as { report_key: string; counts: Record<string, number> };
    expect(output.counts).toEqual({ OK: 1, RECONCILED: 2, LATE: 1, MISSING: 1 });

    const report = await json<ReconciliationReport>(p.bucket, output.report_key);
    expect(report.partitions.map((r) => [r.partition, r.status])).toEqual([
      [h0, 'OK'],
      [h1, 'RECONCILED'],
      [h2, 'RECONCILED'],
      [h3, 'LATE'],
      [h4, 'MISSING'],
    ]);
    expect(report.partitions.filter((r) => r.status !== 'MISSING').every((r) => r.consistent)).toBe(true);
    expect(report).toMatchObject({ rechecks: 2, scheduled_time: '2024-05-02T00:05:00Z' });

    const events = await history(c, executionArn!);
    const entered = ofType(events, 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
    expect(entered.filter((n) => n === 'RecheckMissing')).toHaveLength(2);
    expect(entered.filter((n) => n === 'Reprocess')).toHaveLength(2);
    expect(entered.filter((n) => n === 'ProcessArrived')).toHaveLength(1);
    expect(ofType(events, 'WaitStateEntered')).toHaveLength(2);
    // The bounded loop gave up after grace.rechecks re-checks, then reported.
    expect(entered.at(-1)).toBe('WriteReport');
    // Keys, never data: every state's input and output stays tiny.
    expect(largestPayload(events)).toBeLessThan(2_000);
  }, 90_000);

  it('an arrival during an outage fails after its retries, and the partition stays stale', async () => {
    const p = await deployPipeline(sb, c, 'sm-outage', {
      environment: { process: { SIMULATE_OUTAGE: 'true' } },
    });
    const key = await putRaw(h, p.bucket, h1, 'part-0000', ordersFor(h1, 10, 'part-0000'));
    const { executionArn } = await c.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: p.stateMachineArn,
        input: JSON.stringify({ mode: 'event', bucket: p.bucket, key, time: '2024-05-02T00:00:00Z' }),
      }),
    );
    const done = await finished(c, executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    const failed = ofType(await history(c, executionArn!), 'TaskFailed');
    expect(failed.map((e) => e.taskFailedEventDetails?.error)).toEqual([
      'TransientError',
      'TransientError',
      'TransientError',
    ]);
  }, 60_000);

  it('an input without a known mode fails at once, naming the problem', async () => {
    const p = await deployPipeline(sb, c, 'sm-mode');
    const { executionArn } = await c.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: p.stateMachineArn,
        input: JSON.stringify({ mode: 'nightly' }),
      }),
    );
    expect(await finished(c, executionArn!)).toMatchObject({ status: 'FAILED', error: 'UnknownTrigger' });
  }, 60_000);
});
