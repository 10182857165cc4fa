/**
 * demo3 — Hybrid late-data reconciliation: "schedule for completeness, events for freshness". S3
 * arrivals process their partition at once; a scheduled reconciliation checks the whole window,
 * repairs missing and stale partitions idempotently, reports and pages.
 */
import type { Demo } from '../../src/course/model.js';
import { DEMO3_DIAGRAM } from './diagram.js';
import { DEMO3_META } from './meta.js';
import { PHASE_NARRATION } from './narration.js';
import { initialDemo3State, type Demo3State } from './state.js';
import { executionSteps } from './steps/execution.js';
import { failureSteps } from './steps/failure.js';
import { recoverySteps } from './steps/recovery.js';
import { setupSteps } from './steps/setup.js';
import { teardownSteps } from './steps/teardown.js';

export type { Demo3State } from './state.js';

export const demo3: Demo<Demo3State> = {
  ...DEMO3_META,
  diagram: DEMO3_DIAGRAM,
  initialState: initialDemo3State,
  phases: [
    { id: 'setup', title: 'Setup', narration: PHASE_NARRATION.setup, steps: setupSteps },
    {
      id: 'execution',
      title: 'Execution: events, then the schedule',
      narration: PHASE_NARRATION.execution,
      steps: executionSteps,
      requires: ['setup'],
      requiresBecause: 'it uploads to the bucket and runs the state machine setup creates',
    },
    {
      id: 'failure',
      title: 'Failure: late data, a resend and an outage',
      narration: PHASE_NARRATION.failure,
      steps: failureSteps,
      requires: ['execution'],
      requiresBecause: 'the late hour and the resend belong to the window execution uploaded and reported',
    },
    {
      id: 'recovery',
      title: 'Recovery: the next reconciliation',
      narration: PHASE_NARRATION.recovery,
      steps: recoverySteps,
      requires: ['failure'],
      requiresBecause: 'it repairs the hours the failure phase left missing and stale',
    },
    { id: 'teardown', title: 'Teardown', narration: PHASE_NARRATION.teardown, steps: teardownSteps },
  ],
};
