/**
 * Reading a Lambda function's CloudWatch Logs the way a learner would in the console: every line
 * of every stream in time order, the runtime's START/END/REPORT lines told apart from the
 * handler's own structured (JSON) lines.
 */
import {
  FilterLogEventsCommand,
  type CloudWatchLogsClient,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';

export type LogLineKind = 'START' | 'END' | 'REPORT' | 'handler' | 'other';

export interface LogLine {
  timestamp: number;
  stream: string;
  message: string;
  kind: LogLineKind;
  /** The handler's JSON object, when the line carries one. */
  fields?: Record<string, unknown>;
}

const MAX_PAGES = 20;

/** Pull the JSON object out of a line (the Lambda runtime prefixes time, request id and level). */
export function parseJsonFields(message: string): Record<string, unknown> | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(message.slice(start).trim());
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function classifyLine(message: string): { kind: LogLineKind; fields?: Record<string, unknown> } {
  const trimmed = message.trimStart();
  for (const k of ['START', 'END', 'REPORT'] as const)
    if (trimmed.startsWith(`${k} RequestId:`)) return { kind: k };
  const fields = parseJsonFields(message);
  return fields ? { kind: 'handler', fields } : { kind: 'other' };
}

function toLine(e: FilteredLogEvent): LogLine {
  const message = (e.message ?? '').replace(/\n$/, '');
  return { timestamp: e.timestamp ?? 0, stream: e.logStreamName ?? '', message, ...classifyLine(message) };
}

/**
 * Every event of `groupName` from `startTime` on (all streams), oldest first. A group that does not
 * exist yet has no lines.
 */
export async function readLogLines(
  logs: CloudWatchLogsClient,
  groupName: string,
  opts: { startTime?: number; filterPattern?: string } = {},
): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: groupName,
          startTime: opts.startTime,
          filterPattern: opts.filterPattern,
          nextToken,
        }),
      );
      lines.push(...(res.events ?? []).map(toLine));
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return [];
    throw err;
  }
  return lines.sort((a, b) => a.timestamp - b.timestamp);
}

/** Lines that signal a failure: the runtime's error lines, or the handler's ERROR level. */
export function errorLines(lines: LogLine[]): LogLine[] {
  return lines.filter(
    (l) =>
      l.fields?.level === 'ERROR' ||
      /\bERROR\b/.test(l.message) ||
      /"errorType"|Task timed out|Runtime\.\w+Error/.test(l.message),
  );
}
