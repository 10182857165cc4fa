/**
 * CloudWatch Logs state: log groups (per region) with their streams, retention and tags, and each
 * group's events. Group metadata lives in one document; each group's events in a document of their
 * own, so a busy group does not rewrite the others. Retention is applied on the sandbox clock
 * whenever a group's events are read or written: expired events are gone, as in AWS.
 */
import { createHash } from 'node:crypto';
import type { LogEventInput, LogWriter } from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import { AwsError } from '../errors.js';
import type { SandboxClock } from '../clock.js';
import type { PersistedDoc, StateStore } from '../store.js';
import type { MetricFilterRecord } from './metricFilterModel.js';

/** Told after events were stored in a group (metric filters turn them into metrics). */
export type AppendListener = (region: string, group: GroupMeta, events: readonly LogEventInput[]) => void;
import { dictionary, dictionaryOfDictionaries } from '../dictionary.js';

export interface StreamMeta {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** Counts batches; the upload sequence token is derived from it. */
  batches: number;
}

export interface GroupMeta {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  streams: Record<string, StreamMeta>;
  /** Metric filters on the group (they go when the group goes). */
  metricFilters?: MetricFilterRecord[];
}

export interface StoredEvent {
  /** Event timestamp, epoch ms. */
  t: number;
  /** Ingestion time, epoch ms. */
  i: number;
  m: string;
  /** Per-group sequence number, for stable event ids. */
  n: number;
}

interface GroupsState {
  regions: Record<string, Record<string, GroupMeta>>;
}

interface EventsState {
  seq: number;
  streams: Record<string, StoredEvent[]>;
}

const DAY_MS = 86_400_000;
/** Every append changes the group's events and its stream's metadata: write them once a second. */
const WRITE_BEHIND = { writeBehindMs: 1_000 };
/**
 * The sandbox keeps at most this many events per stream (oldest dropped first), so a chatty function
 * left running cannot grow the state directory without bound. AWS has no such cap.
 */
export const MAX_EVENTS_PER_STREAM = 50_000;
/** Bytes AWS counts per event on top of its message. */
export const EVENT_OVERHEAD_BYTES = 26;

export function groupNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
}

export function streamNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
}

export function groupArn(region: string, name: string): string {
  return `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${name}`;
}

/** Insert keeping events ordered by timestamp, then arrival. */
function insertSorted(events: StoredEvent[], ev: StoredEvent): void {
  const last = events[events.length - 1];
  if (!last || last.t <= ev.t) {
    events.push(ev);
    return;
  }
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.t <= ev.t) lo = mid + 1;
    else hi = mid;
  }
  events.splice(lo, 0, ev);
}

export class LogStore implements LogWriter {
  private readonly groups: PersistedDoc<GroupsState>;
  private appendListener: AppendListener | undefined;

  constructor(
    private readonly store: StateStore,
    readonly clock: SandboxClock,
  ) {
    this.groups = store.doc<GroupsState>('logs/groups.json', () => ({ regions: dictionary() }), WRITE_BEHIND);
    // Regions, group, stream and tag names are the client's: no prototype may answer for them.
    this.groups.data.regions = dictionaryOfDictionaries(this.groups.data.regions);
    for (const groups of Object.values(this.groups.data.regions)) {
      for (const g of Object.values(groups)) {
        g.streams = dictionary(g.streams);
        g.tags = dictionary(g.tags);
      }
    }
  }

  private regionGroups(region: string): Record<string, GroupMeta> {
    return (this.groups.data.regions[region] ??= dictionary());
  }

  private eventsDoc(region: string, group: string): PersistedDoc<EventsState> {
    const id = createHash('sha256').update(`${region}\n${group}`).digest('hex').slice(0, 32);
    const doc = this.store.doc<EventsState>(
      `logs/events/${id}.json`,
      () => ({ seq: 0, streams: dictionary() }),
      WRITE_BEHIND,
    );
    if (Object.getPrototypeOf(doc.data.streams) !== null) doc.data.streams = dictionary(doc.data.streams);
    return doc;
  }

  findGroup(region: string, name: string): GroupMeta | undefined {
    const groups = this.regionGroups(region);
    return Object.hasOwn(groups, name) ? groups[name] : undefined;
  }

  getGroup(region: string, name: string): GroupMeta {
    const g = this.findGroup(region, name);
    if (!g) throw groupNotFound();
    return g;
  }

