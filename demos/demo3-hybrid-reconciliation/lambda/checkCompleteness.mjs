// check-completeness: the Lambda function of demo3 that compares the hourly partitions a window
// should have with what raw/ and curated/ hold, from listings (and each summary's recorded
// sources), never by reading raw data. For the Node.js 22 runtime, unmodified on AWS and the sandbox.
//
// First check, input {"window": {"start": ISO hour, "hours": N}}: which partitions are MISSING (no
// raw input), STALE (input without a summary, or a summary built from other objects) or current.
// Re-check after the grace period, input {"window", "previous": <the last answer>}: looks only at the
// partitions still missing; those that arrived meanwhile are LATE (and must be processed).
// It returns partition ids, never data, so the state machine's payloads stay small at any window size.
//
// Configuration (environment): BUCKET, the bucket holding raw/ and curated/.
import { S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError, isPartitionId, windowPartitions } from './partitions.mjs';
import { scanPartitions, scanWindow } from './windowScan.mjs';

function log(message, fields = {}) {
  console.log(JSON.stringify({ level: 'INFO', message, ...fields }));
}

const idsWhere = (scanned, state) => scanned.filter((p) => p.state === state).map((p) => p.id);

export async function firstCheck(s3, bucket, window) {
  const scanned = await scanWindow(s3, bucket, window);
  const stale = idsWhere(scanned, 'STALE');
  const missing = idsWhere(scanned, 'MISSING');
  return {
    partitions: scanned.length,
    current: scanned.length - stale.length - missing.length,
    stale,
    missing,
    late: [],
    arrived: [],
    rechecks: 0,
    checked_at: new Date().toISOString(),
  };
}

function partitionList(value, name, inWindow) {
  if (!Array.isArray(value) || !value.every((id) => isPartitionId(id) && inWindow.has(id))) {
    throw new InvalidInputError(`previous.${name} must list partition ids of the window`);
  }
  return value;
}

export async function recheck(s3, bucket, window, previous) {
  const inWindow = new Set(windowPartitions(window));
  const missingBefore = partitionList(previous?.missing, 'missing', inWindow);
  const lateBefore = partitionList(previous?.late, 'late', inWindow);
  const rechecks = Number.isInteger(previous.rechecks) ? previous.rechecks : 0;
  const scanned = await scanPartitions(s3, bucket, missingBefore);
  const arrived = scanned.filter((p) => p.state !== 'MISSING').map((p) => p.id);
  return {
    ...previous,
    missing: idsWhere(scanned, 'MISSING'),
    arrived,
    late: [...lateBefore, ...arrived],
    rechecks: rechecks + 1,
    checked_at: new Date().toISOString(),
  };
}

const s3 = new S3Client({});

export const handler = async (event) => {
  const bucket = process.env.BUCKET;
  if (!bucket) throw new Error('BUCKET is not set');
  if (!event || typeof event !== 'object') throw new InvalidInputError('the event must be a JSON object');
  const result = event.previous
    ? await recheck(s3, bucket, event.window, event.previous)
    : await firstCheck(s3, bucket, event.window);
  log(event.previous ? 're-check done' : 'check done', {
    window: event.window,
    stale: result.stale.length,
    missing: result.missing,
    arrived: result.arrived,
    rechecks: result.rechecks,
  });
  return result;
};
