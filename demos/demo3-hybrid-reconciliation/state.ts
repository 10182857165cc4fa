/**
 * demo3's state, saved with progress after every step so a later phase can resume in a new process:
 * the options it was set up with, the window, what was created, what was uploaded and which
 * executions and reports each phase produced.
 */
import type { TeardownRecord } from '../shared/teardownStep.js';
import { resolveDemoOptions, type DemoOptionValues } from '../../src/course/demoOptions.js';
import { DEMO3_OPTIONS } from './meta.js';
import type { OrderStats } from '../shared/orders.js';
import type { ReportStatus } from './lambda/report.mjs';
import type { FunctionKey } from './names.js';
import type { ReconciliationWindow } from './window.js';

export interface NamedArn {
  name: string;
  arn: string;
}

/** One raw file the demo put into the bucket. */
export interface UploadedFile {
  partition: string;
  key: string;
  etag: string;
  stats: OrderStats;
}

/** What a reconciliation produced, read back from its execution's output. */
export interface ReconciliationRun {
  executionArn: string;
  /** Target time the execution started. */
  startedAt: number;
  reportKey: string;
  markdownKey: string;
  counts: Record<ReportStatus, number>;
}

export interface Demo3State {
  /** Seed for the sample data, fixed per deployment so a repeated step uploads the same bytes. */
  seed: string;
  /** Hourly partitions in the window (--hours). */
  hours: number;
  /** Records in each hour's on-time file (--records-per-hour). */
  recordsPerHour: number;
  /** The partitions the scheduled reconciliation checks, fixed at setup from the target's clock. */
  window?: ReconciliationWindow;
  bucket?: string;
  roles: Partial<Record<FunctionKey | 'machine' | 'events', NamedArn>>;
  logGroups: string[];
  functions: Partial<Record<FunctionKey, NamedArn>>;
  stateMachine?: NamedArn;
  /** ValidateStateMachineDefinition's answer for the filled-in definition. */
  definitionCheck?: {
    result: string;
    diagnostics: Array<{ severity: string; code: string; message: string }>;
  };
  arrivalRule?: NamedArn;
  scheduleRule?: NamedArn;
  alarm?: NamedArn;
  pager?: { logGroup: string; policy: string; rule: NamedArn };

  /** Execution phase: the on-time files (every hour but the withheld one). */
  onTime?: { uploadedAt: number; files: UploadedFile[] };
  /** The hour that is late (03 of the window) and the hour that gets a resend (01). */
  withheld?: string;
  resent?: string;
  /** Target time the schedule was switched on. */
  scheduleEnabledAt?: number;
  firstReconciliation?: ReconciliationRun;

  /** Failure phase. */
  alarmFired?: { at: number; reason: string };
  /** Target times the fault was switched on and (recovery) asked to be switched off. */
  outage?: { startedAt: number; endedAt?: number };
  late?: { uploadedAt: number; files: UploadedFile[]; executions: Record<string, string> };

  /** Recovery phase. */
  recoveryReconciliation?: ReconciliationRun;
  rerun?: ReconciliationRun & { etagsBefore: Record<string, string> };
  alarmCleared?: { at: number; reason: string };

  /** The teardown's report, and the executions it stopped (ARNs). */
  teardown?: TeardownRecord & { stopped: string[] };
}

/** A fresh deployment, shaped by the run's options (defaults for any not given). */
export function initialDemo3State(options: DemoOptionValues): Demo3State {
  const o = { ...resolveDemoOptions(DEMO3_OPTIONS), ...options };
  return {
    seed: 'demo3-orders-v1',
    hours: Number(o.hours),
    recordsPerHour: Number(o['records-per-hour']),
    roles: {},
    logGroups: [],
    functions: {},
  };
}

// The steps take `need` from here, next to the state it guards.
export { MissingPrerequisiteError, need } from '../shared/prerequisites.js';
