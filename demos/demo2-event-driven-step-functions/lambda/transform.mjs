// transform: the second step of demo2's pipeline, for the Node.js 22 runtime.
//
// Reads the validated file from incoming/, normalises every record (trimmed ids, upper-case
// currency, cents, ISO-8601 UTC) and writes it into the raw/ layout, one object per hour of the
// records' own timestamps: raw/orders/dt=YYYY-MM-DD/hour=HH/<file name>. The key depends only on
// the file, so a retry or a repeated upload overwrites instead of duplicating.
//
// Input: {bucket, key, attempt} where attempt is the state's $$.State.RetryCount (0 = first try).
// Configuration (environment):
//   FAIL_FIRST_ATTEMPTS  N > 0: attempts 1..N throw TransientError (fault injection for the demo)
import {
  InvalidRequestError,
  TransientError,
  checkOrderFile,
  countFromEnv,
  fileNameOf,
  log,
  partitionByHour,
  rawPrefix,
  toJsonLines,
} from './orderFiles.mjs';
import { getText, putText } from './objectStore.mjs';

export const handler = async (event) => {
  const { bucket, key } = event ?? {};
  if (typeof bucket !== 'string' || typeof key !== 'string' || !bucket || !key) {
    throw new InvalidRequestError(`expected {"bucket", "key", "attempt"}, got ${JSON.stringify(event)}`);
  }
  const attempt = Number.isInteger(event.attempt) ? event.attempt : 0;
  const failFirst = countFromEnv(process.env.FAIL_FIRST_ATTEMPTS);
  if (attempt < failFirst) {
    const message = `simulated transient failure on attempt ${attempt + 1} (FAIL_FIRST_ATTEMPTS=${failFirst})`;
    log('WARN', 'transient failure', { key, attempt: attempt + 1, detail: message });
    throw new TransientError(message);
  }
  const records = checkOrderFile(key, await getText(bucket, key));
  const partitions = [];
  for (const p of partitionByHour(records)) {
    const rawKey = `${rawPrefix(p.window)}${fileNameOf(key)}`;
    await putText(bucket, rawKey, toJsonLines(p.records), 'application/x-ndjson');
    partitions.push({ dt: p.window.dt, hour: p.window.hour, key: rawKey, records: p.records.length });
  }
  log('INFO', 'file partitioned', { key, attempt: attempt + 1, partitions });
  return { partitions };
};