  listGroups(region: string): GroupMeta[] {
    return Object.values(this.regionGroups(region)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createGroup(region: string, name: string, opts: Partial<GroupMeta> = {}): GroupMeta {
    if (this.findGroup(region, name)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    }
    const group: GroupMeta = {
      name,
      creationTime: this.clock.now(),
      logGroupClass: opts.logGroupClass ?? 'STANDARD',
      kmsKeyId: opts.kmsKeyId,
      tags: dictionary(opts.tags),
      streams: dictionary(),
    };
    this.regionGroups(region)[name] = group;
    this.groups.changed();
    // A re-created group starts empty even if an old events file lingers.
    const events = this.eventsDoc(region, name);
    events.data = { seq: 0, streams: dictionary() };
    events.changed();
    return group;
  }

  deleteGroup(region: string, name: string): void {
    this.getGroup(region, name);
    delete this.regionGroups(region)[name];
    this.groups.changed();
    const events = this.eventsDoc(region, name);
    events.data = { seq: 0, streams: dictionary() };
    events.changed();
  }

  /** Register the one listener told about every batch of stored events. */
  onAppend(listener: AppendListener): void {
    this.appendListener = listener;
  }

  /** Call after changing a group's metadata in place. */
  changed(): void {
    this.groups.changed();
  }

  createStream(region: string, groupName: string, streamName: string): StreamMeta {
    const group = this.getGroup(region, groupName);
    if (Object.hasOwn(group.streams, streamName)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
    }
    const stream: StreamMeta = { name: streamName, creationTime: this.clock.now(), batches: 0 };
    group.streams[streamName] = stream;
    this.groups.changed();
    return stream;
  }

  getStream(group: GroupMeta, streamName: string): StreamMeta {
    if (!Object.hasOwn(group.streams, streamName)) throw streamNotFound();
    return group.streams[streamName]!;
  }

  deleteStream(region: string, groupName: string, streamName: string): void {
    const group = this.getGroup(region, groupName);
    this.getStream(group, streamName);
    delete group.streams[streamName];
    this.groups.changed();
    const events = this.eventsDoc(region, groupName);
    delete events.data.streams[streamName];
    events.changed();
  }

  /** The group's events per stream, with expired events (by retention) removed first. */
  events(region: string, group: GroupMeta): Record<string, StoredEvent[]> {
    const doc = this.eventsDoc(region, group.name);
    if (group.retentionInDays !== undefined) {
      const cutoff = this.clock.now() - group.retentionInDays * DAY_MS;
      let purged = false;
      for (const [name, list] of Object.entries(doc.data.streams)) {
        if (list.length > 0 && list[0]!.t < cutoff) {
          doc.data.streams[name] = list.filter((e) => e.t >= cutoff);
          purged = true;
        }
      }
      if (purged) doc.changed();
    }
    return doc.data.streams;
  }

  /** Append already-validated events to an existing stream. */
  appendEvents(region: string, group: GroupMeta, stream: StreamMeta, events: LogEventInput[]): void {
    const doc = this.eventsDoc(region, group.name);
    const list = Object.hasOwn(doc.data.streams, stream.name)
      ? doc.data.streams[stream.name]!
      : (doc.data.streams[stream.name] = []);
    const ingestion = this.clock.now();
    for (const e of events) {
      insertSorted(list, { t: e.timestamp, i: ingestion, m: e.message, n: doc.data.seq++ });
      stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? e.timestamp, e.timestamp);
      stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? e.timestamp, e.timestamp);
    }
    if (list.length > MAX_EVENTS_PER_STREAM) list.splice(0, list.length - MAX_EVENTS_PER_STREAM);
    if (events.length > 0) stream.lastIngestionTime = ingestion;
    stream.batches++;
    doc.changed();
    this.groups.changed();
    if (events.length > 0) this.appendListener?.(region, group, events);
  }

  storedBytes(region: string, group: GroupMeta, streamName?: string): number {
    const all = this.events(region, group);
    let total = 0;
    for (const [name, list] of Object.entries(all)) {
      if (streamName !== undefined && name !== streamName) continue;
      for (const e of list) total += Buffer.byteLength(e.m) + EVENT_OVERHEAD_BYTES;
    }
    return total;
  }

  // ---- LogWriter (for Lambda and Step Functions) ----

  groupExists(region: string, groupName: string): boolean {
    return this.findGroup(region, groupName) !== undefined;
  }

  append(
    region: string,
    groupName: string,
    streamName: string,
    events: LogEventInput[],
    opts: { createGroup?: boolean } = {},
  ): boolean {
    let group = this.findGroup(region, groupName);
    if (!group) {
      if (!opts.createGroup) return false;
      group = this.createGroup(region, groupName);
    }
    const stream = Object.hasOwn(group.streams, streamName)
      ? group.streams[streamName]!
      : this.createStream(region, groupName, streamName);
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    this.appendEvents(region, group, stream, sorted);
    return true;
  }
}
