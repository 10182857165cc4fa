/**
 * The two ways the state machine is started, as EventBridge sees them: an S3 "Object Created" event
 * under raw/ (freshness) and a schedule (completeness). Both target the same state machine; an input
 * transformer turns each event into the input its branch expects.
 */
import type { RuleTargetSpec } from '../../src/cloud/resourceTypes.js';
import type { ReconciliationWindow } from './window.js';

/** Objects created in this bucket under raw/ (S3 sends these once the bucket has EventBridge notifications on). */
export function arrivalPattern(bucket: string): Record<string, unknown> {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: 'raw/' }] } },
  };
}

/** `{"mode":"event","bucket":…,"key":…,"time":…}` from the S3 event. */
export const ARRIVAL_INPUT: NonNullable<RuleTargetSpec['inputTransformer']> = {
  InputPathsMap: { bucket: '$.detail.bucket.name', key: '$.detail.object.key', time: '$.time' },
  InputTemplate: '{"mode": "event", "bucket": <bucket>, "key": <key>, "time": <time>}',
};

/** What a scheduled reconciliation is given besides the event's time. */
export interface ScheduledInput {
  window: ReconciliationWindow;
  grace: { seconds: number; rechecks: number };
}

/** `{"mode":"scheduled","time":<the schedule event's time>,"window":…,"grace":…}`. */
export function scheduleInput(input: ScheduledInput): NonNullable<RuleTargetSpec['inputTransformer']> {
  const fixed = JSON.stringify({ window: input.window, grace: input.grace });
  return {
    InputPathsMap: { time: '$.time' },
    InputTemplate: `{"mode": "scheduled", "time": <time>, ${fixed.slice(1, -1)}}`,
  };
}

/** The same input for a reconciliation started by hand (StartExecution), stamped with a target time. */
export function manualScheduledInput(input: ScheduledInput, targetTimeIso: string): string {
  return JSON.stringify({ mode: 'scheduled', time: targetTimeIso, ...input });
}
