/** This run's resource names, all derived from the resource manager so resumes get the same ones. */
import type { ResourceManager } from '../../src/cloud/resourceTypes.js';

export const PIPELINE_FUNCTIONS = ['validate', 'transform', 'load'] as const;
export type PipelineFunction = (typeof PIPELINE_FUNCTIONS)[number];

export const PARTS = {
  bucket: 'data',
  functionRole: 'pipeline-functions-role',
  stateMachineRole: 'pipeline-states-role',
  eventsRole: 'on-arrival-events-role',
  stateMachine: 'pipeline',
  rule: 'on-arrival',
  eventsLogPolicy: 'events-to-arrivals-log',
  alarm: 'pipeline-executions-failed',
} as const;

export const RUNTIME = 'nodejs22.x';
export const LOG_RETENTION_DAYS = 1;
export const LAMBDA_SOURCE_DIR = ['demos', 'demo2-event-driven-step-functions', 'lambda'] as const;
/** Each function's zip: its handler plus the two modules every handler imports. */
export const LAMBDA_FILES: Record<PipelineFunction, string[]> = {
  validate: ['validate.mjs', 'orderFiles.mjs', 'objectStore.mjs'],
  transform: ['transform.mjs', 'orderFiles.mjs', 'objectStore.mjs'],
  load: ['load.mjs', 'orderFiles.mjs', 'objectStore.mjs'],
};
export const HANDLERS: Record<PipelineFunction, string> = {
  validate: 'validate.handler',
  transform: 'transform.handler',
  load: 'load.handler',
};
export const DEFINITION_FILE = ['demos', 'demo2-event-driven-step-functions', 'pipeline.asl.json'] as const;

/** Where upstream drops files; the rule matches Object Created events under this prefix only. */
export const INCOMING_PREFIX = 'incoming/';
export const QUARANTINE_PREFIX = 'quarantine/';

export interface Demo2Names {
  bucket: string;
  functionRole: string;
  stateMachineRole: string;
  eventsRole: string;
  functions: Record<PipelineFunction, string>;
  functionLogGroups: Record<PipelineFunction, string>;
  stateMachine: string;
  stateMachineLogGroup: string;
  rule: string;
  /** Where the rule also sends every event it matches (a copy to read back). */
  eventsLogGroup: string;
  eventsLogPolicy: string;
  alarm: string;
}

export const functionLogGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;
/** AWS's recommended prefix for vended logs: it keeps the account's log resource policy small. */
export const stateMachineLogGroupName = (stateMachine: string): string =>
  `/aws/vendedlogs/states/${stateMachine}`;

/** `/aws/events/` is where EventBridge keeps event logs (the console lists only those groups). */
export const eventsLogGroupName = (rule: string): string => `/aws/events/${rule}`;

export function demo2Names(resources: ResourceManager): Demo2Names {
  const functions = {
    validate: resources.nameFor('lambda-function', 'validate'),
    transform: resources.nameFor('lambda-function', 'transform'),
    load: resources.nameFor('lambda-function', 'load'),
  };
  const stateMachine = resources.nameFor('state-machine', PARTS.stateMachine);
  const rule = resources.nameFor('events-rule', PARTS.rule);
  return {
    bucket: resources.nameFor('s3-bucket', PARTS.bucket),
    functionRole: resources.nameFor('iam-role', PARTS.functionRole),
    stateMachineRole: resources.nameFor('iam-role', PARTS.stateMachineRole),
    eventsRole: resources.nameFor('iam-role', PARTS.eventsRole),
    functions,
    functionLogGroups: {
      validate: functionLogGroupName(functions.validate),
      transform: functionLogGroupName(functions.transform),
      load: functionLogGroupName(functions.load),
    },
    stateMachine,
    stateMachineLogGroup: stateMachineLogGroupName(stateMachine),
    rule,
    eventsLogGroup: eventsLogGroupName(rule),
    eventsLogPolicy: resources.nameFor('log-resource-policy', PARTS.eventsLogPolicy),
    alarm: resources.nameFor('alarm', PARTS.alarm),
  };
}
