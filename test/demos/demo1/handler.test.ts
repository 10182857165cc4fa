/**
 * The hourly-aggregate handler as the Lambda runtime would run it, in-process: the real .mjs, the
 * real AWS SDK, talking to an embedded sandbox's S3 through AWS_ENDPOINT_URL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { readSummary } from '../../../demos/shared/orderStore.js';
import { rawOrderFile } from '../../../demos/shared/orders.js';

const BUCKET = 'demo1-handler-test';
const window = { dt: '2024-05-01', hour: '10' };
const scheduled = (time: string) => ({
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time,
  detail: {},
});

type Handler = (event: unknown, context?: unknown) => Promise<Record<string, unknown>>;

let sb: TestSandbox;
let s3: S3Client;
let handler: Handler;
const saved = { ...process.env };

beforeAll(async () => {
  sb = await startTestSandbox();
  s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sb.sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.sandbox.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    BUCKET,
  });
  delete process.env.AWS_PROFILE;
  ({ handler } = (await import('../../../demos/demo1-scheduler-lambda/lambda/index.mjs')) as {
    handler: Handler;
  });
});

afterAll(async () => {
  process.env = saved;
  await sb?.stop();
});

async function put(count: number, fileLabel: string) {
  const file = rawOrderFile({ seed: 'handler', window, count, fileLabel });
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file.key, Body: file.body }));
  return file;
}

describe('hourly-aggregate handler against sandbox S3', () => {
  it('a scheduled run over an empty hour writes a count-0 summary and succeeds (the silent case)', async () => {
    const log = vi.spyOn(console, 'log');
    const res = await handler(scheduled('2024-05-01T11:00:12Z'), { awsRequestId: 'req-empty' });
    expect(res).toMatchObject({ status: 'processed', record_count: 0 });
    const s = await readSummary(s3, BUCKET, window);
    expect(s).toMatchObject({
      record_count: 0,
      source_files: [],
      trigger: { type: 'schedule', request_id: 'req-empty' },
    });
    const lines = log.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'run started', trigger: 'schedule', window });
    log.mockRestore();
  });

  it('retries an empty hour on the next run and summarises the data that landed', async () => {
    const file = await put(120, 'part-0000');
    const res = await handler(scheduled('2024-05-01T11:01:12Z'), { awsRequestId: 'req-1' });
    expect(res).toMatchObject({ status: 'processed', record_count: 120 });
    const s = await readSummary(s3, BUCKET, window);
    expect(s).toMatchObject({
      ...file.stats,
      source_files: [file.key],
      window: { ...window, start: '2024-05-01T10:00:00.000Z', end: '2024-05-01T11:00:00.000Z' },
      trigger: { type: 'schedule', event_time: '2024-05-01T11:01:12.000Z', request_id: 'req-1' },
    });
  });

  it('skips an hour that already has a non-empty summary, so late data is never counted', async () => {
    await put(30, 'late-0001');
    const res = await handler(scheduled('2024-05-01T11:02:12Z'));
    expect(res).toMatchObject({ status: 'skipped', record_count: 120 });
    expect((await readSummary(s3, BUCKET, window))?.record_count).toBe(120);
  });

  it('reprocesses an explicit window (backfill) with every file', async () => {
    const res = await handler({ window });
    expect(res).toMatchObject({ status: 'processed', record_count: 150 });
    const s = await readSummary(s3, BUCKET, window);
    expect(s?.source_files).toHaveLength(2);
    expect(s?.trigger.type).toBe('backfill');
  });

  it('with REQUIRE_INPUT=true, an empty window throws MissingInputError and writes nothing', async () => {
    process.env.REQUIRE_INPUT = 'true';
    const errLog = vi.spyOn(console, 'error');
    try {
      const empty = { dt: '2024-04-30', hour: '10' };
      await expect(handler({ window: empty })).rejects.toMatchObject({ name: 'MissingInputError' });
      expect(await readSummary(s3, BUCKET, empty)).toBeUndefined();
      expect(JSON.parse(String(errLog.mock.calls[0]?.[0]))).toMatchObject({
        level: 'ERROR',
        error: 'MissingInputError',
      });
      // A window with data still works.
      await expect(handler({ window })).resolves.toMatchObject({ record_count: 150 });
    } finally {
      delete process.env.REQUIRE_INPUT;
      errLog.mockRestore();
    }
  });

  it('fails clearly without BUCKET', async () => {
    delete process.env.BUCKET;
    try {
      await expect(handler({ window })).rejects.toThrow('BUCKET is not set');
    } finally {
      process.env.BUCKET = BUCKET;
    }
  });
});
