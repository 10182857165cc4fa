/**
 * demo1 — Scheduler Lambda: "a clock is not an orchestrator". An EventBridge schedule runs an hourly
 * aggregation Lambda over S3 data; a late delivery makes it wrong while every signal stays green;
 * a backfill and a fail-loudly switch recover it.
 */
import type { Demo } from '../../src/course/model.js';
import { DEMO1_DIAGRAM } from './diagram.js';
import { DEMO1_META } from './meta.js';
import { PHASE_NARRATION } from './narration.js';
import { initialDemo1State, type Demo1State } from './state.js';
import { executionSteps } from './steps/execution.js';
import { failureSteps } from './steps/failure.js';
import { recoverySteps } from './steps/recovery.js';
import { setupSteps } from './steps/setup.js';
import { teardownSteps } from './steps/teardown.js';

export type { Demo1State } from './state.js';

export const demo1: Demo<Demo1State> = {
  ...DEMO1_META,
  diagram: DEMO1_DIAGRAM,
  initialState: initialDemo1State,
  phases: [
    { id: 'setup', title: 'Setup', narration: PHASE_NARRATION.setup, steps: setupSteps },
    {
      id: 'execution',
      title: 'Execution',
      narration: PHASE_NARRATION.execution,
      steps: executionSteps,
      requires: ['setup'],
      requiresBecause: 'it runs the function and schedule setup creates',
    },
    {
      id: 'failure',
      title: 'Failure: upstream is late',
      narration: PHASE_NARRATION.failure,
      steps: failureSteps,
      requires: ['execution'],
      requiresBecause: 'the late file belongs to the hour execution uploaded and summarised',
    },
    {
      id: 'recovery',
      title: 'Recovery',
      narration: PHASE_NARRATION.recovery,
      steps: recoverySteps,
      requires: ['failure'],
      requiresBecause: 'it repairs the hour the failure phase left wrong',
    },
    { id: 'teardown', title: 'Teardown', narration: PHASE_NARRATION.teardown, steps: teardownSteps },
  ],
};
