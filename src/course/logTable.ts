/**
 * Log lines as a table the learner can read: the time (on the target's clock), the level, and the
 * message itself followed by the structured fields that matter — never a raw line cut at the edge.
 * The table is fitted (and its message column wrapped) by the I/O channel like any other table.
 */
import type { Table } from './model.js';
import type { TargetTime } from './targetTime.js';

export interface LogEntry {
  timestamp: number;
  /** Who wrote the line (e.g. a Lambda request id); shown, shortened, when lines come from several. */
  source?: string;
  /** START, END, REPORT, INFO, ERROR… */
  level: string;
  message: string;
  /** Structured fields of the line, shown after the message as `name=value`. */
  fields?: Record<string, unknown>;
}

export interface LogTableOptions {
  /** How to show times; without it the table has no time column (e.g. a log tail without times). */
  time?: TargetTime;
  /** Only these fields, in this order (the ones the lesson is about); all fields when omitted. */
  fields?: string[];
  /** Title of the source column (default `source`). */
  sourceTitle?: string;
}

/** A field value in a few characters: strings bare, objects as JSON without quotes on plain words. */
export function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) ?? String(value);
  return json.replace(/"([\w.\-/:]+)"/g, '$1');
}

export function formatFields(fields: Record<string, unknown> | undefined, only?: string[]): string {
  if (!fields) return '';
  const names = only ?? Object.keys(fields);
  return names
    .filter((n) => fields[n] !== undefined && fields[n] !== null)
    .map((n) => `${n}=${formatFieldValue(fields[n])}`)
    .join(' ');
}

/** First 8 characters of a request id: enough to tell runs apart on screen. */
export const shortSource = (source: string): string => source.slice(0, 8);

export function logTable(title: string, entries: LogEntry[], opts: LogTableOptions): Table {
  const sources = new Set(entries.map((e) => e.source).filter(Boolean));
  const withSource = sources.size > 1;
  const time = opts.time;
  const columns = [
    ...(time ? [time.columnTitle] : []),
    ...(withSource ? [opts.sourceTitle ?? 'source'] : []),
    'level',
    'message',
  ];
  const rows = entries.map((e) => {
    const fields = formatFields(e.fields, opts.fields);
    const message = [e.message, fields].filter(Boolean).join(' · ');
    return [
      ...(time ? [time.clockTime(e.timestamp)] : []),
      ...(withSource ? [e.source ? shortSource(e.source) : ''] : []),
      e.level,
      message,
    ];
  });
  return { title, ...(time ? { note: time.columnNote } : {}), columns, rows };
}
