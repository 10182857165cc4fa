// Types for report.mjs.
import type { ReconciliationWindow } from './partitions.mjs';
import type { ScannedPartition } from './windowScan.mjs';
export type ReportStatus = 'OK' | 'RECONCILED' | 'LATE' | 'MISSING';
export interface ReportRow {
  partition: string;
  status: ReportStatus;
  raw_files: number;
  last_arrival: string | null;
  record_count: number | null;
  distinct_orders: number | null;
  total_amount: number | null;
  processed_at: string | null;
  consistent: boolean;
}
export interface ReconciliationReport {
  report: string;
  execution: string;
  started_at: string;
  scheduled_time: string | null;
  written_at: string;
  window: { start: string; end: string; hours: number };
  rechecks: number;
  counts: Record<ReportStatus, number>;
  inconsistent: string[];
  partitions: ReportRow[];
}
export declare const STATUSES: ReportStatus[];
export declare const STATUS_MEANING: Record<ReportStatus, string>;
export declare function reportRows(
  scanned: ScannedPartition[],
  check: { stale: string[]; late: string[]; missing: string[] },
): ReportRow[];
export declare function countStatuses(rows: ReportRow[]): Record<ReportStatus, number>;
export declare function buildReport(args: {
  window: ReconciliationWindow;
  rows: ReportRow[];
  check: { rechecks?: number };
  execution: { name: string; startTime: string };
  scheduledTime?: string;
  writtenAt: string;
}): ReconciliationReport;
export declare function reportKeys(execution: { name: string; startTime: string }): {
  json: string;
  markdown: string;
};
export declare function reportMarkdown(report: ReconciliationReport): string;
