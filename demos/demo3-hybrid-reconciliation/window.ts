/**
 * The window the scheduled reconciliation checks: whole hours, starting at a midnight (UTC), all of
 * them in the past on the target's clock — with the default 6 hours, hours 00–05 of the day before.
 */
import { HOUR_MS } from '../shared/hourWindows.js';

export interface ReconciliationWindow {
  /** ISO-8601, on the hour. */
  start: string;
  hours: number;
}

const DAY_MS = 24 * HOUR_MS;

/** `hours` hours from midnight of the day that leaves them all complete before `targetNow`'s day. */
export function reconciliationWindow(targetNow: number, hours: number): ReconciliationWindow {
  const today = Math.floor(targetNow / DAY_MS) * DAY_MS;
  const start = today - Math.ceil(hours / 24) * DAY_MS;
  return { start: new Date(start).toISOString().replace('.000Z', 'Z'), hours };
}

/** `dt=YYYY-MM-DD/hour=HH` of each hour in the window, oldest first (the handlers' partition ids). */
export function windowPartitionIds(w: ReconciliationWindow): string[] {
  const start = Date.parse(w.start);
  return Array.from({ length: w.hours }, (_, i) => {
    const iso = new Date(start + i * HOUR_MS).toISOString();
    return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
  });
}

/** The shared demos' hour window (`{dt, hour}`) of a partition id. */
export function hourOfPartition(id: string): { dt: string; hour: string } {
  const m = /^dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})$/.exec(id);
  if (!m) throw new RangeError(`not a partition id: ${id}`);
  return { dt: m[1]!, hour: m[2]! };
}
