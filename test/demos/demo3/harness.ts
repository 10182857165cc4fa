/**
 * demo3's handlers in-process against an embedded sandbox's S3 (real HTTP, real SigV4): a bucket
 * per test, seeded order files per partition, and SDK middleware that counts calls or slips a
 * concurrent write in before a chosen call (another run, racing — over real HTTP too).
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { generateOrders, orderStats, toJsonLines, type OrderRecord } from '../../../demos/shared/orders.js';
import { partitionStart } from '../../../demos/demo3-hybrid-reconciliation/lambda/partitions.mjs';

export interface Harness {
  sb: TestSandbox;
  s3: S3Client;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sb = await startTestSandbox();
  const s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
  return { sb, s3, stop: () => sb.stop() };
}

let buckets = 0;
export async function newBucket(h: Harness): Promise<string> {
  const name = `demo3-test-${++buckets}-${process.pid}`;
  await h.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** `dt=2024-05-01/hour=03` → the window the shared generator takes. */
export function hourOf(partition: string): { dt: string; hour: string } {
  const iso = new Date(partitionStart(partition)).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

export function ordersFor(partition: string, count: number, fileLabel: string): OrderRecord[] {
  return generateOrders({ seed: 'demo3-test', window: hourOf(partition), count, fileLabel });
}

export async function putRaw(
  h: Harness,
  bucket: string,
  partition: string,
  file: string,
  records: OrderRecord[],
) {
  const key = `raw/orders/${partition}/${file}.jsonl`;
  await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: toJsonLines(records) }));
  return key;
}

export { orderStats };

/** An S3 client for the same sandbox whose calls are counted by operation name. */
export function countingClient(h: Harness): { s3: S3Client; counts: Map<string, number> } {
  const s3 = new S3Client({ ...h.sb.clientConfig, forcePathStyle: true });
  const counts = new Map<string, number>();
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { s3, counts };
}

/**
 * An S3 client that runs `before` once, just before the first call matching `when` is sent —
 * to put another run's write (or an upstream overwrite) between a handler's read and its write.
 */
export function racingClient(
  h: Harness,
  when: (commandName: string, input: Record<string, unknown>) => boolean,
  before: () => Promise<void>,
): S3Client {
  const s3 = new S3Client({ ...h.sb.clientConfig, forcePathStyle: true });
  let fired = false;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (!fired && when(context.commandName ?? '', args.input as Record<string, unknown>)) {
        fired = true;
        await before();
      }
      return next(args);
    },
    { step: 'initialize', name: 'raceBefore' },
  );
  return s3;
}
