// hourly-aggregate: the Lambda function of demo1, for the Node.js 22 runtime.
//
// Triggered every minute by an EventBridge schedule, it summarises "the previous hour" of raw order
// files into one curated summary. It uses only what the Lambda runtime provides (AWS SDK v3 and
// node builtins), so the same file runs on AWS and in the course sandbox (where the SDK picks up
// AWS_ENDPOINT_URL).
//
// Configuration (environment):
//   BUCKET         bucket holding raw/ and curated/ (required)
//   REQUIRE_INPUT  "true": a window with no raw files is an error (MissingInputError), not an empty summary
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  MissingInputError,
  aggregateOrderFiles,
  buildSummary,
  curatedKey,
  rawPrefix,
  windowForEvent,
} from './aggregate.mjs';

const s3 = new S3Client({});

/** One JSON object per line, so CloudWatch Logs Insights and metric filters can read the fields. */
function log(level, message, fields = {}) {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') console.error(line);
  else console.log(line);
}

async function listRawKeys(bucket, window) {
  const keys = [];
  let token;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: rawPrefix(window), ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function readText(bucket, key) {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body.transformToString('utf-8');
}

/** The window's existing summary, or undefined when there is none yet. */
async function readSummary(bucket, window) {
  try {
    return JSON.parse(await readText(bucket, curatedKey(window)));
  } catch (err) {
    if (err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

export const handler = async (event, context) => {
  const bucket = process.env.BUCKET;
  if (!bucket) throw new Error('BUCKET is not set');
  const requireInput = process.env.REQUIRE_INPUT === 'true';
  const { window, trigger, eventTime } = windowForEvent(event);
  log('INFO', 'run started', { trigger, event_time: eventTime ?? null, window, require_input: requireInput });

  // A scheduled run treats an hour with a non-empty summary as done, and an empty one as "try again
  // next run". That guard is the blind spot this demo exposes: a summary built from part of an hour
  // looks done, so data that arrives later is never counted. An explicit window always reprocesses.
  if (trigger === 'schedule') {
    const existing = await readSummary(bucket, window);
    if (existing && existing.record_count > 0) {
      log('INFO', 'window already processed, skipping', { window, record_count: existing.record_count });
      return { status: 'skipped', window, record_count: existing.record_count };
    }
  }

  const keys = await listRawKeys(bucket, window);
  if (keys.length === 0) {
    if (requireInput) {
      const err = new MissingInputError(`no raw files under s3://${bucket}/${rawPrefix(window)}`);
      log('ERROR', 'missing input', { window, error: err.name, detail: err.message });
      throw err;
    }
    log('INFO', 'no raw files for window, writing an empty summary', { window });
  }

  const files = await Promise.all(keys.map(async (key) => ({ key, text: await readText(bucket, key) })));
  const stats = aggregateOrderFiles(files);
  const summary = buildSummary({
    window,
    stats,
    trigger,
    eventTime,
    processedAt: new Date().toISOString(),
    requestId: context?.awsRequestId,
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: curatedKey(window),
      Body: JSON.stringify(summary, null, 2),
      ContentType: 'application/json',
    }),
  );
  log('INFO', 'summary written', {
    window,
    key: curatedKey(window),
    record_count: stats.record_count,
    distinct_orders: stats.distinct_orders,
    total_amount: stats.total_amount,
    source_files: stats.source_files.length,
  });
  return { status: 'processed', window, record_count: stats.record_count, key: curatedKey(window) };
};
