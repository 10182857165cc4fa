/**
 * check-completeness and write-report over a hand-made window of raw/ and curated/ states: one
 * partition of each kind (up to date, stale summary, no summary, overwritten input, late, missing)
 * must come out OK / RECONCILED / LATE / MISSING, in a JSON and a Markdown report and in the
 * published metrics; and the check's cost grows with partitions and objects, not data.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { firstCheck, recheck } from '../../../demos/demo3-hybrid-reconciliation/lambda/checkCompleteness.mjs';
import { processPartition } from '../../../demos/demo3-hybrid-reconciliation/lambda/processPartition.mjs';
import { writeReport } from '../../../demos/demo3-hybrid-reconciliation/lambda/writeReport.mjs';
import { windowPartitions } from '../../../demos/demo3-hybrid-reconciliation/lambda/partitions.mjs';
import { mapLimit } from '../../../demos/demo3-hybrid-reconciliation/lambda/s3Objects.mjs';
import type { ReconciliationReport } from '../../../demos/demo3-hybrid-reconciliation/lambda/report.mjs';
import { toJsonLines } from '../../../demos/shared/orders.js';
import {
  countingClient,
  newBucket,
  orderStats,
  ordersFor,
  putRaw,
  startHarness,
  type Harness,
} from './harness.js';

const window = { start: '2024-05-01T00:00:00Z', hours: 6 };
const [h0, h1, h2, h3, h4, h5] = windowPartitions(window) as [string, string, string, string, string, string];
const trigger = { type: 'event' as const, execution: 'arrival', request_id: null };

let h: Harness;
let cloudwatch: CloudWatchClient;
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  h = await startHarness();
  cloudwatch = new CloudWatchClient(h.sb.clientConfig);
});
afterAll(async () => {
  await h?.stop();
});

async function text(bucket: string, key: string): Promise<string> {
  const res = await h.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToString();
}

describe('a reconciliation over hand-made raw/curated states', () => {
  it('marks each partition OK, RECONCILED, LATE or MISSING, and reports it as JSON, Markdown and metrics', async () => {
    const bucket = await newBucket(h);
    // A partition just outside the window, stale on purpose: it must not be looked at.
    await putRaw(h, bucket, 'dt=2024-04-30/hour=23', 'part-0000', ordersFor('dt=2024-04-30/hour=23', 5, 'p'));
    await putRaw(h, bucket, 'dt=2024-05-01/hour=06', 'part-0000', ordersFor('dt=2024-05-01/hour=06', 5, 'p'));
    // h0: processed on arrival, nothing since → OK.
    await putRaw(h, bucket, h0, 'part-0000', ordersFor(h0, 30, 'part-0000'));
    await processPartition(h.s3, bucket, h0, trigger);
    // h1: processed, then a late file whose event run never happened → stale summary → RECONCILED.
    const h1OnTime = ordersFor(h1, 30, 'part-0000');
    await putRaw(h, bucket, h1, 'part-0000', h1OnTime);
    await processPartition(h.s3, bucket, h1, trigger);
    const h1Late = [...h1OnTime.slice(0, 5), ...ordersFor(h1, 7, 'late-0001')];
    await putRaw(h, bucket, h1, 'late-0001', h1Late);
    // h2: input, never processed → RECONCILED.
    await putRaw(h, bucket, h2, 'part-0000', ordersFor(h2, 30, 'part-0000'));
    // h5: processed, then upstream replaced the file (same key, new ETag) → RECONCILED.
    await putRaw(h, bucket, h5, 'part-0000', ordersFor(h5, 30, 'part-0000'));
    await processPartition(h.s3, bucket, h5, trigger);
    const h5Replaced = ordersFor(h5, 33, 'corrected');
    await putRaw(h, bucket, h5, 'part-0000', h5Replaced);
    // h3 and h4: nothing yet.

    const first = await firstCheck(h.s3, bucket, window);
    expect(first).toMatchObject({
      partitions: 6,
      current: 1,
      stale: [h1, h2, h5],
      missing: [h3, h4],
      rechecks: 0,
    });
    for (const p of first.stale) await processPartition(h.s3, bucket, p, { ...trigger, type: 'reconcile' });

    // h3 arrives during the grace period; h4 never does.
    await putRaw(h, bucket, h3, 'part-0000', ordersFor(h3, 30, 'part-0000'));
    const second = await recheck(h.s3, bucket, window, first);
    expect(second).toMatchObject({
      stale: [h1, h2, h5],
      missing: [h4],
      arrived: [h3],
      late: [h3],
      rechecks: 1,
    });
    for (const p of second.arrived)
      await processPartition(h.s3, bucket, p, { ...trigger, type: 'reconcile' });
    const third = await recheck(h.s3, bucket, window, second);
    expect(third).toMatchObject({ missing: [h4], arrived: [], late: [h3], rechecks: 2 });

    const execution = { name: 'exec-1', startTime: '2024-05-02T00:05:00.123Z' };
    const result = await writeReport(
      { s3: h.s3, cloudwatch, bucket, namespace: 'Demo3Test/Reconciliation', pipeline: bucket },
      { window, check: third, execution, scheduledTime: '2024-05-02T00:05:00Z' },
    );
    expect(result).toEqual({
      report_key: 'reports/reconciliation/20240502T000500Z-exec-1.json',
      markdown_key: 'reports/reconciliation/20240502T000500Z-exec-1.md',
      counts: { OK: 1, RECONCILED: 3, LATE: 1, MISSING: 1 },
      inconsistent: 0,
    });

    const report = JSON.parse(await text(bucket, result.report_key)) as ReconciliationReport;
    expect(report.partitions.map((r) => [r.partition, r.status])).toEqual([
      [h0, 'OK'],
      [h1, 'RECONCILED'],
      [h2, 'RECONCILED'],
      [h3, 'LATE'],
      [h4, 'MISSING'],
      [h5, 'RECONCILED'],
    ]);
    const row = (p: string) => report.partitions.find((r) => r.partition === p)!;
    const h1Expected = orderStats([...h1OnTime, ...h1Late]);
    expect(row(h1)).toMatchObject({
      raw_files: 2,
      record_count: h1Expected.record_count,
      distinct_orders: h1Expected.distinct_orders,
      total_amount: h1Expected.total_amount,
      consistent: true,
    });
    expect(row(h5)).toMatchObject({
      record_count: 33,
      distinct_orders: orderStats(h5Replaced).distinct_orders,
    });
    expect(row(h4)).toMatchObject({
      raw_files: 0,
      record_count: null,
      last_arrival: null,
      consistent: false,
    });
    expect(row(h3).last_arrival).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report).toMatchObject({
      execution: 'exec-1',
      scheduled_time: '2024-05-02T00:05:00Z',
      window: { start: '2024-05-01T00:00:00.000Z', end: '2024-05-01T06:00:00.000Z', hours: 6 },
      rechecks: 2,
    });

    const md = await text(bucket, result.markdown_key);
    expect(md).toContain('| MISSING | 1 | still no input after the last re-check |');
    expect(md).toContain(`| ${h3} | LATE | 1 |`);
    expect(md).toMatch(
      new RegExp(
        `\\| ${h1.replace('/', '\\/')} \\| RECONCILED \\| 2 \\| [^|]+ \\| ${h1Expected.record_count} \\|`,
      ),
    );

    const metrics = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(h.sb.sandbox.clock.now() - 600_000),
        EndTime: new Date(h.sb.sandbox.clock.now() + 60_000),
        MetricDataQueries: [
          'PartitionsMissing',
          'PartitionsLate',
          'PartitionsReconciled',
          'PartitionsOk',
        ].map((name, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: 'Demo3Test/Reconciliation',
              MetricName: name,
              Dimensions: [{ Name: 'Pipeline', Value: bucket }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        })),
      }),
    );
    expect(metrics.MetricDataResults?.map((r) => r.Values?.reduce((a, b) => a + b, 0))).toEqual([1, 1, 3, 1]);
  });

  it('a partition that changes after the check is reported as not matching its input', async () => {
    const bucket = await newBucket(h);
    for (const p of windowPartitions(window)) {
      await putRaw(h, bucket, p, 'part-0000', ordersFor(p, 5, 'part-0000'));
      await processPartition(h.s3, bucket, p, trigger);
    }
    const check = await firstCheck(h.s3, bucket, window);
    expect(check).toMatchObject({ current: 6, stale: [], missing: [] });
    await h.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `raw/orders/${h2}/late.jsonl`,
        Body: toJsonLines(ordersFor(h2, 2, 'x')),
      }),
    );
    const result = await writeReport(
      { s3: h.s3, cloudwatch, bucket, namespace: 'Demo3Test/Reconciliation', pipeline: bucket },
      { window, check, execution: { name: 'exec-2', startTime: '2024-05-02T01:05:00Z' } },
    );
    expect(result).toMatchObject({ counts: { OK: 6, RECONCILED: 0, LATE: 0, MISSING: 0 }, inconsistent: 1 });
    expect(await text(bucket, result.markdown_key)).toContain(
      `Changed since they were processed (the next run picks them up): ${h2}`,
    );
  });
});

describe('the cost of a check', () => {
  it('is one listing page per 1,000 objects on each side and one small read per summary — no raw data', async () => {
    const bucket = await newBucket(h);
    const big = { start: '2024-05-01T00:00:00Z', hours: 48 };
    const ids = windowPartitions(big);
    // 48 partitions × 25 objects = 1,200 raw objects (two listing pages); summaries for half.
    await mapLimit(
      ids.flatMap((p) => Array.from({ length: 25 }, (_, f) => ({ p, f }))),
      16,
      ({ p, f }) => putRaw(h, bucket, p, `part-${f}`, ordersFor(p, 1, `f${f}`)),
    );
    await mapLimit(
      ids.filter((_, i) => i % 2 === 0),
      8,
      (p) => processPartition(h.s3, bucket, p, trigger),
    );
    const { s3, counts } = countingClient(h);
    const check = await firstCheck(s3, bucket, big);
    expect(check).toMatchObject({ partitions: 48, current: 24, missing: [] });
    expect(check.stale).toHaveLength(24);
    expect(Object.fromEntries(counts)).toEqual({ ListObjectsV2Command: 3, GetObjectCommand: 24 });
  }, 120_000);
});
