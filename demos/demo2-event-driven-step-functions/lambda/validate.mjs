// validate: the first step of demo2's pipeline, for the Node.js 22 runtime.
//
// action "validate" (default): read the orders file that just landed under incoming/ and check every
// record. A bad file throws ValidationError; the state machine catches that name and runs
// "quarantine" with the error.
// action "quarantine": move the rejected file to quarantine/ (copy, then delete the original) and
// return the cause the execution fails with, in words a person can act on.
//
// Input: {action?, bucket, key, error?: {Error, Cause}} (see pipeline.asl.json).
import {
  InvalidRequestError,
  checkOrderFile,
  log,
  messageOfCause,
  partitionByHour,
  quarantineKeyFor,
} from './orderFiles.mjs';
import { copy, getText, remove } from './objectStore.mjs';

function target(event) {
  const bucket = event?.bucket;
  const key = event?.key;
  if (typeof bucket !== 'string' || typeof key !== 'string' || !bucket || !key) {
    throw new InvalidRequestError(`expected {"bucket", "key"}, got ${JSON.stringify(event)}`);
  }
  return { bucket, key };
}

async function validate(bucket, key) {
  const text = await getText(bucket, key);
  try {
    const records = checkOrderFile(key, text);
    const hours = partitionByHour(records).map((p) => p.window);
    log('INFO', 'file is valid', { key, records: records.length, hours });
    return { key, records: records.length, hours };
  } catch (err) {
    log('ERROR', 'file rejected', { key, error: err.name, detail: err.message });
    throw err;
  }
}

async function quarantine(bucket, key, error) {
  const quarantinedKey = quarantineKeyFor(key);
  try {
    await copy(bucket, key, quarantinedKey);
  } catch (err) {
    // A retried attempt after the delete below: the copy is already in quarantine.
    if (err?.name !== 'NoSuchKey') throw err;
  }
  await remove(bucket, key);
  const reason = messageOfCause(error?.Cause) || error?.Error || 'it failed validation';
  const cause = `${reason}. The file was moved to ${quarantinedKey}; fix it and upload it to incoming/ again.`;
  log('WARN', 'file quarantined', { key, quarantined_key: quarantinedKey, error: error?.Error ?? null });
  return { quarantinedKey, cause };
}

export const handler = async (event) => {
  const { bucket, key } = target(event);
  if (event.action === 'quarantine') return quarantine(bucket, key, event.error);
  return validate(bucket, key);
};
