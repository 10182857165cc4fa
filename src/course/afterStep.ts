/**
 * What the runner offers after a step, and "show details". The menu reflects the real state:
 * "keep resources" and "tear down now" only while the ledger names something, "Finish" on the last
 * step, no "Continue" after a step that failed.
 */
import type { CallLog, RecordedCall } from '../cloud/types.js';
import { callDetails, commandLines } from './callSummary.js';
import type { CourseIO } from './io/types.js';

export type AfterStep = 'continue' | 'repeat' | 'details' | 'quit' | 'teardown';

export interface AfterStepState {
  /** The step's action failed (its checks did not run). */
  stepFailed: boolean;
  checksFailed: number;
  /** The last step of the run. */
  last: boolean;
  /** The ledger names resources on the target. */
  deployed: boolean;
}

export async function askAfterStep(io: CourseIO, s: AfterStepState): Promise<AfterStep> {
  const message = s.stepFailed
    ? 'The step failed. What now?'
    : s.checksFailed > 0
      ? `${s.checksFailed} check${s.checksFailed === 1 ? '' : 's'} failed. What next?`
      : 'What next?';
  return io.select<AfterStep>({
    message,
    choices: [
      ...(s.stepFailed ? [] : [{ value: 'continue' as const, label: s.last ? 'Finish' : 'Continue' }]),
      { value: 'repeat', label: 'Repeat this step' },
      { value: 'details', label: 'Show details (calls made, AWS CLI equivalents)' },
      {
        value: 'quit',
        label: s.deployed ? 'Quit, keeping resources (resume later)' : 'Quit (nothing is deployed now)',
      },
      ...(s.deployed ? [{ value: 'teardown' as const, label: 'Tear down now' }] : []),
    ],
    defaultValue: s.stepFailed ? 'repeat' : 'continue',
    quietWhenDefault: true,
  });
}

/** Every call of the step with its outcome and the AWS CLI command to paste, after what they need. */
export function showDetails(io: CourseIO, calls: RecordedCall[], log: CallLog, note: string[] = []): void {
  if (calls.length === 0) {
    io.say('This step made no AWS calls.');
    return;
  }
  for (const l of note) io.note(l);
  for (const d of callDetails(calls, log)) {
    io.say(`${io.style.bold(d.name)} ${io.style.dim(d.outcome)}`);
    for (const l of commandLines(d.cli, io.width)) io.print(l);
  }
}
