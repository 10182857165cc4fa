// What a partition's curated summary says and when it is stale. A summary records the raw objects
// it was built from (key, ETag, size, records); it is up to date exactly when those are the
// objects a listing of the partition shows now — decided from listings alone, without reading raw
// data. Pure logic; plain JavaScript ESM for the Lambda Node.js runtime.
import { partitionStart } from './partitions.mjs';

const HOUR_MS = 3_600_000;

/** A raw line that is not a JSON order; reprocessing the same bytes cannot help. */
export class MalformedRecordError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedRecordError';
  }
}

/**
 * Aggregate the partition's files (`[{key, etag, size, text}]`, any order): every record counts in
 * `record_count`; orders are deduplicated by `order_id` across all files (the first occurrence in
 * key order wins), so a resent order never counts twice in `distinct_orders` or `total_amount`.
 */
export function aggregatePartition(files) {
  const sorted = [...files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const centsByOrder = new Map();
  const sources = [];
  let records = 0;
  for (const file of sorted) {
    let fileRecords = 0;
    const lines = file.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new MalformedRecordError(`${file.key} line ${i + 1} is not JSON`);
      }
      if (!rec || typeof rec.order_id !== 'string' || !Number.isFinite(Number(rec.amount))) {
        throw new MalformedRecordError(`${file.key} line ${i + 1} has no order_id or amount`);
      }
      fileRecords++;
      if (!centsByOrder.has(rec.order_id))
        centsByOrder.set(rec.order_id, Math.round(Number(rec.amount) * 100));
    }
    records += fileRecords;
    sources.push({ key: file.key, etag: file.etag, size: file.size, records: fileRecords });
  }
  let cents = 0;
  for (const c of centsByOrder.values()) cents += c;
  return {
    record_count: records,
    distinct_orders: centsByOrder.size,
    duplicates_dropped: records - centsByOrder.size,
    total_amount: cents / 100,
    sources,
  };
}

/** The summary document at `curated/orders_hourly/<partition>/summary.json`. */
export function buildSummary({ partition, stats, processedAt, trigger }) {
  const start = partitionStart(partition);
  return {
    partition,
    window: { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() },
    record_count: stats.record_count,
    distinct_orders: stats.distinct_orders,
    duplicates_dropped: stats.duplicates_dropped,
    total_amount: stats.total_amount,
    sources: stats.sources,
    processed_at: processedAt,
    trigger,
  };
}

const sourceId = (s) => `${s.key}\u0000${s.etag}\u0000${s.size}`;

/** Whether a summary was built from exactly the objects listed (same keys, ETags and sizes). */
export function builtFrom(summary, listed) {
  const recorded = Array.isArray(summary?.sources) ? summary.sources : [];
  if (recorded.length !== listed.length) return false;
  const ids = new Set(recorded.map(sourceId));
  return listed.every((o) => ids.has(sourceId(o)));
}

/**
 * One partition as the listings show it: MISSING (no raw input), STALE (input without a summary,
 * or a summary built from other objects than those listed now) or CURRENT.
 */
export function partitionState(rawObjects, summary) {
  if (rawObjects.length === 0) return 'MISSING';
  if (!summary || !builtFrom(summary, rawObjects)) return 'STALE';
  return 'CURRENT';
}
