// The reconciliation report: every partition of the window marked OK, RECONCILED, LATE or MISSING
// from what this run found and did, next to what the bucket holds when the report is written.
// Pure logic (the handler writes it as JSON and Markdown under reports/); plain JavaScript ESM.
import { REPORTS_ROOT, windowBounds } from './partitions.mjs';

export const STATUSES = ['OK', 'RECONCILED', 'LATE', 'MISSING'];

export const STATUS_MEANING = {
  OK: 'up to date at the first check; nothing to do',
  RECONCILED: 'input present but its summary missing or stale at the first check; reprocessed',
  LATE: 'missing at the first check, arrived during the grace period; processed',
  MISSING: 'still no input after the last re-check',
};

const latest = (objects) =>
  objects.reduce((max, o) => (o.lastModified && (!max || o.lastModified > max) ? o.lastModified : max), null);

/**
 * One row per scanned partition (`[{id, raw, summary, state}]`, see windowScan.mjs), marked from the
 * run's check (`{stale, late, missing}`). `consistent` says whether the summary matches the input
 * now — false for a MISSING partition whose input arrived after the last re-check, say.
 */
export function reportRows(scanned, check) {
  const missing = new Set(check.missing);
  const late = new Set(check.late);
  const stale = new Set(check.stale);
  return scanned.map((p) => {
    const status = missing.has(p.id)
      ? 'MISSING'
      : late.has(p.id)
        ? 'LATE'
        : stale.has(p.id)
          ? 'RECONCILED'
          : 'OK';
    return {
      partition: p.id,
      status,
      raw_files: p.raw.length,
      last_arrival: latest(p.raw),
      record_count: p.summary?.record_count ?? null,
      distinct_orders: p.summary?.distinct_orders ?? null,
      total_amount: p.summary?.total_amount ?? null,
      processed_at: p.summary?.processed_at ?? null,
      consistent: p.state === 'CURRENT',
    };
  });
}

export function countStatuses(rows) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const r of rows) counts[r.status]++;
  return counts;
}

export function buildReport({ window, rows, check, execution, scheduledTime, writtenAt }) {
  return {
    report: 'orders_hourly reconciliation',
    execution: execution.name,
    started_at: execution.startTime,
    scheduled_time: scheduledTime ?? null,
    written_at: writtenAt,
    window: { ...windowBounds(window), hours: window.hours },
    rechecks: check.rechecks ?? 0,
    counts: countStatuses(rows),
    inconsistent: rows.filter((r) => r.status !== 'MISSING' && !r.consistent).map((r) => r.partition),
    partitions: rows,
  };
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** `reports/reconciliation/<start time>-<execution>.json|.md`: sorted by time, one pair per run. */
export function reportKeys(execution) {
  const stamp = String(execution.startTime)
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  const name = SAFE_NAME.test(execution.name) ? execution.name : 'unnamed';
  const base = `${REPORTS_ROOT}${stamp}-${name}`;
  return { json: `${base}.json`, markdown: `${base}.md` };
}

const cell = (v) => (v === null || v === undefined ? '–' : String(v));
const money = (v) => (typeof v === 'number' ? v.toFixed(2) : '–');

export function reportMarkdown(report) {
  const lines = [
    '# Reconciliation of orders_hourly',
    '',
    `- window: ${report.window.start} – ${report.window.end} (${report.window.hours} hourly partitions)`,
    `- execution: ${report.execution}, started ${report.started_at}` +
      (report.scheduled_time ? `, scheduled for ${report.scheduled_time}` : ''),
    `- grace-period re-checks: ${report.rechecks}`,
    `- written: ${report.written_at}`,
    '',
    '| status | partitions | meaning |',
    '|---|---:|---|',
    ...STATUSES.map((s) => `| ${s} | ${report.counts[s]} | ${STATUS_MEANING[s]} |`),
    '',
  ];
  if (report.inconsistent.length > 0) {
    lines.push(
      `Changed since they were processed (the next run picks them up): ${report.inconsistent.join(', ')}`,
      '',
    );
  }
  lines.push(
    '| partition | status | raw files | last arrival | records | distinct orders | total amount |',
    '|---|---|---:|---|---:|---:|---:|',
    ...report.partitions.map(
      (r) =>
        `| ${r.partition} | ${r.status} | ${r.raw_files} | ${cell(r.last_arrival)} | ${cell(r.record_count)} | ` +
        `${cell(r.distinct_orders)} | ${money(r.total_amount)} |`,
    ),
    '',
  );
  return lines.join('\n');
}
