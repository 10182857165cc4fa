// Pure logic of the hourly-aggregate job: which window an event asks for, where that window's
// files live, and what its summary says. No AWS calls here, so it can be tested on its own.
// Plain JavaScript ESM for the Lambda Node.js runtime; it imports nothing.

const HOUR_MS = 3_600_000;
const WINDOW_DT = /^\d{4}-\d{2}-\d{2}$/;
const WINDOW_HOUR = /^([01]\d|2[0-3])$/;

/** The window has no raw files and the job was told to require input (REQUIRE_INPUT=true). */
export class MissingInputError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MissingInputError';
  }
}

/** The event is neither a scheduled event nor an explicit `{window: {dt, hour}}` request. */
export class InvalidEventError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

function windowAt(epochMs) {
  const iso = new Date(epochMs).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/**
 * Decide what to process. A scheduled event (EventBridge `Scheduled Event`) means "the hour before
 * the event's time" — the event's `time`, not the machine clock, so a replayed or delayed event still
 * names the hour it was meant for. An explicit `{window: {dt, hour}}` is a backfill request.
 */
export function windowForEvent(event) {
  if (event && typeof event === 'object' && event.window !== undefined) {
    const w = event.window;
    const dt = String(w?.dt ?? '');
    const hour = String(w?.hour ?? '').padStart(2, '0');
    if (!WINDOW_DT.test(dt) || !WINDOW_HOUR.test(hour) || Number.isNaN(Date.parse(`${dt}T${hour}:00:00Z`))) {
      throw new InvalidEventError(`window must be {"dt":"YYYY-MM-DD","hour":"HH"}, got ${JSON.stringify(w)}`);
    }
    return { window: { dt, hour }, trigger: 'backfill', eventTime: undefined };
  }
  const time = event && typeof event === 'object' ? Date.parse(event.time) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new InvalidEventError('expected a scheduled event with "time" or an explicit {"window": {...}}');
  }
  return { window: windowAt(time - HOUR_MS), trigger: 'schedule', eventTime: new Date(time).toISOString() };
}

export function rawPrefix(w) {
  return `raw/orders/dt=${w.dt}/hour=${w.hour}/`;
}

export function curatedKey(w) {
  return `curated/orders_hourly/dt=${w.dt}/hour=${w.hour}/summary.json`;
}

export function windowBounds(w) {
  const start = Date.parse(`${w.dt}T${w.hour}:00:00.000Z`);
  return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
}

/**
 * Aggregate the JSON Lines files of one window: records, distinct order ids, and revenue over
 * distinct orders (a resent order is not revenue twice). `files` is `[{key, text}]`.
 */
export function aggregateOrderFiles(files) {
  const amountById = new Map();
  let records = 0;
  for (const file of files) {
    const lines = file.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new SyntaxError(`${file.key} line ${i + 1} is not JSON`);
      }
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

/** The summary document written to `curated/orders_hourly/.../summary.json`. */
export function buildSummary({ window, stats, trigger, eventTime, processedAt, requestId }) {
  return {
    window: { dt: window.dt, hour: window.hour, ...windowBounds(window) },
    record_count: stats.record_count,
    distinct_orders: stats.distinct_orders,
    total_amount: stats.total_amount,
    source_files: stats.source_files,
    processed_at: processedAt,
    trigger: { type: trigger, event_time: eventTime ?? null, request_id: requestId ?? null },
  };
}
