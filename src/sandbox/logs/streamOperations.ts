/** CloudWatch Logs stream and event operations: streams, PutLogEvents, GetLogEvents, FilterLogEvents. */
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import type { LogEventInput } from '../contracts.js';
import type { OperationHandler } from '../protocols/types.js';
import { compileFilterPattern } from './filterPattern.js';
import {
  decodeToken,
  encodeToken,
  groupNameOf,
  invalidParameter,
  LogRules,
  logsValidator,
} from './inputs.js';
import { EVENT_OVERHEAD_BYTES, type LogStore, type StoredEvent, type StreamMeta } from './logStore.js';

type Input = Record<string, unknown>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_BATCH_BYTES = 1_048_576;
const MAX_EVENT_BYTES = 262_144;
const TOKEN_DIGITS = 56;

function sequenceToken(n: number): string {
  return String(n).padStart(TOKEN_DIGITS, '0');
}

function eventId(e: StoredEvent): string {
  return `${String(e.t).padStart(20, '0')}${String(e.n).padStart(TOKEN_DIGITS - 20, '0')}`;
}

function parsePositionToken(token: string): { dir: 'f' | 'b'; pos: number } {
  const m = /^([fb])\/(\d{1,56})$/.exec(token);
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', pos: Number(m[2]) };
}

function positionToken(dir: 'f' | 'b', pos: number): string {
  return `${dir}/${String(pos).padStart(TOKEN_DIGITS, '0')}`;
}

