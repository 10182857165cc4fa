/**
 * The line that ends a run: how many checks passed and failed, and which steps failed outright, over
 * the steps the run covered (each step's latest attempt). A run is "ok" — exit 0 — only when no
 * check and no step failed, however it ended.
 */
import type { Step } from './model.js';
import type { StepRecord } from './progress.js';

export interface RunSummary {
  passed: number;
  failed: number;
  /** Labels of steps whose action failed, e.g. `3.2`. */
  failedSteps: string[];
  ok: boolean;
  line: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summarizeRun(
  steps: Array<Step<unknown>>,
  records: Record<string, StepRecord>,
  labels: Map<string, string>,
): RunSummary {
  let passed = 0;
  let failed = 0;
  const failedSteps: string[] = [];
  for (const s of steps) {
    const r = records[s.id];
    if (!r) continue;
    passed += r.passed;
    failed += r.failed;
    if (r.error !== undefined) failedSteps.push(labels.get(s.id) ?? s.id);
  }
  let line = `${plural(passed, 'check')} passed, ${failed} failed`;
  if (failedSteps.length > 0) {
    line += `; ${plural(failedSteps.length, 'step')} failed (${failedSteps.map((l) => `step ${l}`).join(', ')})`;
  }
  return { passed, failed, failedSteps, ok: failed === 0 && failedSteps.length === 0, line };
}
