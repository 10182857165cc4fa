/**
 * A Lambda function's log lines as the course's log table shows them: the runtime's START / END /
 * REPORT lines and the handler's own lines (text format `<time>\t<request id>\t<LEVEL>\t<text>` with a
 * JSON object in the text, or Lambda's JSON log format) become a level, the message itself, and the
 * structured fields — with the request id kept apart, to tell runs (and retries of one run) apart.
 */
import type { LogEntry } from '../../src/course/logTable.js';
import type { LogLine } from './logEvents.js';

const RUNTIME_LINE = /^(START|END|REPORT) RequestId: ([\w-]+)\s*(.*)$/s;
const TEXT_LINE = /^\S+\t([\w-]+)\t([A-Z]+)\t(.*)$/s;

/** The request id a line belongs to, when it names one. */
export function requestIdOf(line: LogLine): string | undefined {
  const runtime = RUNTIME_LINE.exec(line.message.trim());
  if (runtime) return runtime[2];
  const tabbed = TEXT_LINE.exec(line.message);
  if (tabbed) return tabbed[1];
  const id = line.fields?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/** `Duration: 7.67 ms · Billed Duration: 8 ms · …` from a REPORT line's tab-separated tail. */
const tidy = (rest: string): string =>
  rest
    .split('\t')
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' · ');

/** Split a JSON object into its message and the rest of its fields (the stack trace left out). */
function messageAndFields(
  obj: Record<string, unknown>,
  fallback: string,
): { message: string; fields: Record<string, unknown> } {
  const { message, msg, stack, trace, level: _level, ...rest } = obj;
  void stack;
  void trace;
  const text = typeof message === 'string' ? message : typeof msg === 'string' ? msg : fallback;
  return { message: text, fields: rest };
}

export function toLogEntry(line: LogLine): LogEntry {
  const text = line.message.trim();
  const runtime = RUNTIME_LINE.exec(text);
  if (runtime) {
    return {
      timestamp: line.timestamp,
      source: runtime[2],
      level: runtime[1]!,
      message: tidy(runtime[3] ?? ''),
    };
  }
  const tabbed = TEXT_LINE.exec(line.message);
  if (tabbed) {
    const [, requestId, level, rest] = tabbed;
    const start = rest!.indexOf('{');
    const lead = (start >= 0 ? rest!.slice(0, start) : rest!).trim();
    const obj = line.fields;
    if (obj) {
      const { message, fields } = messageAndFields(obj, lead);
      return {
        timestamp: line.timestamp,
        source: requestId,
        level: String(obj.level ?? level),
        message,
        fields,
      };
    }
    return { timestamp: line.timestamp, source: requestId, level: level!, message: rest!.trim() };
  }
  // Lambda's JSON log format: {"timestamp", "level", "requestId", "message": "…" | {…}}.
  const obj = line.fields;
  if (obj && typeof obj.requestId === 'string') {
    const inner = obj.message;
    const { message, fields } =
      inner && typeof inner === 'object'
        ? messageAndFields(inner as Record<string, unknown>, '')
        : { message: String(inner ?? ''), fields: {} };
    return {
      timestamp: line.timestamp,
      source: obj.requestId,
      level: String(obj.level ?? 'INFO'),
      message,
      fields,
    };
  }
  return { timestamp: line.timestamp, level: line.kind === 'other' ? '' : line.kind, message: text };
}

export const toLogEntries = (lines: LogLine[]): LogEntry[] => lines.map(toLogEntry);
