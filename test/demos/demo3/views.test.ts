/** demo3's report table as the terminal shows it: short partition ids, every status, fits 60 columns. */
import { describe, expect, it } from 'vitest';
import { reportTable } from '../../../demos/demo3-hybrid-reconciliation/views.js';
import { statusChecks } from '../../../demos/demo3-hybrid-reconciliation/steps/execution.js';
import { pagerTable } from '../../../demos/demo3-hybrid-reconciliation/paging.js';
import { targetTime } from '../../../src/course/targetTime.js';
import type {
  ReconciliationReport,
  ReportRow,
  ReportStatus,
} from '../../../demos/demo3-hybrid-reconciliation/lambda/report.mjs';

function row(partition: string, status: ReportStatus): ReportRow {
  const present = status !== 'MISSING';
  return {
    partition,
    status,
    raw_files: present ? 2 : 0,
    last_arrival: null,
    record_count: present ? 1000 : null,
    distinct_orders: present ? 987 : null,
    total_amount: present ? 1.5 : null,
    processed_at: null,
    consistent: true,
  };
}

function report(rows: ReportRow[]): ReconciliationReport {
  return {
    report: 'r',
    execution: 'e',
    started_at: '2026-11-30T00:00:00Z',
    scheduled_time: null,
    written_at: '2026-11-30T00:00:00Z',
    window: { start: '2026-11-29T00:00:00Z', end: '2026-11-29T04:00:00Z', hours: rows.length },
    rechecks: 2,
    counts: { OK: 1, RECONCILED: 1, LATE: 1, MISSING: 1 },
    inconsistent: [],
    partitions: rows,
  };
}

describe('reportTable', () => {
  const all = report([
    row('dt=2026-11-29/hour=00', 'OK'),
    row('dt=2026-11-29/hour=01', 'RECONCILED'),
    row('dt=2026-11-29/hour=02', 'LATE'),
    row('dt=2026-11-29/hour=03', 'MISSING'),
  ]);

  it('names each partition by day and hour, with its status and counts', () => {
    expect(reportTable(all).rows).toEqual([
      ['11-29 00h', 'OK', 2, 1000, 987],
      ['11-29 01h', 'RECONCILED', 2, 1000, 987],
      ['11-29 02h', 'LATE', 2, 1000, 987],
      ['11-29 03h', 'MISSING', 0, '–', '–'],
    ]);
  });

  it('fits a 60-column terminal unwrapped (two-space indent, two spaces between columns)', () => {
    const t = reportTable(all);
    const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => String(r[i]).length)));
    expect(2 + widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)).toBeLessThanOrEqual(60);
  });

  it('shows only what is not OK for a long window', () => {
    const long = report(
      Array.from({ length: 48 }, (_, i) =>
        row(
          `dt=2026-11-${String(28 + Math.floor(i / 24))}/hour=${String(i % 24).padStart(2, '0')}`,
          i === 30 ? 'MISSING' : 'OK',
        ),
      ),
    );
    const t = reportTable(long);
    expect(t.title).toContain('the 1 not OK of 48');
    expect(t.rows).toEqual([['11-29 06h', 'MISSING', 0, '–', '–']]);
  });
});

describe('what the learner reads around the report', () => {
  it('the title counts re-checks in words that agree with the number', () => {
    const one = report([row('dt=2026-11-29/hour=00', 'OK')]);
    expect(reportTable({ ...one, rechecks: 1 }).title).toContain('1 grace re-check)');
    expect(reportTable({ ...one, rechecks: 0 }).title).toContain('0 grace re-checks)');
    expect(reportTable({ ...one, rechecks: 2 }).title).toContain('2 grace re-checks)');
  });

  it('the status check says "every partition" when none is singled out, "every other" when some are', () => {
    const r = report([row('dt=2026-11-29/hour=00', 'OK'), row('dt=2026-11-29/hour=01', 'RECONCILED')]);
    expect(statusChecks('the report', r, {}).map((c) => [c.label, c.passed])).toEqual([
      ['the report: every partition', false],
    ]);
    expect(
      statusChecks('the report', r, { 'dt=2026-11-29/hour=01': 'RECONCILED' }).map((c) => [
        c.label,
        c.passed,
      ]),
    ).toEqual([
      ['the report: dt=2026-11-29/hour=01', true],
      ['the report: every other partition', true],
    ]);
  });

  it("the pager's times are on the target's clock, said once above the table", () => {
    const clock = {
      now: () => 0,
      sleep: async () => undefined,
      toRealMs: (x: number) => x / 30,
      timeScale: 30,
    };
    const table = pagerTable(targetTime('sandbox', clock), '/aws/events/pager', [
      {
        time: '2026-12-01T00:30:00Z',
        alarmName: 'a',
        state: 'ALARM',
        previousState: 'INSUFFICIENT_DATA',
        reason: 'Threshold Crossed',
      },
    ]);
    expect(table.note).toBe('time: sandbox clock, 30× real speed');
    expect(table.columns[0]).toBe('time');
    expect(table.rows).toEqual([['00:30:00', 'INSUFFICIENT_DATA → ALARM', 'Threshold Crossed']]);
  });
});
