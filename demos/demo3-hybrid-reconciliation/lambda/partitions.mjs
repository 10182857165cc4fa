// Hourly partitions of the orders data set and where they live in S3: one partition per UTC hour,
// named by its path segment `dt=YYYY-MM-DD/hour=HH` under raw/orders/ (input files) and
// curated/orders_hourly/ (one summary.json). Keys sort in time order, which the listings rely on.
// Pure logic, no AWS calls; plain JavaScript ESM for the Lambda Node.js runtime.

export const RAW_ROOT = 'raw/orders/';
export const CURATED_ROOT = 'curated/orders_hourly/';
export const REPORTS_ROOT = 'reports/reconciliation/';
export const SUMMARY_FILE = 'summary.json';

/** Keeps every list passed between states far under Step Functions' 256 KB (≈ 25 bytes an id). */
export const MAX_WINDOW_HOURS = 720;

const HOUR_MS = 3_600_000;
const PARTITION_ID = /^dt=(\d{4}-\d{2}-\d{2})\/hour=([01]\d|2[0-3])$/;
// A raw file sits directly in its partition's folder; anything deeper or differently named is not input.
const RAW_FILE_KEY = /^raw\/orders\/(dt=\d{4}-\d{2}-\d{2}\/hour=(?:[01]\d|2[0-3]))\/([^/]+)$/;

/** Input that names no valid partition or window; retrying cannot help. */
export class InvalidInputError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export function partitionId(epochMs) {
  const iso = new Date(epochMs).toISOString();
  return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

/** Epoch ms at which the partition's hour starts; throws InvalidInputError for anything else. */
export function partitionStart(id) {
  const m = typeof id === 'string' ? PARTITION_ID.exec(id) : null;
  const ms = m ? Date.parse(`${m[1]}T${m[2]}:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(ms) || partitionId(ms) !== id) {
    throw new InvalidInputError(`not a partition id (dt=YYYY-MM-DD/hour=HH): ${JSON.stringify(id)}`);
  }
  return ms;
}

export function isPartitionId(id) {
  try {
    partitionStart(id);
    return true;
  } catch {
    return false;
  }
}

export function nextPartition(id) {
  return partitionId(partitionStart(id) + HOUR_MS);
}

export function rawPrefix(id) {
  return `${RAW_ROOT}${id}/`;
}

export function curatedKey(id) {
  return `${CURATED_ROOT}${id}/${SUMMARY_FILE}`;
}

/** The partition a raw object belongs to, or undefined when the key is not a partition's input file. */
export function partitionOfRawKey(key) {
  const m = typeof key === 'string' ? RAW_FILE_KEY.exec(key) : null;
  return m && isPartitionId(m[1]) ? m[1] : undefined;
}

/** The partition whose summary this key is, or undefined. */
export function partitionOfCuratedKey(key) {
  if (typeof key !== 'string' || !key.startsWith(CURATED_ROOT) || !key.endsWith(`/${SUMMARY_FILE}`)) {
    return undefined;
  }
  const id = key.slice(CURATED_ROOT.length, -SUMMARY_FILE.length - 1);
  return isPartitionId(id) ? id : undefined;
}

/**
 * The window `{start, hours}` as its partition ids, oldest first. `start` is an ISO-8601 instant
 * on an hour boundary; at most MAX_WINDOW_HOURS partitions.
 */
export function windowPartitions(window) {
  const start = typeof window?.start === 'string' ? Date.parse(window.start) : Number.NaN;
  const hours = window?.hours;
  if (Number.isNaN(start) || start % HOUR_MS !== 0) {
    throw new InvalidInputError(
      `window.start must be an ISO-8601 time on the hour, got ${JSON.stringify(window?.start)}`,
    );
  }
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_WINDOW_HOURS) {
    throw new InvalidInputError(
      `window.hours must be a whole number from 1 to ${MAX_WINDOW_HOURS}, got ${JSON.stringify(hours)}`,
    );
  }
  return Array.from({ length: hours }, (_, i) => partitionId(start + i * HOUR_MS));
}

export function windowBounds(window) {
  const start = Date.parse(window.start);
  return {
    start: new Date(start).toISOString(),
    end: new Date(start + window.hours * HOUR_MS).toISOString(),
  };
}
