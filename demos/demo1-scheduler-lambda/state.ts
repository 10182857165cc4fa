/**
 * demo1's state, saved with progress after every step so a later phase can resume in a new process:
 * what was created (names, ARNs) and what was uploaded where (windows, counts).
 */
import type { TeardownRecord } from '../shared/teardownStep.js';
import type { HourWindow } from '../shared/hourWindows.js';
import type { OrderStats } from '../shared/orders.js';

export interface UploadedFile {
  key: string;
  stats: OrderStats;
  /** Target time (epoch ms) when the upload finished. */
  uploadedAt: number;
}

export interface Demo1State {
  /** Seed for the sample data, fixed per deployment so a repeated step uploads the same bytes. */
  seed: string;
  bucket?: string;
  roleName?: string;
  roleArn?: string;
  logGroupName?: string;
  functionName?: string;
  functionArn?: string;
  ruleName?: string;
  ruleArn?: string;
  /** Target time the schedule was (last) created, to estimate when it fires next. */
  ruleCreatedAt?: number;
  /** The hour the execution phase fills and the schedule processes. */
  window?: HourWindow;
  /** The on-time file of `window` (execution phase). */
  onTime?: UploadedFile;
  /** The late second delivery of `window` (failure phase). */
  late?: UploadedFile;
  /**
   * The failure phase's metrics window (target ms, minute-aligned) and what the logs showed in it:
   * scheduled runs counted, when the latest one started, and what the signals added up to.
   */
  signals?: {
    from: number;
    to: number;
    runs: number;
    lastRunAt: number;
    verdict?: 'healthy' | 'failing' | 'pending';
  };
  /** What compare-counts read back for the late hour: curated and raw record counts. */
  comparison?: { curated: number | null; raw: number };
  /** Target time REQUIRE_INPUT=true was set (recovery): Errors are counted from here. */
  requireInputAt?: number;
  /** The alarm on the function's Errors and what feeds it and reads it (recovery phase). */
  alarmName?: string;
  alarmArn?: string;
  /** Target time the alarm was (last) put: its history is read from here. */
  alarmCreatedAt?: number;
  errorLinesFilter?: string;
  alarmRuleName?: string;
  alarmEventsGroup?: string;
  alarmEventsPolicy?: string;
  /** The alarm's move to ALARM after REQUIRE_INPUT=true, as its history and the delivered event showed it. */
  alarmFired?: { at: number; eventLoggedAt?: number };
  /** The hour with no data used to show the loud failure (recovery phase). */
  emptyWindow?: HourWindow;
  /** Windows the recovery phase reprocessed by explicit invocation. */
  backfilled?: HourWindow[];
  /** What the invocation for the empty hour returned, once REQUIRE_INPUT was on. */
  loudFailure?: {
    functionError?: string;
    errorType?: string;
    /** The learner's own invocation, to show its log lines first. */
    requestId?: string;
    at: number;
    /** Target time just before the invocation, and the end of the metrics window read after it. */
    invokedAt?: number;
    metricsTo?: number;
  };
  /** Hours whose "0 orders" summaries (written before REQUIRE_INPUT) the recovery deleted. */
  quietZeros?: HourWindow[];
  /** What teardown reported, for its check. */
  teardown?: TeardownRecord;
}

export function initialDemo1State(): Demo1State {
  return { seed: 'demo1-orders-v1' };
}

// The steps take `need` from here, next to the state it guards.
export { MissingPrerequisiteError, need } from '../shared/prerequisites.js';
