/**
 * Seeded sample order data shared by the demos: JSON Lines records
 * `{order_id, customer_id, amount, currency, ts}` for one hourly window. The same seed, window and
 * file label always give the same bytes, so a check can compute exactly what the pipeline should
 * have produced. Upstream systems resend now and then, so a few records repeat an earlier order
 * verbatim — the reason a summary counts records and distinct orders separately.
 */
import { rawKey, windowStart, type HourWindow } from './hourWindows.js';

export interface OrderRecord {
  order_id: string;
  customer_id: string;
  /** Order value in `currency`, two decimals. */
  amount: number;
  currency: string;
  /** ISO-8601 UTC instant inside the window. */
  ts: string;
}

export interface OrderStats {
  record_count: number;
  distinct_orders: number;
  /** Sum of `amount` over distinct orders (a resent order is not revenue twice), two decimals. */
  total_amount: number;
}

export interface GenerateOrdersOptions {
  seed: string | number;
  window: HourWindow;
  count: number;
  /** Distinguishes several files of one window (`part-0000`, `late-0001`); part of the seed and the ids. */
  fileLabel: string;
  /** Share of records that repeat an earlier record of the same file (upstream resends). Default 0.05. */
  duplicateRate?: number;
  currency?: string;
}

export interface RawOrderFile {
  key: string;
  fileName: string;
  records: OrderRecord[];
  /** JSON Lines text, one record per line, trailing newline. */
  body: string;
  stats: OrderStats;
}

/** FNV-1a: a stable 32-bit hash of the seed material. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny, well-distributed PRNG; plenty for sample data and fully reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function generateOrders(opts: GenerateOrdersOptions): OrderRecord[] {
  if (!Number.isInteger(opts.count) || opts.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${opts.count}`);
  }
  const { window: w, fileLabel } = opts;
  const rand = prng(hash32(`${opts.seed}|${w.dt}|${w.hour}|${fileLabel}`));
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const duplicateRate = opts.duplicateRate ?? 0.05;
  const currency = opts.currency ?? 'USD';
  const start = windowStart(w);
  const idStem = `o-${w.dt.replaceAll('-', '')}${w.hour}-${fileLabel}`;
  const records: OrderRecord[] = [];
  let seq = 0;
  while (records.length < opts.count) {
    if (records.length > 0 && rand() < duplicateRate) {
      records.push({ ...records[int(0, records.length - 1)]! });
      continue;
    }
    seq++;
    records.push({
      order_id: `${idStem}-${String(seq).padStart(4, '0')}`,
      customer_id: `c-${String(int(1, 400)).padStart(4, '0')}`,
      amount: int(500, 25_000) / 100,
      currency,
      ts: new Date(start + int(0, 3_599_999)).toISOString(),
    });
  }
  return records;
}

/** What an aggregation over these records must report. */
export function orderStats(records: OrderRecord[]): OrderStats {
  const firstById = new Map<string, OrderRecord>();
  for (const r of records) if (!firstById.has(r.order_id)) firstById.set(r.order_id, r);
  let cents = 0;
  for (const r of firstById.values()) cents += Math.round(r.amount * 100);
  return { record_count: records.length, distinct_orders: firstById.size, total_amount: cents / 100 };
}

export function toJsonLines(records: OrderRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

/** Parse JSON Lines, skipping blank lines; throws on a malformed line (with its number). */
export function parseJsonLines(text: string): OrderRecord[] {
  const out: OrderRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as OrderRecord);
    } catch {
      throw new SyntaxError(`line ${i + 1} is not JSON`);
    }
  });
  return out;
}

/** One raw file of a window: its S3 key, records, JSON Lines body and expected stats. */
export function rawOrderFile(opts: GenerateOrdersOptions): RawOrderFile {
  const records = generateOrders(opts);
  const fileName = `${opts.fileLabel}.jsonl`;
  return {
    key: rawKey(opts.window, fileName),
    fileName,
    records,
    body: toJsonLines(records),
    stats: orderStats(records),
  };
}
