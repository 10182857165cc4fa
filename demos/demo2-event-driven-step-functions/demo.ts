/**
 * demo2 — Event rule + Step Functions: "let the data's arrival start the work". An S3 Object
 * Created event starts a state machine (validate → transform → load); Retry absorbs transient
 * faults, Catch quarantines a bad file, and a failed execution is redriven from where it stopped.
 */
import type { Demo } from '../../src/course/model.js';
import { DEMO2_DIAGRAM } from './diagram.js';
import { DEMO2_META } from './meta.js';
import { PHASE_NARRATION } from './narration.js';
import { initialDemo2State, type Demo2State } from './state.js';
import { executionSteps } from './steps/execution.js';
import { failureSteps } from './steps/failure.js';
import { recoverySteps } from './steps/recovery.js';
import { setupSteps } from './steps/setup.js';
import { teardownSteps } from './steps/teardown.js';

export type { Demo2State } from './state.js';

export const demo2: Demo<Demo2State> = {
  ...DEMO2_META,
  diagram: DEMO2_DIAGRAM,
  initialState: initialDemo2State,
  phases: [
    { id: 'setup', title: 'Setup', narration: PHASE_NARRATION.setup, steps: setupSteps },
    {
      id: 'execution',
      title: 'Execution',
      narration: PHASE_NARRATION.execution,
      steps: executionSteps,
      requires: ['setup'],
      requiresBecause: 'the upload starts the rule and state machine setup creates',
    },
    {
      id: 'failure',
      title: 'Failure: a flaky dependency, a bad file, an outage',
      narration: PHASE_NARRATION.failure,
      steps: failureSteps,
      requires: ['execution'],
      requiresBecause: "its files belong to the hour execution's first upload chose",
    },
    {
      id: 'recovery',
      title: 'Recovery: redrive and re-deliver',
      narration: PHASE_NARRATION.recovery,
      steps: recoverySteps,
      requires: ['failure'],
      requiresBecause: 'it redrives the execution failure left failed and re-sends the file it rejected',
    },
    { id: 'teardown', title: 'Teardown', narration: PHASE_NARRATION.teardown, steps: teardownSteps },
  ],
};
