/**
 * Which fields each state type accepts, from the Amazon States Language and AWS's Step Functions
 * guide (including JSONata's `Arguments`/`Output` and variables' `Assign`, which AWS accepts even
 * though the sandbox does not run them). AWS refuses any other field with
 * `SCHEMA_VALIDATION_FAILED: Field '<name>' is not supported` located at the state.
 */
export const STATE_TYPES = ['Task', 'Parallel', 'Map', 'Pass', 'Wait', 'Choice', 'Succeed', 'Fail'] as const;
export type StateType = (typeof STATE_TYPES)[number];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath'];
const FLOW = ['Next', 'End'];
const RESULT = ['ResultPath', 'Parameters', 'ResultSelector'];
const ERRORS = ['Retry', 'Catch'];
const JSONATA = ['Arguments', 'Output', 'Assign'];

export const STATE_FIELDS: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...IO, ...FLOW, 'ResultPath', 'Parameters', 'Result', 'Output', 'Assign']),
  Task: new Set([
    ...COMMON,
    ...IO,
    ...FLOW,
    ...RESULT,
    ...ERRORS,
    ...JSONATA,
    'Resource',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
  ]),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default', 'Output', 'Assign']),
  Wait: new Set([
    ...COMMON,
    ...IO,
    ...FLOW,
    'Seconds',
    'Timestamp',
    'SecondsPath',
    'TimestampPath',
    'Output',
    'Assign',
  ]),
  Succeed: new Set([...COMMON, ...IO, 'Output']),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...COMMON, ...IO, ...FLOW, ...RESULT, ...ERRORS, ...JSONATA, 'Branches']),
  Map: new Set([
    ...COMMON,
    ...IO,
    ...FLOW,
    ...RESULT,
    ...ERRORS,
    ...JSONATA,
    'ItemsPath',
    'Items',
    'ItemSelector',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
    'ItemProcessor',
    'Iterator',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'Label',
  ]),
};

/** Fields of the top-level definition, of a Parallel branch, and of a Map's ItemProcessor. */
export const MACHINE_FIELDS = new Set([
  'Comment',
  'StartAt',
  'States',
  'TimeoutSeconds',
  'Version',
  'QueryLanguage',
]);
export const BRANCH_FIELDS = new Set(['Comment', 'StartAt', 'States', 'QueryLanguage']);
export const PROCESSOR_FIELDS = new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']);

/** States that go on to another state (Next) or end the workflow (End): exactly one of the two. */
export const FLOWING: ReadonlySet<string> = new Set(['Task', 'Parallel', 'Map', 'Pass', 'Wait']);

/** Fields that hold a JSONPath (reference or result path), checked for form. */
export const PATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ItemsPath',
  'SecondsPath',
  'TimestampPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
];

/** Fail's ErrorPath/CausePath take a path or an intrinsic function. */
export const PATH_OR_INTRINSIC_FIELDS = ['ErrorPath', 'CausePath'];

/** Payload templates, whose `<key>.$` members hold paths or intrinsic functions. */
export const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector'];
