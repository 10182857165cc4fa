/**
 * What demo2 says to the learner: for each phase and step, WHY (the problem), WHAT (the AWS pieces)
 * and HOW (the SDK v3 calls; the runner adds the calls it recorded and their AWS CLI equivalents).
 */
import type { Narration, PhaseId } from '../../src/course/model.js';

export const PHASE_NARRATION: Record<PhaseId, Narration> = {
  setup: {
    why:
      "demo1 ended with a schedule that could not know when an hour was complete. Here the data's " +
      'arrival starts the work, and a workflow engine — not the clock, not the function — owns the ' +
      'order of the steps, their retries, what happens to bad input, and recovery.',
    what:
      'A bucket that sends its events to EventBridge; three Lambda functions (validate, transform, ' +
      'load); a Step Functions STANDARD state machine that runs them in order, with Retry, Catch and ' +
      'logging; an EventBridge rule that starts it when a file lands under incoming/ and keeps a ' +
      'copy of each event in a log group; three IAM roles, each allowed only its own part; and a ' +
      'CloudWatch alarm on failed executions.',
    how:
      'Every resource is created idempotently through the SDK and recorded in a write-ahead ledger ' +
      'before the create call, so teardown can always find it. The state machine definition is the ' +
      "readable pipeline.asl.json in the demo folder, with this run's ARNs filled in.",
  },
  execution: {
    why: 'See the happy path first, and see that nobody — no clock, no person — starts the work.',
    what:
      'An orders file dropped into incoming/, the S3 "Object Created" event, the rule that matches ' +
      "it, the execution it starts, each state as it runs, the execution's log events and the " +
      'curated summary it writes.',
    how:
      'S3 PutObject for the file; Step Functions ListExecutions/DescribeExecution to find the ' +
      'execution the event started; DescribeExecution + GetExecutionHistory polled to draw it live; ' +
      'CloudWatch Logs FilterLogEvents for its log events; S3 GetObject for the summary.',
  },
  failure: {
    why:
      'Pipelines fail in three different ways, and each needs a different answer: a dependency ' +
      'that hiccups (try again), data that is wrong (set it aside and say why), and a destination ' +
      'that is down for longer than any retry (stop, and make it easy to resume).',
    what:
      'Faults injected through configuration — the transform function fails its first attempts; a ' +
      'malformed file; the load function refuses to write — and what the workflow does with each: ' +
      'Retry, Catch → Quarantine → Fail, and a failed execution. The alarm sees the failures.',
    how:
      'Lambda UpdateFunctionConfiguration to switch a fault on (and the function-updated waiter); S3 ' +
      'PutObject for each file; the execution followed live; GetExecutionHistory for the attempts; ' +
      'CloudWatch DescribeAlarms for the alarm.',
  },
  recovery: {
    why:
      'After the outage, the work that failed must be finished without redoing what already ' +
      'succeeded, and the rejected file must be fixed at the source and sent again.',
    what:
      'Step Functions redrive: a failed STANDARD execution resumes at the state that failed, with ' +
      'the same input and the results of the states before it; the corrected file re-uploaded to ' +
      'incoming/ starts a fresh execution by itself.',
    how:
      'UpdateFunctionConfiguration to remove the fault; RedriveExecution, then GetExecutionHistory ' +
      'to show where it resumed; S3 PutObject for the fixed file; S3 List/Get to compare every ' +
      'curated hour with its raw files; DescribeAlarms for the alarm going back to OK.',
  },
  teardown: {
    why: 'Leave nothing running, nothing listening for files, nothing billing.',
    what:
      'Everything the ledger names: the rule (so no file starts an execution), executions still ' +
      "running, the state machine, the alarm, the event log's resource policy, the functions, the log " +
      'groups, the roles and the bucket.',
    how:
      'StopExecution for running executions, then delete in reverse dependency order (DeleteAlarms, ' +
      'RemoveTargets + DeleteRule, DeleteStateMachine, DeleteFunction, DeleteResourcePolicy, ' +
      'DeleteLogGroup, DeleteRolePolicy + DeleteRole, empty + DeleteBucket), then List calls to prove it.',
  },
};

