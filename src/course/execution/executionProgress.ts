/**
 * Where an execution stands, read from its history (GetExecutionHistory's events, oldest first):
 * each top-level state's status, how many attempts its task took, the last error, whether a
 * redrive re-ran it — and, event by event, the transitions a plain log shows. Events name their
 * state only on entry and exit, so every other event is tied to its state through
 * `previousEventId`, as Step Functions chains them.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { errorMatches, type StateGraph } from './executionGraph.js';

export type StateStatus = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'caught';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateError {
  error: string;
  cause?: string;
}

export interface StateProgress {
  status: StateStatus;
  /** Task attempts in the latest entry (1 = the first try). */
  attempts: number;
  /** Times the state was entered over the whole execution, redrives included. */
  entries: number;
  /** The redrive during which it was last entered (0 = the original run). */
  lastRun: number;
  lastError?: StateError;
  /** Where a Catch sent it. */
  caughtTo?: string;
}

export interface Transition {
  /** The history event it comes from. */
  eventId: number;
  /** Target time of the event, epoch ms. */
  at: number;
  /** The state it concerns; undefined for the execution itself. */
  state?: string;
  text: string;
}

export interface ExecutionProgress {
  status: ExecutionStatus;
  states: Map<string, StateProgress>;
  /** How many times the execution was redriven. */
  redriveCount: number;
  startedAt?: number;
  /** Time of the newest event. */
  lastEventAt?: number;
  /** Why it failed (ExecutionFailed, …). */
  error?: StateError;
  transitions: Transition[];
}

type Event = HistoryEvent;

const FAILED_DETAILS = [
  'taskFailedEventDetails',
  'taskTimedOutEventDetails',
  'taskStartFailedEventDetails',
  'taskSubmitFailedEventDetails',
  'lambdaFunctionFailedEventDetails',
  'lambdaFunctionTimedOutEventDetails',
  'lambdaFunctionStartFailedEventDetails',
  'lambdaFunctionScheduleFailedEventDetails',
  'activityFailedEventDetails',
  'activityTimedOutEventDetails',
] as const;

const ATTEMPT_STARTS = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const ATTEMPT_SUCCEEDED = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);
const EXECUTION_END: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};
const END_DETAILS: Record<
  string,
  'executionFailedEventDetails' | 'executionTimedOutEventDetails' | 'executionAbortedEventDetails'
> = {
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
};

function failureOf(ev: Event): StateError | undefined {
  for (const key of FAILED_DETAILS) {
    const d = ev[key] as { error?: string; cause?: string } | undefined;
    if (d) return { error: d.error ?? 'Error', cause: d.cause };
  }
  return undefined;
}

