/**
 * Every hour a bucket knows about: hours with raw files under `raw/orders/` and hours with a summary
 * under `curated/orders_hourly/` — what "every hour this demo touched" means when checking that
 * each one is right. Also removing objects, for starting an hour over or deleting a misleading
 * summary.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CURATED_HOURLY_PREFIX, RAW_ORDERS_PREFIX, windowStart, type HourWindow } from './hourWindows.js';
import { listKeys } from './orderStore.js';

const HOUR_IN_KEY = /dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\//;

/** The hour a raw or curated key belongs to, if it follows the layout. */
export function windowOfKey(key: string): HourWindow | undefined {
  const m = HOUR_IN_KEY.exec(key);
  return m ? { dt: m[1]!, hour: m[2]! } : undefined;
}

/** Hours with raw files or a summary, oldest first, each once. */
export async function hoursInBucket(s3: S3Client, bucket: string): Promise<HourWindow[]> {
  const keys = [
    ...(await listKeys(s3, bucket, RAW_ORDERS_PREFIX)),
    ...(await listKeys(s3, bucket, CURATED_HOURLY_PREFIX)),
  ];
  const hours = new Map<string, HourWindow>();
  for (const key of keys) {
    const w = windowOfKey(key);
    if (w) hours.set(`${w.dt}/${w.hour}`, w);
  }
  return [...hours.values()].sort((a, b) => windowStart(a) - windowStart(b));
}

/** Delete objects one by one (S3 answers 204 for a key that is already gone). */
export async function deleteObjects(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
