/**
 * Hourly windows of order data and where they live in S3. A window is one UTC hour; its raw files
 * sit under `raw/orders/dt=YYYY-MM-DD/hour=HH/` and its summary at
 * `curated/orders_hourly/dt=YYYY-MM-DD/hour=HH/summary.json`. The demo handlers repeat this small
 * piece of logic in plain JavaScript (they must run on the Lambda runtime without this package).
 */
export interface HourWindow {
  /** UTC date, `YYYY-MM-DD`. */
  dt: string;
  /** UTC hour, `00`–`23`. */
  hour: string;
}

export const HOUR_MS = 3_600_000;

export const RAW_ORDERS_PREFIX = 'raw/orders/';
export const CURATED_HOURLY_PREFIX = 'curated/orders_hourly/';

/** The window containing the instant `epochMs`. */
export function windowAt(epochMs: number): HourWindow {
  const iso = new Date(epochMs).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** The hour before the one containing `epochMs` — what an hourly job processes when it runs at `epochMs`. */
export function previousWindow(epochMs: number): HourWindow {
  return windowAt(epochMs - HOUR_MS);
}

/** Epoch ms at which the window starts. */
export function windowStart(w: HourWindow): number {
  const ms = Date.parse(`${w.dt}T${w.hour}:00:00.000Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid hour window: ${JSON.stringify(w)}`);
  return ms;
}

/** The window `hours` later (negative: earlier). */
export function shiftWindow(w: HourWindow, hours: number): HourWindow {
  return windowAt(windowStart(w) + hours * HOUR_MS);
}

export function sameWindow(a: HourWindow, b: HourWindow): boolean {
  return a.dt === b.dt && a.hour === b.hour;
}

/** `2024-05-01 10:00–11:00`: for a table whose column title says the time zone. */
export function describeWindowShort(w: HourWindow): string {
  return `${w.dt} ${w.hour}:00–${shiftWindow(w, 1).hour}:00`;
}

/** `2024-05-01 10:00–11:00 UTC`. */
export function describeWindow(w: HourWindow): string {
  const next = shiftWindow(w, 1);
  return `${w.dt} ${w.hour}:00–${next.hour}:00 UTC`;
}

export function rawPrefix(w: HourWindow): string {
  return `${RAW_ORDERS_PREFIX}dt=${w.dt}/hour=${w.hour}/`;
}

export function rawKey(w: HourWindow, fileName: string): string {
  return `${rawPrefix(w)}${fileName}`;
}

export function curatedKey(w: HourWindow): string {
  return `${CURATED_HOURLY_PREFIX}dt=${w.dt}/hour=${w.hour}/summary.json`;
}