export const STEP_NARRATION: Record<string, Narration> = {
  'create-bucket': {
    why: 'The bucket is where upstream drops files; its events are what will start the work.',
    what:
      'An S3 bucket with "Send notifications to Amazon EventBridge" turned on: every object created ' +
      "or deleted becomes an event on the account's default event bus.",
    how: 'CreateBucket, PutBucketTagging, PutBucketNotificationConfiguration with an EventBridgeConfiguration.',
  },
  'create-function-role': {
    why:
      'A function can do whatever its role allows. A role that may only touch the prefixes its ' +
      'step needs turns a bug into an AccessDenied instead of a corrupted dataset.',
    what:
      'One IAM role for the three functions: read incoming/, move rejected files to quarantine/, ' +
      'write and read raw/, write curated/, and write to their own three log groups — nothing else.',
    how: "CreateRole (trust: lambda.amazonaws.com, with the run's tags), PutRolePolicy.",
  },
  'create-log-groups': {
    why:
      'Logs are how you debug a pipeline at 3 a.m. Creating the log groups ourselves gives them a ' +
      'retention (so they do not keep costing) and lets teardown remove them.',
    what:
      'A log group per function (/aws/lambda/<function>), one for the state machine under ' +
      '/aws/vendedlogs/states/ (the prefix AWS recommends for state machine logs) and one for the ' +
      'events the rule matches under /aws/events/.',
    how: 'CreateLogGroup with tags, then PutRetentionPolicy (1 day), for the five groups at once (none needs another).',
  },
  'deploy-functions': {
    why: 'Each step of the pipeline is a small function that does one thing and can fail on its own.',
    what:
      'validate (checks every record; also moves a rejected file to quarantine/), transform (writes ' +
      'the records into raw/orders/dt=…/hour=…/ by their own timestamps) and load (recounts each ' +
      'touched hour and writes its curated summary). Node.js 22, nothing but the AWS SDK the runtime provides.',
    how: "A zip per function built in memory from the demo's lambda/ folder; CreateFunction, then the function-active waiter — the three functions at once, since none needs another.",
  },
  'create-state-machine-role': {
    why:
      'The state machine calls the functions, so it needs a role too — and logging to CloudWatch Logs ' +
      'needs log-delivery permissions on that role: without them AWS refuses to create the state ' +
      'machine ("not authorized to access the Log Destination").',
    what:
      'A role Step Functions assumes: lambda:InvokeFunction on these three functions only, and the ' +
      'log-delivery actions AWS lists for logging, which AWS requires on "*" because they have no ' +
      'resource-level permissions.',
    how: "CreateRole (trust: states.amazonaws.com, with the run's tags), PutRolePolicy.",
  },
  'create-state-machine': {
    why:
      'The workflow is data you can read and review: which step follows which, what is retried, ' +
      'what is caught and where it goes.',
    what:
      "A STANDARD state machine: Validate → Transform → Load. Retry on Lambda's own transient errors " +
      "(AWS's recommendation) and on the application's TransientError with backoff; Catch ValidationError " +
      '→ Quarantine → Rejected (a Fail state). Logging level ALL, with execution data, to its log group.',
    how:
      "pipeline.asl.json with this run's function ARNs filled in; ValidateStateMachineDefinition " +
      'first, then CreateStateMachine with a loggingConfiguration.',
  },
  'create-events-role': {
    why: 'EventBridge starts the execution, so it needs permission — to start this state machine and nothing else.',
    what: "A role EventBridge assumes with states:StartExecution on this state machine's ARN only.",
    how: "CreateRole (trust: events.amazonaws.com, with the run's tags), PutRolePolicy.",
  },
  'allow-event-log': {
    why:
      'To trace an effect back to its cause you need the cause: the event itself. A copy of every ' +
      'event the rule matches, in a log group, is the simplest audit trail an event-driven pipeline can have.',
    what:
      'A CloudWatch Logs resource policy (not an IAM policy: EventBridge writes to a log-group target ' +
      "only where one lets it) allowing events.amazonaws.com and delivery.logs.amazonaws.com, as AWS's " +
      "example does, to create streams and put events in this run's /aws/events/<rule> group only. " +
      'Resource policies are account-wide, at most 10 per region, and carry no tags; teardown removes this one.',
    how: 'PutResourcePolicy, then DescribeResourcePolicies to read it back.',
  },
  'create-rule': {
    why: 'The rule is the trigger: it decides which events start the work, and what the work is told.',
    what:
      'An EventBridge rule on the default bus matching source aws.s3, detail-type "Object Created", ' +
      'this bucket, keys starting with incoming/. Two targets: the state machine, with an input ' +
      "transformer that hands it just the bucket, key, size, ETag and the event's id and time; and the " +
      'event log group, which gets the whole event.',
    how:
      'PutRule with the event pattern, then PutTargets (RoleArn, InputTransformer, RetryPolicy; the log ' +
      'group as it is).',
  },
  'create-alarm': {
    why:
      'A failed execution should page someone, not wait to be noticed. The alarm watches the ' +
      'metric Step Functions publishes for every failed execution.',
    what:
      'A CloudWatch alarm on AWS/States ExecutionsFailed for this state machine: ALARM when the sum ' +
      'over a minute is 1 or more in any of the last 5 minutes. The metric has no datapoint in a ' +
      'minute without failures, so metric math FILL(failed, 0) makes each quiet minute a 0 and the ' +
      'alarm clears 5 minutes after failures stop. Why 5 and not 1: CloudWatch receives the metric ' +
      '1–3 minutes after the failure, and by then the last minute is a quiet one — an alarm on it ' +
      'alone would never see the failure.',
    how: 'PutMetricAlarm with two queries (the metric and the FILL expression) and tags, then DescribeAlarms.',
  },
  'drop-and-watch': {
    why:
      'An upstream system delivers an hour of orders. That delivery should be all it takes to get them ' +
      'processed — and the workflow engine should show which step is running, which failed and why.',
    what:
      'One JSON Lines file of seeded orders written to incoming/orders/. Its Object Created event ' +
      "starts an execution; each state's status is drawn as the execution moves through the graph.",
    how:
      'S3 PutObject — nothing else: no invoke, no StartExecution. Then ListExecutions/DescribeExecution ' +
      'to find the execution the event started, and DescribeExecution + GetExecutionHistory polled ' +
      'until it stops.',
  },
  'trace-the-event': {
    why: 'Event-driven systems are only trustworthy when you can trace cause to effect.',
    what:
      'S3\'s "Object Created" event as the rule\'s log target stored it, the rule whose pattern matched ' +
      'it, and the execution it started — with the input the transformer picked from the event.',
    how:
      'CloudWatch Logs FilterLogEvents on the event log group; DescribeRule and ListTargetsByRule; ' +
      'DescribeExecution for the input (the execution was found by its key and ETag).',
  },
  'inspect-output': {
    why: 'Success means the data is right, not just that the execution is green.',
    what:
      "The execution's events as the state machine logged them (level ALL), the curated summary " +
      'of the hour, and how long it took from the upload to the summary.',
    how: "CloudWatch Logs FilterLogEvents on the state machine's log group; S3 GetObject for the summary.",
  },
  'late-file': {
    why:
      'In demo1 the rest of an hour arrived after the schedule had summarised it, and nothing ever ' +
      'counted it. The same thing happens here.',
    what:
      "demo1's late delivery (30 more orders for the same hour) lands in incoming/. Its arrival " +
      'starts an execution; Load recounts every raw file of the hour.',
    how: 'S3 PutObject; the execution found and followed; the hour recounted from raw/ and compared with curated/.',
  },
  'transient-faults': {
    why:
      'Dependencies fail for a moment: a throttled call, a network blip. Retrying inside the function ' +
      'hides it; retrying in the workflow makes it visible, bounded and configured in one place.',
    what:
      'transform is told to fail its first two attempts (FAIL_FIRST_ATTEMPTS=2; it reads the attempt ' +
      "number from $$.State.RetryCount). Transform's Retry catches TransientError: wait 2 s, then 4 s.",
    how:
      'UpdateFunctionConfiguration (and the waiter), S3 PutObject, the execution followed live, ' +
      'GetExecutionHistory for the attempts; afterwards the flag is removed again.',
  },
  'malformed-file': {
    why:
      'Bad data is not a transient error: retrying it only fails again, and loading it corrupts ' +
      'the output. It has to be set aside, with a reason a person can act on.',
    what:
      'A file with a decimal comma in one amount and a line cut off mid-record. Validate throws ' +
      'ValidationError; the Catch sends it to Quarantine, which moves the file to quarantine/; the ' +
      'Rejected state fails the execution with the reason.',
    how: 'S3 PutObject; the execution followed live; DescribeExecution for its error and cause; S3 ListObjectsV2 on quarantine/.',
  },
  'load-outage': {
    why:
      'Sometimes the destination is down for longer than any sensible retry. The workflow should ' +
      'stop cleanly at the step that failed — with the work before it kept — and wait for you.',
    what:
      'load is told to refuse writes (LOAD_FAULT=unavailable). Load retries DestinationUnavailableError ' +
      'twice (2 s, 4 s) and then the execution fails at Load. Validate and Transform have done their part.',
    how: 'UpdateFunctionConfiguration (and the waiter), S3 PutObject, the execution followed live.',
  },
  'alarm-fires': {
    why: 'Two executions failed. Someone should know without watching a console.',
    what: 'The ExecutionsFailed metric of the state machine, and the alarm on it going to ALARM.',
    how: 'CloudWatch GetMetricData for the metric, DescribeAlarms (polled, bounded) for the alarm.',
  },
  'remove-load-fault': {
    why: 'The outage is over: the destination accepts writes again.',
    what: "load's LOAD_FAULT variable removed.",
    how: 'GetFunctionConfiguration, UpdateFunctionConfiguration without it, the function-updated waiter.',
  },
  redrive: {
    why:
      'Re-running the whole pipeline would redo work that succeeded (and, for non-idempotent steps, ' +
      'do it twice). Redrive finishes only what failed.',
    what:
      'The failed execution redriven: it resumes at Load with the output Transform produced before ' +
      'the outage. The history shows an ExecutionRedriven event and then Load — not Validate or Transform.',
    how: 'RedriveExecution, then DescribeExecution and GetExecutionHistory until it stops.',
  },
  'fix-and-reupload': {
    why: 'A rejected file is fixed where it came from and delivered again; the pipeline needs nothing special for it.',
    what: 'The corrected file uploaded to the same incoming/ key; its event starts a new execution.',
    how: 'S3 PutObject; the execution found and followed.',
  },
  'alarm-ok': {
    why: 'An alarm that never clears is an alarm people learn to ignore.',
    what:
      'Five full minutes without a failed execution: FILL(failed, 0) gives each a 0, below the ' +
      'threshold, and the alarm is OK again.',
    how: 'DescribeAlarms (polled, bounded) and DescribeAlarmHistory for its state changes.',
  },
  'verify-everything': {
    why: 'Finish by checking the data, not the dashboards.',
    what:
      'Every hour the demo delivered: its curated summary against a recount of its raw files; the ' +
      'rejected file in quarantine/; and which executions failed.',
    how: 'S3 ListObjectsV2 + GetObject; Step Functions ListExecutions with statusFilter FAILED.',
  },
  teardown: {
    why: 'Leave nothing behind: no rule waiting for files, no running execution, no cost.',
    what: 'Everything this run created, in reverse dependency order, then a check through List calls.',
    how:
      'ListExecutions (RUNNING) + StopExecution, then the ledger-driven teardown (tags checked before ' +
      'each delete), then ListBuckets, ListRoles, ListFunctions, ListRules, ListStateMachines, ' +
      'DescribeLogGroups, DescribeResourcePolicies and DescribeAlarms.',
  },
};

export const CLOSING_LESSON =
  "Event-driven orchestration in one sentence: the data's arrival starts the work, and the workflow " +
  'engine owns order, retries, bad input and recovery — each one visible in its history. What events ' +
  'alone cannot tell you is whether something that should have arrived never did; demo3 adds a ' +
  'scheduled reconciliation for that.';
