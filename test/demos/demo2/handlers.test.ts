/**
 * demo2's three functions as the Lambda runtime would run them, in-process: the real .mjs files,
 * the real AWS SDK, talking to an embedded sandbox's S3 through AWS_ENDPOINT_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { listKeys, readSummary } from '../../../demos/shared/orderStore.js';
import { rawOrderFile } from '../../../demos/shared/orders.js';
import { incomingFile } from '../../../demos/demo2-event-driven-step-functions/sampleFiles.js';
import { errorOf } from '../../helpers/awsErrors.js';

type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<Record<string, unknown>>;

const BUCKET = 'demo2-handler-test';
const window = { dt: '2024-05-01', hour: '10' };

let sb: TestSandbox;
let s3: S3Client;
let validate: Handler;
let transform: Handler;
let load: Handler;
const saved = { ...process.env };

beforeAll(async () => {
  // The handlers log one JSON line per event, as on Lambda; the test does not need to see them.
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  sb = await startTestSandbox();
  s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sb.sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.sandbox.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
  delete process.env.AWS_PROFILE;
  const dir = '../../../demos/demo2-event-driven-step-functions/lambda';
  ({ handler: validate } = (await import(`${dir}/validate.mjs`)) as { handler: Handler });
  ({ handler: transform } = (await import(`${dir}/transform.mjs`)) as { handler: Handler });
  ({ handler: load } = (await import(`${dir}/load.mjs`)) as { handler: Handler });
});

afterAll(async () => {
  vi.restoreAllMocks();
  process.env = saved;
  await sb?.stop();
});

beforeEach(() => {
  delete process.env.FAIL_FIRST_ATTEMPTS;
  delete process.env.LOAD_FAULT;
});

async function put(key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function text(key: string): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
}

describe('validate', () => {
  it('accepts a good file and says which hours it holds', async () => {
    const file = incomingFile('handlers', window, 'first');
    await put(file.key, file.body);
    expect(await validate({ bucket: BUCKET, key: file.key })).toEqual({
      key: file.key,
      records: 120,
      hours: [window],
    });
  });

  it('rejects the malformed file with ValidationError naming each bad line', async () => {
    const file = incomingFile('handlers', window, 'malformed');
    await put(file.key, file.body);
    const err = await errorOf(validate({ bucket: BUCKET, key: file.key }));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(
      `${file.key} is not valid order data: line 3: ${file.defects[0]!.problem}; line 7: not JSON`,
    );
  });

  it('rejects an empty file and a request without a key', async () => {
    await put('incoming/orders/empty.jsonl', '\n\n');
    expect((await errorOf(validate({ bucket: BUCKET, key: 'incoming/orders/empty.jsonl' }))).message).toBe(
      'incoming/orders/empty.jsonl holds no order records',
    );
    expect((await errorOf(validate({ bucket: BUCKET }))).name).toBe('InvalidRequestError');
  });

  it('quarantine moves the file and phrases the cause; running it again is harmless', async () => {
    const file = incomingFile('handlers', window, 'malformed');
    await put(file.key, file.body);
    const error = {
      Error: 'ValidationError',
      Cause: JSON.stringify({ errorType: 'ValidationError', errorMessage: 'line 3: amount is not a number' }),
    };
    const quarantinedKey = file.key.replace('incoming/', 'quarantine/');
    const expected = {
      quarantinedKey,
      cause: `line 3: amount is not a number. The file was moved to ${quarantinedKey}; fix it and upload it to incoming/ again.`,
    };
    expect(await validate({ action: 'quarantine', bucket: BUCKET, key: file.key, error })).toEqual(expected);
    expect(await text(quarantinedKey)).toBe(file.body);
    expect(await listKeys(s3, BUCKET, file.key)).toEqual([]);
    expect(await validate({ action: 'quarantine', bucket: BUCKET, key: file.key, error })).toEqual(expected);
    expect(await text(quarantinedKey)).toBe(file.body);
  });
});

describe('transform', () => {
  it('fails the first FAIL_FIRST_ATTEMPTS attempts with TransientError, then partitions the file', async () => {
    const file = incomingFile('handlers', { dt: '2024-05-02', hour: '07' }, 'first');
    await put(file.key, file.body);
    process.env.FAIL_FIRST_ATTEMPTS = '2';
    for (const attempt of [0, 1]) {
      const err = await errorOf(transform({ bucket: BUCKET, key: file.key, attempt }));
      expect(err.name).toBe('TransientError');
      expect(err.message).toBe(
        `simulated transient failure on attempt ${attempt + 1} (FAIL_FIRST_ATTEMPTS=2)`,
      );
    }
    const rawKey = 'raw/orders/dt=2024-05-02/hour=07/2024-05-02-07-part-0000.jsonl';
    expect(await transform({ bucket: BUCKET, key: file.key, attempt: 2 })).toEqual({
      partitions: [{ dt: '2024-05-02', hour: '07', key: rawKey, records: 120 }],
    });
    expect(await text(rawKey)).toBe(file.body);
  });

  it('splits records by the hour of their own timestamps and normalises them', async () => {
    const key = 'incoming/orders/two-hours.jsonl';
    await put(
      key,
      [
        {
          order_id: ' a ',
          customer_id: 'c1',
          amount: 10.005,
          currency: 'usd',
          ts: '2024-05-03T09:59:59+00:00',
        },
        { order_id: 'b', customer_id: 'c2', amount: 3, currency: 'EUR', ts: '2024-05-03T10:00:00Z' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const out = (await transform({ bucket: BUCKET, key, attempt: 0 })) as {
      partitions: Array<{ key: string }>;
    };
    expect(out.partitions.map((p) => p.key)).toEqual([
      'raw/orders/dt=2024-05-03/hour=09/two-hours.jsonl',
      'raw/orders/dt=2024-05-03/hour=10/two-hours.jsonl',
    ]);
    expect(JSON.parse(await text(out.partitions[0]!.key))).toEqual({
      order_id: 'a',
      customer_id: 'c1',
      amount: 10.01,
      currency: 'USD',
      ts: '2024-05-03T09:59:59.000Z',
    });
  });
});

describe('load', () => {
  const w = { dt: '2024-05-04', hour: '12' };

  it('recounts every raw file of the hour and writes its summary', async () => {
    const a = rawOrderFile({ seed: 'handlers', window: w, count: 40, fileLabel: 'a' });
    const b = rawOrderFile({ seed: 'handlers', window: w, count: 10, fileLabel: 'b' });
    await put(a.key, a.body);
    await put(b.key, b.body);
    const out = await load(
      {
        bucket: BUCKET,
        partitions: [w],
        trigger: { event_time: '2024-05-04T12:59:00Z', execution: 'exec-1' },
      },
      { awsRequestId: 'req-1' },
    );
    const summary = await readSummary(s3, BUCKET, w);
    expect(summary).toMatchObject({
      record_count: 50,
      distinct_orders: a.stats.distinct_orders + b.stats.distinct_orders,
      total_amount: Math.round((a.stats.total_amount + b.stats.total_amount) * 100) / 100,
      source_files: [a.key, b.key],
      trigger: {
        type: 'event',
        event_time: '2024-05-04T12:59:00Z',
        request_id: 'req-1',
        execution: 'exec-1',
      },
    });
    expect(out).toEqual({
      summaries: [
        {
          ...w,
          key: 'curated/orders_hourly/dt=2024-05-04/hour=12/summary.json',
          record_count: 50,
          distinct_orders: summary!.distinct_orders,
          total_amount: summary!.total_amount,
        },
      ],
    });
  });

  it('refuses to write while LOAD_FAULT is set, and rejects a malformed partition', async () => {
    process.env.LOAD_FAULT = 'unavailable';
    const err = await errorOf(load({ bucket: BUCKET, partitions: [w] }));
    expect(err.name).toBe('DestinationUnavailableError');
    expect(err.message).toBe('curated/ is not accepting writes (fault injected: LOAD_FAULT=unavailable)');
    delete process.env.LOAD_FAULT;
    const bad = await errorOf(load({ bucket: BUCKET, partitions: [{ dt: '../x', hour: '12' }] }));
    expect(bad.name).toBe('InvalidRequestError');
  });
});
