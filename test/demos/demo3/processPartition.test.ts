/**
 * process-partition: dedupe by order_id across files, sources recorded, idempotent under repeated
 * and concurrent runs (conditional writes: a slower run never overwrites a newer summary), and the
 * event/outage entry points — in-process against sandbox S3 over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  handler,
  processPartition,
  requestOf,
  TransientError,
} from '../../../demos/demo3-hybrid-reconciliation/lambda/processPartition.mjs';
import { getJson } from '../../../demos/demo3-hybrid-reconciliation/lambda/s3Objects.mjs';
import type { PartitionSummary } from '../../../demos/demo3-hybrid-reconciliation/lambda/summaries.mjs';
import { toJsonLines } from '../../../demos/shared/orders.js';
import {
  newBucket,
  orderStats,
  ordersFor,
  putRaw,
  racingClient,
  startHarness,
  type Harness,
} from './harness.js';

const P = 'dt=2024-05-01/hour=01';
const SUMMARY = `curated/orders_hourly/${P}/summary.json`;
const trigger = { type: 'reconcile' as const, execution: 'test', request_id: null };

let h: Harness;
beforeAll(async () => {
  // The handler's JSON log lines are its interface on AWS; here they would only be noise.
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function summaryOf(bucket: string) {
  const got = await getJson(h.s3, bucket, SUMMARY);
  return { doc: got?.doc as PartitionSummary | undefined, etag: got?.etag };
}

describe('process-partition', () => {
  it('counts every record, dedupes orders by order_id across files and records its sources', async () => {
    const bucket = await newBucket(h);
    const onTime = ordersFor(P, 200, 'part-0000');
    // A late delivery: 40 resends of on-time orders (byte-identical) and 20 new orders.
    const late = [...onTime.slice(0, 40), ...ordersFor(P, 20, 'late-0001')];
    await putRaw(h, bucket, P, 'part-0000', onTime);
    await putRaw(h, bucket, P, 'late-0001', late);

    const result = await processPartition(h.s3, bucket, P, trigger);
    const expected = orderStats([...onTime, ...late]);
    expect(result).toMatchObject({ status: 'processed', partition: P, record_count: 260, sources: 2 });
    const { doc } = await summaryOf(bucket);
    expect(doc).toMatchObject({
      partition: P,
      record_count: expected.record_count,
      distinct_orders: expected.distinct_orders,
      total_amount: expected.total_amount,
      duplicates_dropped: expected.record_count - expected.distinct_orders,
      window: { start: '2024-05-01T01:00:00.000Z', end: '2024-05-01T02:00:00.000Z' },
      trigger,
    });
    expect(doc!.distinct_orders).toBe(
      orderStats(onTime).distinct_orders + orderStats(late.slice(40)).distinct_orders,
    );
    expect(doc!.sources.map((s) => [s.key.split('/').pop(), s.records])).toEqual([
      ['late-0001.jsonl', 60],
      ['part-0000.jsonl', 200],
    ]);
    for (const s of doc!.sources) {
      const head = await h.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: s.key }));
      expect([s.etag, s.size]).toEqual([head.ETag!.replace(/"/g, ''), head.ContentLength]);
    }
  });

  it('a repeated run changes nothing: same summary object, same ETag', async () => {
    const bucket = await newBucket(h);
    await putRaw(h, bucket, P, 'part-0000', ordersFor(P, 50, 'part-0000'));
    expect((await processPartition(h.s3, bucket, P, trigger)).status).toBe('processed');
    const first = await summaryOf(bucket);
    for (let i = 0; i < 3; i++) {
      expect(await processPartition(h.s3, bucket, P, { ...trigger, execution: `again-${i}` })).toMatchObject({
        status: 'up-to-date',
        record_count: 50,
      });
    }
    expect(await summaryOf(bucket)).toEqual(first);
  });

  it('concurrent runs write the summary once and all agree on it', async () => {
    const bucket = await newBucket(h);
    const records = [...ordersFor(P, 300, 'part-0000')];
    await putRaw(h, bucket, P, 'part-0000', records);
    await putRaw(h, bucket, P, 'late-0001', records.slice(0, 30));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        processPartition(h.s3, bucket, P, { ...trigger, execution: `run-${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 'processed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'up-to-date')).toHaveLength(7);
    const { doc } = await summaryOf(bucket);
    expect(doc?.record_count).toBe(330);
    expect(doc?.distinct_orders).toBe(orderStats(records).distinct_orders);
  });

  it('a run that read an older state never overwrites a newer summary: it reads again', async () => {
    const bucket = await newBucket(h);
    const onTime = ordersFor(P, 100, 'part-0000');
    await putRaw(h, bucket, P, 'part-0000', onTime);
    await processPartition(h.s3, bucket, P, trigger);
    const lateRecords = [...onTime.slice(0, 10), ...ordersFor(P, 25, 'late-0001')];
    // Another run wins the race: the late file lands and that run writes its (newer) summary
    // between this run's reads and its write.
    const slow = racingClient(
      h,
      (name, input) => name === 'PutObjectCommand' && input.Key === SUMMARY,
      async () => {
        await putRaw(h, bucket, P, 'late-0001', lateRecords);
        await processPartition(h.s3, bucket, P, { ...trigger, execution: 'fast' });
      },
    );
    await putRaw(h, bucket, P, 'part-0000', onTime.slice(0, 99)); // makes the summary stale for `slow`
    const result = await processPartition(slow, bucket, P, { ...trigger, execution: 'slow' });
    const { doc } = await summaryOf(bucket);
    const all = [...onTime.slice(0, 99), ...lateRecords];
    expect(doc?.sources.map((s) => s.key.split('/').pop())).toEqual(['late-0001.jsonl', 'part-0000.jsonl']);
    expect(doc?.record_count).toBe(all.length);
    expect(doc?.distinct_orders).toBe(orderStats(all).distinct_orders);
    // Its conditional write failed (the summary had changed); reading again, it found it current.
    expect(result.status).toBe('up-to-date');
  });

  it('an input overwritten while it is read is listed and read again', async () => {
    const bucket = await newBucket(h);
    const first = ordersFor(P, 40, 'part-0000');
    const key = await putRaw(h, bucket, P, 'part-0000', first);
    const replaced = ordersFor(P, 70, 'replaced');
    const racing = racingClient(
      h,
      (name, input) => name === 'GetObjectCommand' && input.Key === key,
      async () => {
        await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: toJsonLines(replaced) }));
      },
    );
    const result = await processPartition(racing, bucket, P, trigger);
    expect(result).toMatchObject({ status: 'processed', record_count: 70 });
    expect((await summaryOf(bucket)).doc?.distinct_orders).toBe(orderStats(replaced).distinct_orders);
  });

  it('a partition without input writes nothing', async () => {
    const bucket = await newBucket(h);
    expect(await processPartition(h.s3, bucket, P, trigger)).toEqual({ status: 'no-input', partition: P });
    expect((await summaryOf(bucket)).doc).toBeUndefined();
  });
});

describe('process-partition requests', () => {
  it('takes the partition from an arrival key, plain or URL-encoded; other keys are ignored', () => {
    const key = `raw/orders/${P}/part-0000.jsonl`;
    expect(requestOf({ trigger: 'event', bucket: 'b', key }, 'b')).toEqual({
      partition: P,
      trigger: 'event',
    });
    expect(requestOf({ key: key.replace(/=/g, '%3D') }, 'b')).toEqual({ partition: P, trigger: 'event' });
    for (const other of [
      'raw/orders/readme.txt',
      `raw/orders/${P}/sub/x.jsonl`,
      'raw/orders/dt=2024-13-01/hour=01/x',
    ]) {
      expect(requestOf({ key: other }, 'b')).toEqual({ ignored: other });
    }
    expect(requestOf({ partition: P }, 'b')).toEqual({ partition: P, trigger: 'reconcile' });
  });

  it('refuses another bucket and malformed partitions by name', () => {
    expect(() => requestOf({ key: `raw/orders/${P}/x.jsonl`, bucket: 'other' }, 'b')).toThrow(
      /bucket b, not "other"/,
    );
    for (const bad of ['dt=2024-05-01/hour=24', '../x', 'dt=2024-02-30/hour=01', 7]) {
      let name = '';
      try {
        requestOf({ partition: bad }, 'b');
      } catch (err) {
        name = (err as Error).name;
      }
      expect(name, String(bad)).toBe('InvalidInputError');
    }
  });
});

describe('process-partition handler', () => {
  it('SIMULATE_OUTAGE=true fails every run with TransientError before touching S3', async () => {
    const bucket = await newBucket(h);
    await putRaw(h, bucket, P, 'part-0000', ordersFor(P, 10, 'part-0000'));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: h.sb.sandbox.endpoint,
      AWS_ACCESS_KEY_ID: h.sb.sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.sb.sandbox.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      BUCKET: bucket,
      SIMULATE_OUTAGE: 'true',
    });
    try {
      await expect(
        handler({ trigger: 'event', key: `raw/orders/${P}/part-0000.jsonl` }),
      ).rejects.toBeInstanceOf(TransientError);
      expect((await summaryOf(bucket)).doc).toBeUndefined();
      process.env.SIMULATE_OUTAGE = 'false';
      expect(await handler({ trigger: 'event', key: `raw/orders/${P}/part-0000.jsonl` })).toMatchObject({
        status: 'processed',
        partition: P,
      });
    } finally {
      process.env = saved;
    }
  });
});
