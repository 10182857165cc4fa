/**
 * The alarms that exist, per region, and their history, persisted in `cloudwatch/alarms.json`.
 * Alarm names come from clients, so they key `Map`s only (never plain objects). History is kept for
 * two weeks of sandbox time, as CloudWatch keeps it, and capped so a flapping alarm cannot grow the
 * state directory without bound.
 */
import type { SandboxClock } from '../clock.js';
import type { PersistedDoc, StateStore } from '../store.js';
import type { AlarmHistoryItem, AlarmRecord } from './alarmModel.js';

interface AlarmsDoc {
  alarms: AlarmRecord[];
  history: AlarmHistoryItem[];
}

const HISTORY_RETENTION_MS = 14 * 86_400_000;
/** Per region; AWS has no such cap, only the retention. */
const MAX_HISTORY_ITEMS = 10_000;
/** CloudWatch's default quota of metric alarms per Region. */
export const MAX_ALARMS_PER_REGION = 5000;

export class AlarmStore {
  private readonly doc: PersistedDoc<AlarmsDoc>;
  private readonly byRegion = new Map<string, Map<string, AlarmRecord>>();

  constructor(
    store: StateStore,
    private readonly clock: SandboxClock,
  ) {
    this.doc = store.doc<AlarmsDoc>('cloudwatch/alarms.json', () => ({ alarms: [], history: [] }));
    const data = this.doc.data;
    if (!Array.isArray(data.alarms)) data.alarms = [];
    if (!Array.isArray(data.history)) data.history = [];
    for (const a of data.alarms) this.regionMap(a.region).set(a.config.name, a);
  }

  private regionMap(region: string): Map<string, AlarmRecord> {
    let m = this.byRegion.get(region);
    if (!m) {
      m = new Map();
      this.byRegion.set(region, m);
    }
    return m;
  }

  get(region: string, name: string): AlarmRecord | undefined {
    return this.byRegion.get(region)?.get(name);
  }

  /** The region's alarms sorted by name (DescribeAlarms' order). */
  list(region: string): AlarmRecord[] {
    return [...(this.byRegion.get(region)?.values() ?? [])].sort((a, b) =>
      a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0,
    );
  }

  /** Every alarm in every region (the evaluator's work list). */
  all(): AlarmRecord[] {
    return [...this.byRegion.values()].flatMap((m) => [...m.values()]);
  }

  count(region: string): number {
    return this.byRegion.get(region)?.size ?? 0;
  }

  put(record: AlarmRecord): void {
    this.regionMap(record.region).set(record.config.name, record);
    this.changed();
  }

  delete(region: string, name: string): void {
    this.byRegion.get(region)?.delete(name);
    this.changed();
  }

  addHistory(item: AlarmHistoryItem): void {
    this.doc.data.history.push(item);
    this.prune();
    this.doc.changed();
  }

  /** History items of the region, newest first, with expired items dropped. */
  history(region: string): AlarmHistoryItem[] {
    this.prune();
    return this.doc.data.history.filter((h) => h.region === region).sort((a, b) => b.timestamp - a.timestamp);
  }

  /** Record that an alarm's state or configuration changed in place. */
  changed(): void {
    this.doc.data.alarms = this.all();
    this.doc.changed();
  }

  private prune(): void {
    const cutoff = this.clock.now() - HISTORY_RETENTION_MS;
    let items = this.doc.data.history;
    if (items.length > 0 && items[0]!.timestamp < cutoff) items = items.filter((h) => h.timestamp >= cutoff);
    const counts = new Map<string, number>();
    if (items.length > MAX_HISTORY_ITEMS)
      for (const h of items) counts.set(h.region, (counts.get(h.region) ?? 0) + 1);
    if ([...counts.values()].some((n) => n > MAX_HISTORY_ITEMS)) {
      // Drop the oldest items of an over-full region first.
      const keep: AlarmHistoryItem[] = [];
      const seen = new Map<string, number>();
      for (let i = items.length - 1; i >= 0; i--) {
        const h = items[i]!;
        const n = (seen.get(h.region) ?? 0) + 1;
        seen.set(h.region, n);
        if (n <= MAX_HISTORY_ITEMS) keep.push(h);
      }
      items = keep.reverse();
    }
    if (items !== this.doc.data.history) {
      this.doc.data.history = items;
      this.doc.changed();
    }
  }
}