export function streamOperations(logs: LogStore): Record<string, OperationHandler> {
  const clock = logs.clock;

  const describeStream = (region: string, group: string, s: StreamMeta): Record<string, unknown> => ({
    logStreamName: s.name,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp,
    lastEventTimestamp: s.lastEventTimestamp,
    lastIngestionTime: s.lastIngestionTime,
    uploadSequenceToken: sequenceToken(s.batches + 1),
    arn: `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${group}:log-stream:${s.name}`,
    storedBytes: 0,
  });

  return {
    CreateLogStream(input: Input, ctx) {
      const v = logsValidator(input);
      const group = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const stream = v.string('logStreamName', { ...LogRules.streamName, required: true });
      v.check();
      logs.createStream(ctx.region, group!, stream!);
      return {};
    },

    DeleteLogStream(input: Input, ctx) {
      const v = logsValidator(input);
      const group = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const stream = v.string('logStreamName', { ...LogRules.streamName, required: true });
      v.check();
      logs.deleteStream(ctx.region, group!, stream!);
      return {};
    },

    DescribeLogStreams(input: Input, ctx) {
      const v = logsValidator(input);
      const prefix = v.string('logStreamNamePrefix', LogRules.streamName);
      const orderBy = v.string('orderBy', { enum: ['LogStreamName', 'LastEventTime'] }) ?? 'LogStreamName';
      const descending = v.boolean('descending') ?? false;
      const limit = v.number('limit', { min: 1, max: 50, integer: true }) ?? 50;
      const token = decodeToken(v.string('nextToken', LogRules.nextToken));
      const groupName = groupNameOf(v);
      if (prefix !== undefined && orderBy === 'LastEventTime') {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      const group = logs.getGroup(ctx.region, groupName);
      const streams = Object.values(group.streams).filter(
        (s) => prefix === undefined || s.name.startsWith(prefix),
      );
      streams.sort((a, b) =>
        orderBy === 'LastEventTime'
          ? (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || (a.name < b.name ? -1 : 1)
          : a.name < b.name
            ? -1
            : 1,
      );
      if (descending) streams.reverse();
      const start = token === undefined ? 0 : Number(token);
      if (!Number.isInteger(start) || start < 0)
        throw invalidParameter('The specified nextToken is invalid.');
      const page = streams.slice(start, start + limit);
      return {
        logStreams: page.map((s) => describeStream(ctx.region, group.name, s)),
        nextToken: start + limit < streams.length ? encodeToken(String(start + limit)) : undefined,
      };
    },

    PutLogEvents(input: Input, ctx) {
      const v = logsValidator(input);
      const groupName = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const streamName = v.string('logStreamName', { ...LogRules.streamName, required: true });
      const raw = v.list<Record<string, unknown>>('logEvents', { required: true, min: 1, max: 10000 }) ?? [];
      v.string('sequenceToken', { min: 1 });
      const events: LogEventInput[] = [];
      raw.forEach((e, i) => {
        const ev = logsValidator(e && typeof e === 'object' ? e : {});
        const timestamp = ev.number('timestamp', { required: true, min: 0, integer: true });
        const message = ev.string('message', { required: true, min: 1 });
        if (timestamp === undefined)
          v.addFailure(null, `logEvents.${i + 1}.member.timestamp`, 'Member must not be null');
        if (message === undefined)
          v.addFailure(null, `logEvents.${i + 1}.member.message`, 'Member must not be null');
        else if (message.length === 0)
          v.addFailure(
            message,
            `logEvents.${i + 1}.member.message`,
            'Member must have length greater than or equal to 1',
          );
        events.push({ timestamp: timestamp ?? 0, message: message ?? '' });
      });
      v.check();
      for (const e of events) {
        const size = Buffer.byteLength(e.message) + EVENT_OVERHEAD_BYTES;
        if (size > MAX_EVENT_BYTES) {
          throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
        }
      }
      const bytes = events.reduce((sum, e) => sum + Buffer.byteLength(e.message) + EVENT_OVERHEAD_BYTES, 0);
      if (bytes > MAX_BATCH_BYTES) {
        throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
      }
      for (let i = 1; i < events.length; i++) {
        if (events[i]!.timestamp < events[i - 1]!.timestamp) {
          throw invalidParameter(
            'Log events in a single PutLogEvents request must be in chronological order.',
          );
        }
      }
      if (events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY_MS) {
        throw invalidParameter(
          'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
        );
      }
      const group = logs.getGroup(ctx.region, groupName!);
      const stream = logs.getStream(group, streamName!);

      // Events too far in the past or future are rejected by index, as AWS reports them.
      const now = clock.now();
      const tooOldBefore = now - 14 * DAY_MS;
      const expiredBefore =
        group.retentionInDays !== undefined ? now - group.retentionInDays * DAY_MS : -Infinity;
      const tooNewAfter = now + 2 * HOUR_MS;
      let tooOldEnd = -1;
      let expiredEnd = -1;
      let tooNewStart = -1;
      events.forEach((e, i) => {
        if (e.timestamp < tooOldBefore) tooOldEnd = i;
        if (e.timestamp < expiredBefore) expiredEnd = i;
        if (e.timestamp > tooNewAfter && tooNewStart < 0) tooNewStart = i;
      });
      const accepted = events.filter(
        (_e, i) => i > tooOldEnd && i > expiredEnd && (tooNewStart < 0 || i < tooNewStart),
      );
      logs.appendEvents(ctx.region, group, stream, accepted);
      const rejected: Record<string, number> = {};
      if (tooNewStart >= 0) rejected.tooNewLogEventStartIndex = tooNewStart;
      if (tooOldEnd >= 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
      if (expiredEnd >= 0) rejected.expiredLogEventEndIndex = expiredEnd;
      return {
        nextSequenceToken: sequenceToken(stream.batches + 1),
        rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
      };
    },

    GetLogEvents(input: Input, ctx) {
      const v = logsValidator(input);
      const streamName = v.string('logStreamName', { ...LogRules.streamName, required: true });
      const startTime = v.number('startTime', { min: 0, integer: true });
      const endTime = v.number('endTime', { min: 0, integer: true });
      const token = v.string('nextToken', LogRules.nextToken);
      const limit = v.number('limit', { min: 1, max: 10000, integer: true }) ?? 10000;
      const startFromHead = v.boolean('startFromHead') ?? false;
      const groupName = groupNameOf(v);
      const group = logs.getGroup(ctx.region, groupName);
      logs.getStream(group, streamName!);
      const all = logs.events(ctx.region, group)[streamName!] ?? [];
      const inRange = all.filter(
        (e) => (startTime === undefined || e.t >= startTime) && (endTime === undefined || e.t < endTime),
      );
      let lo: number;
      let hi: number;
      const parsed = token === undefined ? undefined : parsePositionToken(token);
      if (parsed?.dir === 'f' || (!parsed && startFromHead)) {
        lo = Math.min(parsed?.pos ?? 0, inRange.length);
        hi = Math.min(lo + limit, inRange.length);
      } else {
        hi = Math.min(parsed?.pos ?? inRange.length, inRange.length);
        lo = Math.max(0, hi - limit);
      }
      // Like AWS, a page also stops at 1 MB of events.
      let bytes = 0;
      for (let i = lo; i < hi; i++) {
        bytes += Buffer.byteLength(inRange[i]!.m) + EVENT_OVERHEAD_BYTES;
        if (bytes > MAX_BATCH_BYTES) {
          hi = i;
          break;
        }
      }
      return {
        events: inRange.slice(lo, hi).map((e) => ({ timestamp: e.t, message: e.m, ingestionTime: e.i })),
        nextForwardToken: positionToken('f', hi),
        nextBackwardToken: positionToken('b', lo),
      };
    },

    FilterLogEvents(input: Input, ctx) {
      const v = logsValidator(input);
      const names = v.list<unknown>('logStreamNames', { min: 1, max: 100 });
      const prefix = v.string('logStreamNamePrefix', LogRules.streamName);
      const startTime = v.number('startTime', { min: 0, integer: true });
      const endTime = v.number('endTime', { min: 0, integer: true });
      const pattern = v.string('filterPattern', { max: 1024 });
      const token = decodeToken(v.string('nextToken', LogRules.nextToken));
      const limit = v.number('limit', { min: 1, max: 10000, integer: true }) ?? 10000;
      v.boolean('interleaved');
      v.boolean('unmask');
      const groupName = groupNameOf(v);
      if (names !== undefined && prefix !== undefined) {
        throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      }
      if (names?.some((n) => typeof n !== 'string'))
        throw invalidParameter('logStreamNames must be strings.');
      const matches = compileFilterPattern(pattern);
      const group = logs.getGroup(ctx.region, groupName);
      const byStream = logs.events(ctx.region, group);
      const wanted = Object.keys(group.streams).filter(
        (s) => (names === undefined || names.includes(s)) && (prefix === undefined || s.startsWith(prefix)),
      );
      const after = token === undefined ? undefined : token.split(':').map(Number);
      const found: Array<{ stream: string; e: StoredEvent }> = [];
      for (const stream of wanted) {
        for (const e of byStream[stream] ?? []) {
          if (startTime !== undefined && e.t < startTime) continue;
          if (endTime !== undefined && e.t > endTime) continue;
          if (after && (e.t < after[0]! || (e.t === after[0] && e.n < after[1]!))) continue;
          if (matches.test(e.m)) found.push({ stream, e });
        }
      }
      found.sort((a, b) => a.e.t - b.e.t || a.e.n - b.e.n);
      const page = found.slice(0, limit);
      const next = found[limit];
      return {
        events: page.map(({ stream, e }) => ({
          logStreamName: stream,
          timestamp: e.t,
          message: e.m,
          ingestionTime: e.i,
          eventId: eventId(e),
        })),
        // "As of May 15, 2020, this parameter is no longer supported. This parameter returns an empty list."
        searchedLogStreams: [],
        nextToken: next ? encodeToken(`${next.e.t}:${next.e.n}`) : undefined,
      };
    },
  };
}
