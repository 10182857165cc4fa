// process-partition: the Lambda function of demo3 that (re)builds one hourly partition's curated
// summary from all of its raw files, for the Node.js 22 runtime (AWS SDK v3 and node builtins only,
// so it runs unmodified on AWS and in the course sandbox).
//
// Idempotent: orders are deduplicated by order_id across files; a summary already built from exactly
// the listed objects is left alone; a write only succeeds if the summary is still what was read
// (conditional PUT), so repeated or concurrent runs converge on the same summary.
//
// Input: {"partition": "dt=YYYY-MM-DD/hour=HH", "trigger": "reconcile", "execution": "..."} or, for
// an arrival, {"trigger": "event", "bucket": "...", "key": "raw/orders/dt=…/hour=…/file.jsonl"}.
// Configuration (environment):
//   BUCKET           bucket holding raw/ and curated/ (required)
//   SIMULATE_OUTAGE  "true": every run fails with TransientError, as during a dependency outage
import { S3Client } from '@aws-sdk/client-s3';
import {
  getJson,
  getText,
  isConditionFailure,
  isMissing,
  listRange,
  mapLimit,
  putJsonIfUnchanged,
} from './s3Objects.mjs';
import {
  InvalidInputError,
  curatedKey,
  partitionOfRawKey,
  partitionStart,
  rawPrefix,
} from './partitions.mjs';
import { aggregatePartition, buildSummary, builtFrom } from './summaries.mjs';

/** A failure that may pass: Step Functions retries it (Retry on TransientError). */
export class TransientError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TransientError';
  }
}

/** Other runs kept changing the summary while this one worked; retrying later will settle it. */
export class ConcurrentUpdateError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConcurrentUpdateError';
  }
}

const ROUNDS = 5;
const FILE_READS_IN_FLIGHT = 8;

/** One JSON object per line, so CloudWatch Logs Insights and metric filters can read the fields. */
function log(level, message, fields = {}) {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') console.error(line);
  else console.log(line);
}

/** The partition an event names; undefined when the object is not a partition's input file. */
function partitionOfEvent(event, bucket) {
  if (event.bucket !== undefined && event.bucket !== bucket) {
    throw new InvalidInputError(
      `this function processes bucket ${bucket}, not ${JSON.stringify(event.bucket)}`,
    );
  }
  if (typeof event.key !== 'string') throw new InvalidInputError('an event run needs the object "key"');
  // S3 notifications URL-encode keys in some channels (dt%3D…); accept both forms.
  let decoded = event.key;
  try {
    decoded = decodeURIComponent(event.key.replace(/\+/g, ' '));
  } catch {
    // not encoded
  }
  return partitionOfRawKey(event.key) ?? partitionOfRawKey(decoded);
}

/** `{partition, trigger}` to process, `{ignored: key}` for a key that is not input. */
export function requestOf(event, bucket) {
  if (!event || typeof event !== 'object') throw new InvalidInputError('the event must be a JSON object');
  if (event.partition !== undefined) {
    partitionStart(event.partition);
    return { partition: event.partition, trigger: event.trigger === 'event' ? 'event' : 'reconcile' };
  }
  const partition = partitionOfEvent(event, bucket);
  return partition ? { partition, trigger: 'event' } : { ignored: event.key };
}

/**
 * Bring the partition's summary up to date with its raw objects. Returns what happened:
 * `processed` (a new summary was written), `up-to-date` (nothing to do) or `no-input`.
 */
export async function processPartition(s3, bucket, partition, trigger) {
  for (let round = 1; round <= ROUNDS; round++) {
    const current = await getJson(s3, bucket, curatedKey(partition));
    const listed = (await listRange(s3, bucket, { prefix: rawPrefix(partition) })).filter(
      (o) => partitionOfRawKey(o.key) === partition,
    );
    if (listed.length === 0) return { status: 'no-input', partition };
    if (current && builtFrom(current.doc, listed)) {
      return {
        status: 'up-to-date',
        partition,
        record_count: current.doc.record_count,
        sources: listed.length,
      };
    }
    let files;
    try {
      // If-Match: read exactly the version the listing showed, or start over.
      files = await mapLimit(listed, FILE_READS_IN_FLIGHT, async (o) => ({
        ...o,
        text: (await getText(s3, bucket, o.key, `"${o.etag}"`)).text,
      }));
    } catch (err) {
      if (!isConditionFailure(err) && !isMissing(err)) throw err;
      log('INFO', 'an input file changed while it was read; listing again', { partition, round });
      continue;
    }
    const stats = aggregatePartition(files);
    const summary = buildSummary({ partition, stats, processedAt: new Date().toISOString(), trigger });
    if (await putJsonIfUnchanged(s3, bucket, curatedKey(partition), summary, current?.etag)) {
      return {
        status: 'processed',
        partition,
        record_count: stats.record_count,
        distinct_orders: stats.distinct_orders,
        sources: stats.sources.length,
      };
    }
    log('INFO', 'the summary changed while this run worked; reading again', { partition, round });
  }
  throw new ConcurrentUpdateError(`${partition}: the summary kept changing during ${ROUNDS} attempts`);
}

const s3 = new S3Client({});

export const handler = async (event, context) => {
  const bucket = process.env.BUCKET;
  if (!bucket) throw new Error('BUCKET is not set');
  const request = requestOf(event, bucket);
  if (request.ignored !== undefined) {
    log('INFO', 'not an input file of a partition; ignored', { key: request.ignored });
    return { status: 'ignored', key: request.ignored };
  }
  const { partition } = request;
  log('INFO', 'run started', { partition, trigger: request.trigger, key: event.key ?? null });
  if (process.env.SIMULATE_OUTAGE === 'true') {
    const err = new TransientError('downstream unavailable (SIMULATE_OUTAGE=true)');
    log('ERROR', 'transient failure', { partition, error: err.name, detail: err.message });
    throw err;
  }
  const trigger = {
    type: request.trigger,
    execution: typeof event.execution === 'string' ? event.execution : null,
    request_id: context?.awsRequestId ?? null,
  };
  const result = await processPartition(s3, bucket, partition, trigger);
  log('INFO', `partition ${result.status}`, result);
  return result;
};
