/**
 * The orders files demo2 drops into incoming/: seeded like demo1's (same generator, same
 * `{order_id, customer_id, amount, currency, ts}` records), named by hour and label, plus one
 * file broken on purpose — a number written with a decimal comma and a line cut off mid-record,
 * the kind of defects a real upstream export produces.
 */
import { shiftWindow, type HourWindow } from '../shared/hourWindows.js';
import { orderStats, rawOrderFile, type OrderStats } from '../shared/orders.js';
import { INCOMING_PREFIX } from './names.js';
import type { UploadPurpose } from './state.js';

export interface IncomingFile {
  purpose: UploadPurpose;
  key: string;
  window: HourWindow;
  body: string;
  /** What a correct pipeline makes of it (for a malformed file: its records that parse). */
  stats: OrderStats;
  /** Lines that are broken on purpose (1-based), with what is wrong. */
  defects: Array<{ line: number; problem: string }>;
}

interface Plan {
  /** Hours before the demo's window. */
  hoursBack: number;
  records: number;
  label: string;
}

/** Each purpose's hour, size and label. `first` and `late` are demo1's two deliveries of one hour. */
export const FILE_PLAN: Record<UploadPurpose, Plan> = {
  first: { hoursBack: 0, records: 120, label: 'part-0000' },
  late: { hoursBack: 0, records: 30, label: 'late-0001' },
  flaky: { hoursBack: 1, records: 80, label: 'part-0000' },
  malformed: { hoursBack: 2, records: 60, label: 'part-0000' },
  fixed: { hoursBack: 2, records: 60, label: 'part-0000' },
  blocked: { hoursBack: 3, records: 90, label: 'part-0000' },
};

export function incomingKey(window: HourWindow, label: string): string {
  return `${INCOMING_PREFIX}orders/${window.dt}-${window.hour}-${label}.jsonl`;
}

/** The file for `purpose`, for the demo's hour `window`, generated from `seed`. */
export function incomingFile(seed: string, window: HourWindow, purpose: UploadPurpose): IncomingFile {
  const plan = FILE_PLAN[purpose];
  const w = shiftWindow(window, -plan.hoursBack);
  const file = rawOrderFile({ seed, window: w, count: plan.records, fileLabel: plan.label });
  const base = { purpose, key: incomingKey(w, plan.label), window: w };
  if (purpose !== 'malformed') return { ...base, body: file.body, stats: file.stats, defects: [] };
  // The same delivery as `fixed`, damaged: line 3's amount has a decimal comma, line 7 is cut off.
  const lines = file.body.trimEnd().split('\n');
  const third = JSON.parse(lines[2]!) as Record<string, unknown>;
  lines[2] = JSON.stringify({ ...third, amount: String(third.amount).replace('.', ',') });
  lines[6] = lines[6]!.slice(0, Math.floor(lines[6]!.length / 2));
  const intact = file.records.filter((_, i) => i !== 2 && i !== 6);
  return {
    ...base,
    body: `${lines.join('\n')}\n`,
    stats: orderStats(intact),
    defects: [
      {
        line: 3,
        problem: `amount is not a number (${JSON.stringify(lines[2] && JSON.parse(lines[2]).amount)})`,
      },
      { line: 7, problem: 'not JSON' },
    ],
  };
}
