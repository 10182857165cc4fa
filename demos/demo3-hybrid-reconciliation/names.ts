/** demo3's resource names and fixed settings, derived from the resource manager so resumes get the same ones. */
import type { ResourceManager } from '../../src/cloud/resourceTypes.js';

export const PARTS = {
  bucket: 'data',
  processRole: 'process-partition-role',
  checkRole: 'check-completeness-role',
  reportRole: 'write-report-role',
  machineRole: 'reconcile-machine-role',
  eventsRole: 'start-reconcile-role',
  processFunction: 'process-partition',
  checkFunction: 'check-completeness',
  reportFunction: 'write-report',
  stateMachine: 'reconcile-orders',
  arrivalRule: 'raw-arrivals',
  scheduleRule: 'reconcile-schedule',
  pagerRule: 'page-on-missing',
  pager: 'pager',
  alarm: 'partitions-missing',
  pagerPolicy: 'events-to-pager',
} as const;

/** The reconciliation runs every 5 minutes (every 10 s of real time on the sandbox's default ×30). */
export const SCHEDULE_EXPRESSION = 'rate(5 minutes)';
export const SCHEDULE_PERIOD_MS = 5 * 60_000;
/** Missing partitions are looked at again after 60 s, at most twice, before they are reported MISSING. */
export const GRACE = { seconds: 60, rechecks: 2 } as const;
export const LOG_RETENTION_DAYS = 1;
export const RUNTIME = 'nodejs22.x';
export const LAMBDA_SOURCE_DIR = ['demos', 'demo3-hybrid-reconciliation', 'lambda'] as const;
export const DEFINITION_FILE = ['demos', 'demo3-hybrid-reconciliation', 'reconcile-orders.asl.json'] as const;
/** Custom metrics of the reconciliation (a namespace of our own: AWS/ is reserved for AWS). */
export const METRIC_NAMESPACE = 'CourseCli/OrdersReconciliation';

/** The modules every handler shares, and each function's own entry module. */
const SHARED_MODULES = ['partitions.mjs', 's3Objects.mjs', 'summaries.mjs'];
export const FUNCTIONS = {
  process: {
    part: PARTS.processFunction,
    files: [...SHARED_MODULES, 'processPartition.mjs'],
    handler: 'processPartition.handler',
  },
  check: {
    part: PARTS.checkFunction,
    files: [...SHARED_MODULES, 'windowScan.mjs', 'checkCompleteness.mjs'],
    handler: 'checkCompleteness.handler',
  },
  report: {
    part: PARTS.reportFunction,
    files: [...SHARED_MODULES, 'windowScan.mjs', 'report.mjs', 'writeReport.mjs'],
    handler: 'writeReport.handler',
  },
} as const;
export type FunctionKey = keyof typeof FUNCTIONS;

export const lambdaLogGroup = (functionName: string): string => `/aws/lambda/${functionName}`;
export const machineLogGroup = (machineName: string): string => `/aws/vendedlogs/states/${machineName}`;

export interface Demo3Names {
  bucket: string;
  functions: Record<FunctionKey, string>;
  roles: Record<FunctionKey | 'machine' | 'events', string>;
  stateMachine: string;
  arrivalRule: string;
  scheduleRule: string;
  pagerRule: string;
  /** EventBridge delivers to log groups whose names start with /aws/events/ (what the console offers). */
  pagerLogGroup: string;
  pagerPolicy: string;
  alarm: string;
}

export function demo3Names(resources: ResourceManager): Demo3Names {
  const fn = (part: string) => resources.nameFor('lambda-function', part);
  const role = (part: string) => resources.nameFor('iam-role', part);
  // Rules share the run's prefix; so does everything named after one.
  const prefixed = (part: string) => resources.nameFor('events-rule', part);
  return {
    bucket: resources.nameFor('s3-bucket', PARTS.bucket),
    functions: {
      process: fn(PARTS.processFunction),
      check: fn(PARTS.checkFunction),
      report: fn(PARTS.reportFunction),
    },
    roles: {
      process: role(PARTS.processRole),
      check: role(PARTS.checkRole),
      report: role(PARTS.reportRole),
      machine: role(PARTS.machineRole),
      events: role(PARTS.eventsRole),
    },
    stateMachine: resources.nameFor('state-machine', PARTS.stateMachine),
    arrivalRule: prefixed(PARTS.arrivalRule),
    scheduleRule: prefixed(PARTS.scheduleRule),
    pagerRule: prefixed(PARTS.pagerRule),
    pagerLogGroup: `/aws/events/${prefixed(PARTS.pager)}`,
    pagerPolicy: prefixed(PARTS.pagerPolicy),
    alarm: prefixed(PARTS.alarm),
  };
}