/** A short cause for one line: the handler's errorMessage when the cause is Lambda's JSON. */
export function shortCause(cause: string | undefined, max = 80): string | undefined {
  if (!cause) return undefined;
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // not JSON: the cause as it is
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// The whole cause, never cut: the output wraps it (AWS puts the error code, e.g. a refused
// invoke's AccessDeniedException, at the end of a long cause).
const describeError = (e: StateError): string => {
  const cause = shortCause(e.cause, Number.POSITIVE_INFINITY);
  return cause ? `${e.error}: ${cause}` : e.error;
};

/** Whether the state's Retry would try again after `attempts` attempts failed with `error`. */
function retryExpected(graph: StateGraph, state: string, error: string, failures: string[]): boolean {
  const node = graph.nodes.get(state);
  if (!node || error === 'States.Runtime') return false;
  const i = node.retries.findIndex((r) => errorMatches(r.errors, error, node.type));
  if (i < 0) return false;
  // Each retrier counts the failures it matched (the first matching retrier takes each one).
  const used = failures.filter(
    (e) => node.retries.findIndex((r) => errorMatches(r.errors, e, node.type)) === i,
  ).length;
  return used <= node.retries[i]!.maxAttempts;
}

/** The execution's progress after `events` (oldest first), for the states of `graph`. */
export function executionProgress(graph: StateGraph, events: readonly Event[]): ExecutionProgress {
  const states = new Map<string, StateProgress>();
  for (const name of graph.nodes.keys()) {
    states.set(name, { status: 'pending', attempts: 0, entries: 0, lastRun: 0 });
  }
  const p: ExecutionProgress = { status: 'RUNNING', states, redriveCount: 0, transitions: [] };
  const stateOfEvent = new Map<number, string>();
  const failuresInEntry = new Map<string, string[]>();
  let eventId = 0;
  const say = (at: number, text: string, state?: string): void => {
    p.transitions.push({ eventId, at, state, text });
  };

  for (const ev of events) {
    eventId = ev.id ?? eventId;
    const at = ev.timestamp ? ev.timestamp.getTime() : (p.lastEventAt ?? 0);
    p.lastEventAt = at;
    const type = ev.type ?? '';
    const inherited = ev.previousEventId !== undefined ? stateOfEvent.get(ev.previousEventId) : undefined;
    const enteredName = type.endsWith('StateEntered') ? ev.stateEnteredEventDetails?.name : undefined;
    const exitedName = type.endsWith('StateExited') ? ev.stateExitedEventDetails?.name : undefined;
    const name = enteredName ?? exitedName ?? inherited;
    if (ev.id !== undefined && name !== undefined && !exitedName) stateOfEvent.set(ev.id, name);
    const st = name !== undefined ? states.get(name) : undefined;

    if (type === 'ExecutionStarted') {
      p.startedAt = at;
      say(at, 'execution started');
    } else if (type === 'ExecutionRedriven') {
      p.redriveCount = ev.executionRedrivenEventDetails?.redriveCount ?? p.redriveCount + 1;
      p.status = 'RUNNING';
      p.error = undefined;
      say(at, `execution redriven (redrive ${p.redriveCount}): it resumes at the state that failed`);
    } else if (EXECUTION_END[type]) {
      p.status = EXECUTION_END[type]!;
      const details = END_DETAILS[type] ? ev[END_DETAILS[type]!] : undefined;
      if (details) p.error = { error: details.error ?? p.status, cause: details.cause };
      say(at, `execution ${p.status}${p.error ? ` — ${describeError(p.error)}` : ''}`);
      // A Fail state has no exit event: the execution's end is its outcome.
      for (const [, s] of states) if (s.status === 'running') s.status = 'failed';
    }
    if (!st || name === undefined) continue;

    if (enteredName) {
      // Entered again in the same run is a loop (a Choice going back); in a later run, a redrive.
      const again =
        st.lastRun < p.redriveCount ? ` by redrive ${p.redriveCount}` : `, pass ${st.entries + 1}`;
      st.entries++;
      st.lastRun = p.redriveCount;
      st.attempts = 0;
      st.lastError = undefined;
      st.caughtTo = undefined;
      failuresInEntry.set(name, []);
      const node = graph.nodes.get(name);
      if (node?.type === 'Fail') {
        st.status = 'failed';
        say(at, 'entered: the execution fails here', name);
      } else {
        st.status = 'running';
        say(at, st.entries > 1 ? `running (entered again${again})` : 'running', name);
      }
    } else if (ATTEMPT_STARTS.has(type)) {
      st.attempts++;
      st.status = 'running';
      if (st.attempts > 1) say(at, `attempt ${st.attempts} started (Retry)`, name);
    } else if (ATTEMPT_SUCCEEDED.has(type)) {
      st.lastError = undefined;
    } else if (failureOf(ev)) {
      const failure = failureOf(ev)!;
      const failures = failuresInEntry.get(name) ?? [];
      failures.push(failure.error);
      failuresInEntry.set(name, failures);
      st.lastError = failure;
      st.status = retryExpected(graph, name, failure.error, failures) ? 'retrying' : 'failed';
      say(
        at,
        `attempt ${Math.max(st.attempts, 1)} failed — ${describeError(failure)}${st.status === 'retrying' ? '; Retry will try again' : ''}`,
        name,
      );
    } else if (exitedName) {
      if (st.lastError) {
        const node = graph.nodes.get(name);
        const c = node?.catches.find((x) => errorMatches(x.errors, st.lastError!.error, node.type));
        st.status = 'caught';
        st.caughtTo = c?.next;
        say(at, `caught ${st.lastError.error}${c ? ` → ${c.next}` : ''}`, name);
      } else {
        st.status = 'succeeded';
        say(at, st.attempts > 1 ? `succeeded on attempt ${st.attempts}` : 'succeeded', name);
      }
    }
  }
  return p;
}
