// load: the last step of demo2's pipeline, for the Node.js 22 runtime.
//
// For every hourly partition the file touched, recount ALL of that hour's raw files (not just the
// new one) and write the hour's curated summary. Recomputing from raw/ makes it idempotent: a retry,
// a redrive or a late file for the same hour all give the right numbers.
//
// Input: {bucket, partitions: [{dt, hour}], trigger: {event_time, execution}}.
// Configuration (environment):
//   LOAD_FAULT  non-empty: every call throws DestinationUnavailableError (fault injection for the demo)
import {
  DestinationUnavailableError,
  InvalidRequestError,
  buildSummary,
  curatedKey,
  log,
  rawPrefix,
  summariseFiles,
} from './orderFiles.mjs';
import { getText, listKeys, putText } from './objectStore.mjs';

const HOUR = /^([01]\d|2[0-3])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const handler = async (event, context) => {
  const { bucket, partitions } = event ?? {};
  if (typeof bucket !== 'string' || !bucket || !Array.isArray(partitions)) {
    throw new InvalidRequestError(`expected {"bucket", "partitions"}, got ${JSON.stringify(event)}`);
  }
  const fault = process.env.LOAD_FAULT;
  if (fault) {
    const message = `curated/ is not accepting writes (fault injected: LOAD_FAULT=${fault})`;
    log('ERROR', 'load failed', { detail: message });
    throw new DestinationUnavailableError(message);
  }
  const summaries = [];
  for (const p of partitions) {
    if (!DATE.test(String(p?.dt)) || !HOUR.test(String(p?.hour))) {
      throw new InvalidRequestError(
        `a partition must be {"dt":"YYYY-MM-DD","hour":"HH"}, got ${JSON.stringify(p)}`,
      );
    }
    const window = { dt: p.dt, hour: p.hour };
    const keys = await listKeys(bucket, rawPrefix(window));
    const files = await Promise.all(keys.map(async (key) => ({ key, text: await getText(bucket, key) })));
    const stats = summariseFiles(files);
    const summary = buildSummary({
      window,
      stats,
      processedAt: new Date().toISOString(),
      eventTime: event.trigger?.event_time,
      execution: event.trigger?.execution,
      requestId: context?.awsRequestId,
    });
    await putText(bucket, curatedKey(window), JSON.stringify(summary, null, 2), 'application/json');
    const { record_count, distinct_orders, total_amount } = stats;
    summaries.push({ ...window, key: curatedKey(window), record_count, distinct_orders, total_amount });
    log('INFO', 'summary written', {
      window,
      key: curatedKey(window),
      record_count,
      source_files: keys.length,
    });
  }
  return { summaries };
};
