/**
 * Signals and the conclusion drawn from them. A step that shows "what an on-call engineer would
 * look at" builds a list of signals, each judged from a value read back from the target; the table
 * and the sentence under it are both computed from that list, so the sentence can never contradict
 * the table above it.
 */
import type { Table } from './model.js';

export type SignalStatus = 'healthy' | 'failing' | 'pending' | 'info';

export interface Signal {
  name: string;
  value: string | number;
  status: SignalStatus;
  /** What the "looks" column says, when not the status itself (e.g. "not published yet"). */
  looks?: string;
}

const LOOKS: Record<SignalStatus, string> = {
  healthy: 'healthy',
  failing: 'FAILING',
  pending: 'not known yet',
  info: '',
};

export function signalsTable(title: string, signals: Signal[]): Table {
  return {
    title,
    columns: ['signal', 'value', 'looks'],
    rows: signals.map((s) => [s.name, s.value, s.looks ?? LOOKS[s.status]]),
  };
}

export interface ConclusionWording {
  /** Every judged signal is healthy. */
  allHealthy: string;
  /** At least one signal is failing (listed). */
  someFailing: (failing: Signal[]) => string;
  /** None failing, but some not known yet (listed). */
  somePending: (pending: Signal[]) => string;
}

export type Conclusion = { kind: 'healthy' | 'failing' | 'pending'; text: string };

/** The sentence the signals support, and which case it is. */
export function concludeFromSignals(signals: Signal[], wording: ConclusionWording): Conclusion {
  const failing = signals.filter((s) => s.status === 'failing');
  if (failing.length > 0) return { kind: 'failing', text: wording.someFailing(failing) };
  const pending = signals.filter((s) => s.status === 'pending');
  if (pending.length > 0) return { kind: 'pending', text: wording.somePending(pending) };
  return { kind: 'healthy', text: wording.allHealthy };
}

/** `a`, `a and b`, `a, b and c` of the signals' names. */
export function nameList(signals: Signal[]): string {
  const names = signals.map((s) => s.name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
