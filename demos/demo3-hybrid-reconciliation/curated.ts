/**
 * The bucket as a check reads it: a partition's curated summary, its raw objects (listing), a full
 * recount of its raw records (the ground truth), and every summary's ETag (to prove nothing was
 * rewritten). Reads run a few at a time so a 720-hour window stays quick.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { StepContext } from '../../src/course/model.js';
import { CURATED_HOURLY_PREFIX, RAW_ORDERS_PREFIX } from '../shared/hourWindows.js';
import { listKeys, readRawWindow, type RawWindowContents } from '../shared/orderStore.js';
import type { PartitionSummary } from './lambda/summaries.mjs';
import { mapLimited } from './limited.js';
import { need, type Demo3State } from './state.js';
import { hourOfPartition } from './window.js';

type Ctx = StepContext<Demo3State>;

const RAW_ROOT = RAW_ORDERS_PREFIX;
const CURATED_ROOT = CURATED_HOURLY_PREFIX;
const READS_IN_FLIGHT = 8;

/** `fn` over `items`, a few at a time (reads are latency-bound); results in input order. */
export const eachLimited = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> =>
  mapLimited(items, READS_IN_FLIGHT, fn);

export const rawPrefixOf = (partition: string): string => `${RAW_ROOT}${partition}/`;
export const summaryKeyOf = (partition: string): string => `${CURATED_ROOT}${partition}/summary.json`;

export async function readSummary(ctx: Ctx, partition: string): Promise<PartitionSummary | undefined> {
  try {
    const res = await ctx.aws.s3.send(
      new GetObjectCommand({ Bucket: need(ctx.state.bucket, 'the bucket'), Key: summaryKeyOf(partition) }),
    );
    return JSON.parse(await res.Body!.transformToString('utf-8')) as PartitionSummary;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

export async function readSummaries(
  ctx: Ctx,
  partitions: readonly string[],
): Promise<Map<string, PartitionSummary>> {
  const found = await eachLimited(partitions, async (p) => [p, await readSummary(ctx, p)] as const);
  return new Map(found.filter((e): e is readonly [string, PartitionSummary] => e[1] !== undefined));
}

export interface RawObject {
  key: string;
  etag: string;
  size: number;
}

/** The partition's raw objects as a listing shows them now. */
export async function rawObjects(ctx: Ctx, partition: string): Promise<RawObject[]> {
  const objects: RawObject[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.aws.s3.send(
      new ListObjectsV2Command({
        Bucket: need(ctx.state.bucket, 'the bucket'),
        Prefix: rawPrefixOf(partition),
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key) objects.push({ key: o.Key, etag: (o.ETag ?? '').replace(/"/g, ''), size: o.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** Whether a summary was built from exactly these objects (keys, ETags, sizes). */
export function builtFromObjects(summary: PartitionSummary | undefined, objects: RawObject[]): boolean {
  if (!summary) return false;
  const id = (o: RawObject) => `${o.key} ${o.etag} ${o.size}`;
  const recorded = new Set(summary.sources.map(id));
  return recorded.size === objects.length && objects.every((o) => recorded.has(id(o)));
}

/** Recount the partition's raw records from the files in the bucket now. */
export function recountRaw(ctx: Ctx, partition: string): Promise<RawWindowContents> {
  return readRawWindow(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), hourOfPartition(partition));
}

/** Every summary's ETag, by partition (one listing of curated/). */
export async function summaryEtags(ctx: Ctx): Promise<Record<string, string>> {
  const etags: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await ctx.aws.s3.send(
      new ListObjectsV2Command({
        Bucket: need(ctx.state.bucket, 'the bucket'),
        Prefix: CURATED_ROOT,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      const m = /^curated\/orders_hourly\/(dt=[^/]+\/hour=\d\d)\/summary\.json$/.exec(o.Key ?? '');
      if (m) etags[m[1]!] = (o.ETag ?? '').replace(/"/g, '');
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return etags;
}

/** Every raw key in the bucket (for the upload checks). */
export function allRawKeys(ctx: Ctx): Promise<string[]> {
  return listKeys(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), RAW_ROOT);
}
