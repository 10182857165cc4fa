/** How the demos show a curated summary, log lines and a raw/curated comparison to the learner. */
import type { StepContext, StepOutput } from '../../src/course/model.js';
import { logTable } from '../../src/course/logTable.js';
import { toLogEntries } from './lambdaLogEntries.js';
import type { HourWindow } from './hourWindows.js';
import { describeWindow } from './hourWindows.js';
import type { LogLine } from './logEvents.js';
import type { CuratedSummary } from './orderStore.js';
import type { OrderStats } from './orders.js';

export function showSummary(out: StepOutput, key: string, s: CuratedSummary): void {
  out.table({
    title: `s3://…/${key}`,
    columns: ['field', 'value'],
    rows: [
      ['window', describeWindow(s.window)],
      ['record_count', s.record_count],
      ['distinct_orders', s.distinct_orders],
      ['total_amount', s.total_amount.toFixed(2)],
      [
        'source_files',
        s.source_files.length ? s.source_files.map((f) => f.split('/').pop()).join(', ') : '(none)',
      ],
      ['trigger', `${s.trigger.type}${s.trigger.event_time ? ` (event time ${s.trigger.event_time})` : ''}`],
      ['processed_at', s.processed_at],
    ],
  });
}

/** The handler's fields worth reading in a log table, in this order. */
export const LOG_FIELDS = [
  'trigger',
  'event_time',
  'window',
  'require_input',
  'record_count',
  'distinct_orders',
  'total_amount',
  'source_files',
  'key',
  'error',
  'detail',
  'errorType',
  'errorMessage',
];

/** Log lines as a table: time on the target's clock, level, the message and its fields — wrapped, never cut. */
export function showLogLines(
  ctx: Pick<StepContext<unknown>, 'out' | 'time'>,
  title: string,
  lines: LogLine[],
): void {
  if (lines.length === 0) {
    ctx.out.note(`${title}: no log lines yet.`);
    return;
  }
  ctx.time.explainOnce(ctx.out);
  ctx.out.table(
    logTable(title, toLogEntries(lines), { time: ctx.time, fields: LOG_FIELDS, sourceTitle: 'request' }),
  );
}

export function showComparison(
  out: StepOutput,
  window: HourWindow,
  raw: OrderStats & { files: number },
  curated: CuratedSummary | undefined,
): void {
  out.table({
    title: `raw/ vs curated/ for ${describeWindow(window)}`,
    columns: ['', 'raw/ (recounted now)', 'curated summary'],
    rows: [
      ['files', raw.files, curated ? curated.source_files.length : '(no summary)'],
      ['records', raw.record_count, curated ? curated.record_count : '(no summary)'],
      ['distinct orders', raw.distinct_orders, curated ? curated.distinct_orders : '(no summary)'],
      [
        'total amount',
        raw.total_amount.toFixed(2),
        curated ? curated.total_amount.toFixed(2) : '(no summary)',
      ],
    ],
  });
}
