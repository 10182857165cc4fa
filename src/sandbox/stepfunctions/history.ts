/**
 * Execution history as GetExecutionHistory reports it: numbered events, each pointing at the event
 * that led to it (`previousEventId`). Events of one branch/iteration chain through a `Thread`, so
 * concurrent branches interleave in the list yet keep their own causal chain as on AWS.
 */
import type { HistoryEvent } from './records.js';

/** The causal chain one branch of the execution appends to. */
export interface Thread {
  last: number;
}

export type HistorySink = (event: HistoryEvent) => void;

/** AWS caps a STANDARD execution's history at 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;

/** The events that end an execution: the only one recorded once the history is full. */
const ENDING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

export class HistoryRecorder {
  private sinks: HistorySink[] = [];

  private full = false;

  /**
   * `onFull` (STANDARD executions) is called once, when an event would take the history to its last
   * place: AWS then ends the execution, whose ending event is the 25,000th. That event and nothing
   * else is recorded from then on.
   */
  constructor(
    readonly events: HistoryEvent[],
    private readonly now: () => number,
    private readonly onFull?: () => void,
  ) {}

  addSink(sink: HistorySink): void {
    this.sinks.push(sink);
  }

  get lastId(): number {
    return this.events.length === 0 ? 0 : this.events[this.events.length - 1]!.id;
  }

  /** Append an event on a thread; returns its id. */
  emit(thread: Thread, type: string, details?: Record<string, unknown>): number {
    if (this.onFull && this.events.length >= MAX_HISTORY_EVENTS - 1 && !ENDING.has(type)) {
      if (!this.full) {
        this.full = true;
        this.onFull();
      }
      return this.lastId;
    }
    if (this.events.length >= MAX_HISTORY_EVENTS) return this.lastId;
    const id = this.lastId + 1;
    const event: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: thread.last };
    if (details) {
      event.detailsKey = detailsKeyOf(type);
      event.details = details;
    }
    thread.last = id;
    this.events.push(event);
    for (const sink of this.sinks) sink(event);
    return id;
  }
}

/** `{"truncated": false}` as AWS attaches to every input/output it reports. */
export const NOT_TRUNCATED = { truncated: false };

const DATA_FIELDS = ['input', 'output', 'parameters'];

/** An event in the API's shape; `includeData` false drops inputs/outputs as `includeExecutionData=false` does. */
export function eventToApi(ev: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    timestamp: ev.timestamp / 1000,
    type: ev.type,
    id: ev.id,
    previousEventId: ev.previousEventId,
  };
  if (ev.detailsKey && ev.details) {
    let details = ev.details;
    if (!includeData) {
      details = Object.fromEntries(Object.entries(details).filter(([k]) => !DATA_FIELDS.includes(k)));
    }
    out[ev.detailsKey] = details;
  }
  return out;
}
