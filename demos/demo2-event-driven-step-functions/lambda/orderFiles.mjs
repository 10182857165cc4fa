// Pure logic of demo2's pipeline functions: what makes an orders file valid, how its records are
// normalised and split into hourly partitions by their own timestamps, where each partition and its
// summary live, and what a summary says. No AWS calls here, so it can be tested on its own.
// Plain JavaScript ESM for the Lambda Node.js runtime; it imports nothing.

const HOUR_MS = 3_600_000;
const CURRENCY = /^[A-Za-z]{3}$/;
/** Problems listed in a ValidationError: enough to fix the file, short enough to read. */
const MAX_PROBLEMS = 3;

/** The file is not valid order data. Step Functions catches it by this name and quarantines the file. */
export class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** A failure worth trying again (the state machine's Retry names it). */
export class TransientError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The destination refuses writes; retrying a few times will not outlast it. */
export class DestinationUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DestinationUnavailableError';
  }
}

/** The request itself is wrong (missing bucket/key): a bug, not bad data. */
export class InvalidRequestError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** What is wrong with one record, or undefined when it is a valid order. */
export function recordProblem(rec) {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return 'not a JSON object';
  if (typeof rec.order_id !== 'string' || rec.order_id.trim() === '') return 'order_id is missing';
  if (typeof rec.customer_id !== 'string' || rec.customer_id.trim() === '') return 'customer_id is missing';
  if (typeof rec.amount !== 'number' || !Number.isFinite(rec.amount)) {
    return `amount is not a number (${JSON.stringify(rec.amount)})`;
  }
  if (rec.amount < 0) return `amount is negative (${rec.amount})`;
  if (typeof rec.currency !== 'string' || !CURRENCY.test(rec.currency)) {
    return `currency is not a 3-letter code (${JSON.stringify(rec.currency)})`;
  }
  if (typeof rec.ts !== 'string' || Number.isNaN(Date.parse(rec.ts))) {
    return `ts is not a timestamp (${JSON.stringify(rec.ts)})`;
  }
  return undefined;
}

/**
 * Check every line of a JSON Lines orders file. Returns the records, or throws ValidationError
 * naming the first few problems with their line numbers.
 */
export function checkOrderFile(key, text) {
  const records = [];
  const problems = [];
  let badLines = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let rec;
    let problem;
    try {
      rec = JSON.parse(line);
      problem = recordProblem(rec);
    } catch {
      problem = 'not JSON';
    }
    if (problem) {
      badLines++;
      if (problems.length < MAX_PROBLEMS) problems.push(`line ${i + 1}: ${problem}`);
    } else {
      records.push(rec);
    }
  }
  if (badLines > 0) {
    const more = badLines > problems.length ? `; ${badLines - problems.length} more bad lines` : '';
    throw new ValidationError(`${key} is not valid order data: ${problems.join('; ')}${more}`);
  }
  if (records.length === 0) throw new ValidationError(`${key} holds no order records`);
  return records;
}

/** The same order in one canonical form: trimmed ids, upper-case currency, cents, ISO-8601 UTC time. */
export function normaliseRecord(rec) {
  return {
    order_id: rec.order_id.trim(),
    customer_id: rec.customer_id.trim(),
    amount: Math.round(rec.amount * 100) / 100,
    currency: rec.currency.toUpperCase(),
    ts: new Date(Date.parse(rec.ts)).toISOString(),
  };
}

export function windowAt(epochMs) {
  const iso = new Date(epochMs).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** Normalised records grouped by the UTC hour of their own `ts` (event time, not arrival time). */
export function partitionByHour(records) {
  const parts = new Map();
  for (const rec of records.map(normaliseRecord)) {
    const w = windowAt(Date.parse(rec.ts));
    const id = `${w.dt}/${w.hour}`;
    if (!parts.has(id)) parts.set(id, { window: w, records: [] });
    parts.get(id).records.push(rec);
  }
  return [...parts.values()].sort((a, b) =>
    (a.window.dt + a.window.hour).localeCompare(b.window.dt + b.window.hour),
  );
}

export function rawPrefix(w) {
  return `raw/orders/dt=${w.dt}/hour=${w.hour}/`;
}

export function curatedKey(w) {
  return `curated/orders_hourly/dt=${w.dt}/hour=${w.hour}/summary.json`;
}

/** The file's name without its folders: `incoming/orders/a.jsonl` → `a.jsonl`. */
export function fileNameOf(key) {
  return key.split('/').pop() || key;
}

/** Where a rejected file is kept: the same path under quarantine/ instead of incoming/. */
export function quarantineKeyFor(key) {
  return key.startsWith('incoming/')
    ? `quarantine/${key.slice('incoming/'.length)}`
    : `quarantine/${fileNameOf(key)}`;
}

export function windowBounds(w) {
  const start = Date.parse(`${w.dt}T${w.hour}:00:00.000Z`);
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
}

export function toJsonLines(records) {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

/**
 * Aggregate the JSON Lines files of one partition: records, distinct order ids, and revenue over
 * distinct orders (a resent order is not revenue twice). `files` is `[{key, text}]`.
 */
export function summariseFiles(files) {
  const amountById = new Map();
  let records = 0;
  for (const file of files) {
    for (const line of file.text.split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line);
      records++;
      if (!amountById.has(rec.order_id)) amountById.set(rec.order_id, Math.round(Number(rec.amount) * 100));
    }
  }
  let cents = 0;
  for (const c of amountById.values()) cents += c;
  return {
    record_count: records,
    distinct_orders: amountById.size,
    total_amount: cents / 100,
    source_files: files.map((f) => f.key),
  };
}

/** The summary document written to `curated/orders_hourly/…/summary.json` (demo1's shape, event trigger). */
export function buildSummary({ window, stats, processedAt, eventTime, execution, requestId }) {
  return {
    window: { dt: window.dt, hour: window.hour, ...windowBounds(window) },
    record_count: stats.record_count,
    distinct_orders: stats.distinct_orders,
    total_amount: stats.total_amount,
    source_files: stats.source_files,
    processed_at: processedAt,
    trigger: {
      type: 'event',
      event_time: eventTime ?? null,
      request_id: requestId ?? null,
      execution: execution ?? null,
    },
  };
}

/** A whole, non-negative number from an environment variable (0 when unset or not a number). */
export function countFromEnv(value) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The handler's own `errorMessage` out of a Step Functions Cause (Lambda's error JSON), else the text. */
export function messageOfCause(cause) {
  if (typeof cause !== 'string') return '';
  try {
    const parsed = JSON.parse(cause);
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not Lambda's JSON: the cause as it is
  }
  return cause;
}

/** One JSON object per line, so CloudWatch Logs Insights and metric filters can read the fields. */
export function log(level, message, fields = {}) {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') console.error(line);
  else console.log(line);
}
