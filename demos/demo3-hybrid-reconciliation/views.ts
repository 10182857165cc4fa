/**
 * How demo3 shows what it read back: a reconciliation report as a table, raw/ next to curated/ for
 * one partition, and many partitions without flooding the terminal (long windows show the counts
 * and the rows that matter).
 */
import type { StepOutput, Table } from '../../src/course/model.js';
import type { RawWindowContents } from '../shared/orderStore.js';
import type { ReconciliationReport, ReportRow, ReportStatus } from './lambda/report.mjs';
import type { PartitionSummary } from './lambda/summaries.mjs';

/** Up to this many partitions are shown row by row; beyond, only those that are not OK. */
export const MAX_ROWS = 24;

const STATUS_ORDER: ReportStatus[] = ['OK', 'RECONCILED', 'LATE', 'MISSING'];

const cell = (v: number | null): string | number => (v === null ? '–' : v);

/** `dt=2024-05-01/hour=03` → `05-01 03h` (short enough for a narrow terminal). */
export const shortPartition = (id: string): string => {
  const m = /^dt=\d{4}-(\d{2}-\d{2})\/hour=(\d{2})$/.exec(id);
  return m ? `${m[1]} ${m[2]}h` : id;
};

export function reportTable(report: ReconciliationReport, maxRows = MAX_ROWS): Table {
  const rows: ReportRow[] =
    report.partitions.length <= maxRows
      ? report.partitions
      : report.partitions.filter((r) => r.status !== 'OK');
  return {
    title:
      `Reconciliation report (${report.window.hours} partitions, ${report.rechecks} grace re-check${report.rechecks === 1 ? '' : 's'})` +
      (rows.length === report.partitions.length
        ? ''
        : rows.length === 0
          ? ` — all ${report.partitions.length} OK`
          : ` — the ${rows.length} not OK of ${report.partitions.length}`),
    columns: ['partition', 'status', 'raw files', 'records', 'distinct orders'],
    // Short ids (`11-29 03h`) keep the five columns within 60; the stored report has the full ones.
    rows: rows.map((r) => [
      shortPartition(r.partition),
      r.status,
      r.raw_files,
      cell(r.record_count),
      cell(r.distinct_orders),
    ]),
  };
}

export function showReport(
  out: StepOutput,
  report: ReconciliationReport,
  keys: { json: string; markdown: string },
): void {
  out.table(reportTable(report));
  out.table({
    title: 'Totals',
    columns: ['status', 'partitions'],
    rows: STATUS_ORDER.map((s) => [s, report.counts[s]]),
  });
  out.say(`Stored as s3://…/${keys.json} and s3://…/${keys.markdown}.`);
}

/** Raw (recounted now) next to the curated summary, for one partition. */
export function comparisonTable(
  partition: string,
  raw: RawWindowContents,
  summary: PartitionSummary | undefined,
): Table {
  const s = (f: (x: PartitionSummary) => string | number) => (summary ? f(summary) : '(no summary)');
  return {
    title: `${partition}: raw/ (recounted now) vs curated/`,
    columns: ['', 'raw/', 'curated summary'],
    rows: [
      ['files', raw.keys.length, s((x) => x.sources.length)],
      ['records', raw.stats.record_count, s((x) => x.record_count)],
      ['distinct orders', raw.stats.distinct_orders, s((x) => x.distinct_orders)],
      ['total amount', raw.stats.total_amount.toFixed(2), s((x) => x.total_amount.toFixed(2))],
    ],
  };
}

/** Rows limited for long windows: all when few, else the first and last few with a marker between. */
export function limitRows<T>(rows: T[], marker: (hidden: number) => T, maxRows = MAX_ROWS): T[] {
  if (rows.length <= maxRows) return rows;
  const half = Math.floor((maxRows - 1) / 2);
  return [...rows.slice(0, half), marker(rows.length - 2 * half), ...rows.slice(-half)];
}
