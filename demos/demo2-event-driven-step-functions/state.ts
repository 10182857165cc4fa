/**
 * demo2's state, saved with progress after every step so a later phase can resume in a new process:
 * what was created (names, ARNs), what was uploaded (keys, expected counts, S3 times) and which
 * execution each upload started.
 */
import type { TeardownRecord } from '../shared/teardownStep.js';
import type { HourWindow } from '../shared/hourWindows.js';
import type { OrderStats } from '../shared/orders.js';
import type { PipelineFunction } from './names.js';

/** The files the demo uploads, by the part of the story they play. */
export type UploadPurpose = 'first' | 'late' | 'flaky' | 'malformed' | 'blocked' | 'fixed';

export interface UploadRecord {
  key: string;
  window: HourWindow;
  /** What the file holds (for a malformed file: the records that parse). */
  stats: OrderStats;
  /** Target time (epoch ms) when the upload finished. */
  uploadedAt: number;
  /** The ETag S3 gave it: its Object Created event carries the same one. */
  etag?: string;
  /** The execution its Object Created event started, once found. */
  executionArn?: string;
}

export interface Demo2State {
  /** Seed for the sample data, fixed per deployment so a repeated step uploads the same bytes. */
  seed: string;
  bucket?: string;
  functionRoleName?: string;
  functionRoleArn?: string;
  logGroups?: Record<PipelineFunction | 'stateMachine' | 'events', string>;
  eventsLogPolicyName?: string;
  functions?: Record<PipelineFunction, { name: string; arn: string }>;
  stateMachineRoleName?: string;
  stateMachineRoleArn?: string;
  stateMachineName?: string;
  stateMachineArn?: string;
  /** ValidateStateMachineDefinition's answer for the filled-in definition. */
  definitionCheck?: {
    result: string;
    diagnostics: Array<{ severity: string; code: string; message: string }>;
  };
  eventsRoleName?: string;
  eventsRoleArn?: string;
  ruleName?: string;
  ruleArn?: string;
  alarmName?: string;
  /** The hour the uploads belong to (the last complete hour by the target's clock at the first upload). */
  window?: HourWindow;
  uploads: Partial<Record<UploadPurpose, UploadRecord>>;
  /** Every execution already attributed to an upload (a repeated upload of the same bytes finds a new one). */
  attributed: string[];
  /** The failed-at-Load execution and what recovery did to it. */
  redrive?: { executionArn: string; lastEventIdBefore: number; redrivenAt?: number };
  /** Alarm state changes seen (target time). */
  alarm?: { alarmAt?: number; okAt?: number };
  /** What teardown reported, for its check. */
  /** The teardown's report, and the executions it stopped (ARNs). */
  teardown?: TeardownRecord & { stopped: string[] };
}

export function initialDemo2State(): Demo2State {
  return { seed: 'demo2-orders-v1', uploads: {}, attributed: [] };
}

// The steps take `need` from here, next to the state it guards.
export { MissingPrerequisiteError, need } from '../shared/prerequisites.js';
