/**
 * The demos' view of order data in S3: upload a raw file, recount a raw window from what is really
 * stored (the ground truth a check compares against), and read a window's curated summary.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { curatedKey, rawPrefix, type HourWindow } from './hourWindows.js';
import {
  orderStats,
  parseJsonLines,
  type OrderRecord,
  type OrderStats,
  type RawOrderFile,
} from './orders.js';

/** The summary document an hourly job writes (`curated/orders_hourly/…/summary.json`). */
export interface CuratedSummary extends OrderStats {
  window: HourWindow & { start: string; end: string };
  source_files: string[];
  processed_at: string;
  trigger: {
    /** What started the job: demo1's schedule or explicit backfill, demo2's event-driven execution. */
    type: 'schedule' | 'backfill' | 'event';
    event_time: string | null;
    request_id: string | null;
    /** demo2: the name of the Step Functions execution that wrote it. */
    execution?: string | null;
  };
}

export interface RawWindowContents {
  keys: string[];
  stats: OrderStats;
}

export async function putRawFile(s3: S3Client, bucket: string, file: RawOrderFile): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: file.key,
      Body: file.body,
      ContentType: 'application/x-ndjson',
    }),
  );
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!res.Body) return '';
  return res.Body.transformToString('utf-8');
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Recount a raw window from the objects actually in the bucket. */
export async function readRawWindow(s3: S3Client, bucket: string, w: HourWindow): Promise<RawWindowContents> {
  const keys = await listKeys(s3, bucket, rawPrefix(w));
  const records: OrderRecord[] = [];
  for (const key of keys) records.push(...parseJsonLines(await getText(s3, bucket, key)));
  return { keys, stats: orderStats(records) };
}

/** The window's curated summary, or undefined when none was written. */
export async function readSummary(
  s3: S3Client,
  bucket: string,
  w: HourWindow,
): Promise<CuratedSummary | undefined> {
  try {
    return JSON.parse(await getText(s3, bucket, curatedKey(w))) as CuratedSummary;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404)
      return undefined;
    throw err;
  }
}
