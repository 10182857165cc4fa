/**
 * Execution history to CloudWatch Logs, as a state machine's loggingConfiguration asks: events at
 * or above the level (ALL, ERROR, FATAL), JSON lines `{id, type, details, previous_event_id,
 * event_timestamp, execution_arn, redrive_count}`, one stream per execution named
 * `states/<state machine>/<yyyy-mm-dd-hh-mm>/<id>`. Writes are batched per tick.
 */
import { randomBytes } from 'node:crypto';
import type { LogEventInput, LogWriter } from '../contracts.js';
import type { HistorySink } from './history.js';
import type { LoggingConfiguration } from './records.js';

const FATAL_TYPES = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

function levelAdmits(level: LoggingConfiguration['level'], type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'OFF') return false;
  if (FATAL_TYPES.has(type)) return true;
  return level === 'ERROR' && /(Failed|TimedOut|Aborted)$/.test(type);
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>:*` → region and group name. */
export function parseLogGroupArn(arn: string): { region: string; groupName: string } | undefined {
  const m = /^arn:aws:logs:([a-z0-9-]+):\d{12}:log-group:([\w\-./#]+):\*$/.exec(arn);
  return m ? { region: m[1]!, groupName: m[2]! } : undefined;
}

function streamName(smName: string, now: number): string {
  const d = new Date(now).toISOString(); // 2024-05-01T12:34:56.789Z
  const stamp = `${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}`;
  return `states/${smName}/${stamp}/${randomBytes(4).toString('hex')}`;
}

const DATA_FIELDS = ['input', 'output', 'parameters'];

export function executionLogSink(opts: {
  logs: LogWriter;
  config: LoggingConfiguration;
  smName: string;
  executionArn: string;
  redriveCount: () => number;
  now: number;
  onError: (message: string) => void;
}): HistorySink | undefined {
  const { config } = opts;
  const target =
    config.destinations[0] && parseLogGroupArn(config.destinations[0].cloudWatchLogsLogGroup.logGroupArn);
  if (config.level === 'OFF' || !target) return undefined;
  const stream = streamName(opts.smName, opts.now);
  let batch: LogEventInput[] = [];
  const flush = (): void => {
    const events = batch;
    batch = [];
    try {
      if (!opts.logs.append(target.region, target.groupName, stream, events)) {
        opts.onError(`log group ${target.groupName} does not exist; execution events not logged`);
      }
    } catch (err) {
      opts.onError(`writing execution events to ${target.groupName}: ${(err as Error).message}`);
    }
  };
  return (ev) => {
    if (!levelAdmits(config.level, ev.type)) return;
    let details = ev.details ?? {};
    if (!config.includeExecutionData) {
      details = Object.fromEntries(Object.entries(details).filter(([k]) => !DATA_FIELDS.includes(k)));
    }
    const line = {
      id: String(ev.id),
      type: ev.type,
      details,
      previous_event_id: String(ev.previousEventId),
      event_timestamp: String(ev.timestamp),
      execution_arn: opts.executionArn,
      redrive_count: String(opts.redriveCount()),
    };
    if (batch.length === 0) setImmediate(flush);
    batch.push({ timestamp: ev.timestamp, message: JSON.stringify(line) });
  };
}
