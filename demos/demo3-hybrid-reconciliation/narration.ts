/**
 * What demo3 says to the learner: for each phase and step, WHY (the problem), WHAT (the AWS pieces)
 * and HOW (the SDK v3 calls; the runner adds the calls it recorded and their AWS CLI equivalents).
 */
import type { Narration, PhaseId } from '../../src/course/model.js';

export const PHASE_NARRATION: Record<PhaseId, Narration> = {
  setup: {
    why:
      'demo1 showed that a clock alone cannot know whether an hour is complete; demo2 showed that events ' +
      'process data the moment it lands. Events alone have their own blind spot: an event that is lost, ' +
      'or whose run fails after its retries, never comes back. The hybrid pattern keeps both: events for ' +
      'freshness, a schedule for completeness.',
    what:
      'One bucket (raw/, curated/, reports/), three small Lambda functions (process-partition, ' +
      'check-completeness, write-report), one Step Functions state machine with two entry modes, two ' +
      'EventBridge rules that start it (S3 arrivals and a schedule), a CloudWatch alarm on partitions ' +
      'still missing after the grace period, and a pager: the alarm’s events land in a log group.',
    how:
      'Each resource is created idempotently through the SDK and recorded in a write-ahead ledger first, ' +
      'so teardown can always find it. One IAM role per job, each scoped to this run’s ARNs. The state ' +
      'machine definition is validated before it is created.',
  },
  execution: {
    why: 'See both halves work: each arrival is processed as soon as it lands, and the schedule finds what never came.',
    what:
      'Hourly order files for every hour of the window but one; the event runs they start; then the ' +
      'schedule switched on, and its first reconciliation with its report under reports/.',
    how:
      'S3 PutObject per hour; Step Functions ListExecutions/DescribeExecution to find the runs each ' +
      'upload started (by the key in their input) and GetExecutionHistory to follow one live; EventBridge ' +
      'EnableRule; S3 GetObject on the report; CloudWatch GetMetricData on its metrics.',
  },
  failure: {
    why:
      'Data is late, upstream resends what it already sent, and dependencies go down — often at the same ' +
      'time. An event-driven pipeline handles each arrival once; if that one run fails after its retries, ' +
      'nothing looks at the partition again.',
    what:
      'The missing hour pages the on-call engineer (the alarm); then an outage in process-partition; during ' +
      'it the missing hour arrives late, and another hour receives a resend with duplicated orders. Both ' +
      'event runs fail after their retries: one partition has no summary, the other a stale one.',
    how:
      'CloudWatch DescribeAlarms and CloudWatch Logs FilterLogEvents for the page; Lambda ' +
      'UpdateFunctionConfiguration (SIMULATE_OUTAGE=true) to inject the fault; S3 PutObject; Step ' +
      'Functions history for the retries; a recount of raw/ next to curated/ for the damage.',
  },
  recovery: {
    why:
      'Nobody redrives anything by hand here: the schedule exists so that whatever the events missed is ' +
      'found and repaired on the next tick — without double counting, however often it runs.',
    what:
      'The outage ends; the next scheduled reconciliation finds the late hour present and the resent hour ' +
      'stale, reprocesses both, and reports every partition OK or RECONCILED; a second run changes nothing; ' +
      'the alarm clears.',
    how:
      'Lambda UpdateFunctionConfiguration to remove the fault; the schedule starts the reconciliation; ' +
      'StartExecution by hand for the second run; S3 HeadObject (ETags) to prove nothing was rewritten; a ' +
      'full recount of raw/ against curated/ for every hour.',
  },
  teardown: {
    why: 'Leave nothing running and nothing billing: the schedule would otherwise reconcile every 5 minutes forever.',
    what:
      'Everything the ledger names: alarm, rules, state machine, functions, resource policy, log groups, ' +
      'roles and the bucket with its data and reports.',
    how:
      'Disable both rules and stop running executions first, then delete in reverse dependency order ' +
      '(the ledger’s plan), then List calls to prove it.',
  },
};

export const STEP_NARRATION: Record<string, Narration> = {
  'create-bucket': {
    why:
      'Raw input, curated summaries and reports live in one bucket under separate prefixes, so each role ' +
      'can be given exactly its own prefixes. The reconciliation checks a fixed window of hourly ' +
      'partitions, chosen now from the target’s clock: whole hours, all in the past.',
    what:
      'An S3 bucket for this run, tagged, with EventBridge notifications on (every new object becomes an ' +
      '"Object Created" event on the default bus).',
    how: 'S3 CreateBucket, PutBucketTagging and PutBucketNotificationConfiguration (EventBridgeConfiguration).',
  },
  'create-function-roles': {
    why:
      'Three jobs, three roles: the function that rebuilds partitions may read raw/ and write curated/; ' +
      'the one that checks completeness may only list and read summaries (never raw data); the one that ' +
      'writes reports may write reports/ and publish metrics in its own namespace — nothing more.',
    what:
      'Three IAM roles only lambda.amazonaws.com may assume, each with one inline policy scoped to this ' +
      'bucket’s prefixes and the function’s own log group. PutMetricData has no resource-level ' +
      'permissions, so it is "*" narrowed by a cloudwatch:namespace condition.',
    how: 'IAM CreateRole and PutRolePolicy per role, the three roles at once (none needs another); the check reads them back with GetRole and GetRolePolicy.',
  },
  'create-log-groups': {
    why:
      'We create the log groups ourselves, with a short retention, so nothing is kept forever and teardown ' +
      'can delete them. The functions’ roles have no logs:CreateLogGroup, on purpose.',
    what: 'One group per function (/aws/lambda/<fn>) and one for the state machine’s execution logs.',
    how: 'CloudWatch Logs CreateLogGroup and PutRetentionPolicy, for the four groups at once.',
  },
  'deploy-functions': {
    why:
      'Each function does one job and passes partition ids, never data: what travels between states stays ' +
      'tiny whatever the window size (Step Functions limits a state’s input and output to 256 KB).',
    what:
      'process-partition (rebuild one hour’s summary, deduplicating orders by order_id across files, with a ' +
      'conditional write so concurrent runs cannot overwrite a newer summary), check-completeness (missing ' +
      'and stale partitions from listings and each summary’s recorded sources) and write-report.',
    how: 'Lambda CreateFunction with a zip built in memory from the demo’s own .mjs files (nodejs22.x), the three functions at once (each runs as its own role).',
  },
  'create-machine-role': {
    why: 'The state machine calls the functions with its own role: give it exactly these three and nothing else.',
    what:
      'A role only states.amazonaws.com may assume: lambda:InvokeFunction on the three function ARNs, and ' +
      'the log-delivery actions Step Functions needs to write execution logs (AWS requires "*" for those).',
    how: 'IAM CreateRole and PutRolePolicy.',
  },
  'create-state-machine': {
    why:
      'One workflow with two entry modes keeps the rules in one place: an arrival rebuilds its partition at ' +
      'once; a scheduled run checks the window, rebuilds what is stale ten at a time, gives missing ' +
      'partitions a bounded grace period, and reports.',
    what:
      'A STANDARD state machine from reconcile-orders.asl.json: a Choice on the input’s mode, a Map with ' +
      'MaxConcurrency 10, a Wait/re-check loop bounded by the input’s grace.rechecks, Retry on transient ' +
      'errors; logging ALL to its log group.',
    how: 'Step Functions ValidateStateMachineDefinition first, then CreateStateMachine; the check reads it back.',
  },
  'create-events-role': {
    why: 'EventBridge starts the state machine with a role of its own; it may start this one and no other.',
    what: 'A role only events.amazonaws.com may assume, with states:StartExecution on this state machine.',
    how: 'IAM CreateRole and PutRolePolicy.',
  },
  'create-arrival-rule': {
    why: 'Freshness: every new raw file should be processed as soon as it lands, not at the next tick of a clock.',
    what:
      'A rule on the default bus matching S3 "Object Created" for this bucket under raw/, targeting the state ' +
      'machine; an input transformer turns the event into {"mode":"event","bucket","key","time"}.',
    how: 'EventBridge PutRule (event pattern) and PutTargets (RoleArn, InputTransformer).',
  },
  'create-schedule-rule': {
    why:
      'Completeness: a clock that looks at the whole window finds what no event told us about. It is created ' +
      'switched off: before the first delivery every hour would be "missing"; the execution phase switches ' +
      'it on once data flows.',
    what:
      'A rule with rate(5 minutes) targeting the same state machine; its input transformer gives ' +
      '{"mode":"scheduled","time":<the event’s time>,"window","grace"}. Created DISABLED.',
    how: 'EventBridge PutRule (ScheduleExpression, State DISABLED) and PutTargets.',
  },
  'create-alarm': {
    why:
      'A report nobody reads pages nobody. Each reconciliation publishes how many partitions are still ' +
      'missing after the grace period; an alarm turns that number into a page.',
    what:
      'A CloudWatch alarm on the custom metric PartitionsMissing (Maximum ≥ 1 in a minute). Missing data is ' +
      'ignored: between reconciliations the alarm keeps its state instead of flapping.',
    how: 'CloudWatch PutMetricAlarm (TreatMissingData ignore), with the run’s tags.',
  },
  'create-pager': {
    why:
      'Every alarm state change is put on EventBridge’s default bus. Routing it somewhere you can read is ' +
      'what paging is; here the "pager" is a log group (on a real team: SNS, chat, an incident tool).',
    what:
      'A log group /aws/events/…-pager, a CloudWatch Logs resource policy that lets EventBridge write into ' +
      'that one group, and a rule matching "CloudWatch Alarm State Change" for our alarm.',
    how: 'CloudWatch Logs CreateLogGroup and PutResourcePolicy; EventBridge PutRule and PutTargets.',
  },

  'upload-hours': {
    why: 'Upstream delivers one file per hour — except one hour, which is held up somewhere.',
    what: 'Seeded order files (JSON Lines) under raw/orders/dt=…/hour=…/ for every hour of the window but hour 03.',
    how: 'S3 PutObject, a few at a time; the check lists raw/ back.',
  },
  'event-runs': {
    why: 'Each upload is an event; each event starts a run for exactly its partition, right away.',
    what:
      'One execution per upload, in event mode: ProcessArrival rebuilds the partition’s summary under ' +
      'curated/orders_hourly/ and records which files (key, ETag, size) it was built from.',
    how:
      'Step Functions ListExecutions and DescribeExecution (the key in each input), GetExecutionHistory to ' +
      'follow the first live; S3 GetObject on the summaries.',
  },
  'start-schedule': {
    why: 'Now the clock: every 5 minutes the whole window is reconciled, whatever the events did or did not do.',
    what: 'The schedule rule, switched on.',
    how: 'EventBridge EnableRule; the check reads its state back with DescribeRule.',
  },
  'first-reconciliation': {
    why:
      'The event path can only react to what arrives. The scheduled run looks for what did not: hour 03 gets ' +
      'its grace period, twice, and is then reported MISSING.',
    what:
      'The first scheduled execution: CheckCompleteness, ReprocessStale (nothing stale: the events did their ' +
      'job), GracePeriod and RecheckMissing twice, WriteReport. The report (JSON and Markdown under reports/) ' +
      'and the PartitionsMissing metric.',
    how:
      'Step Functions ListExecutions until the schedule’s run appears, then its history followed live; S3 ' +
      'GetObject on the report; CloudWatch GetMetricData.',
  },

  page: {
    why: 'A missing partition after the grace period is an incident: someone should know without reading reports.',
    what:
      'The alarm went from INSUFFICIENT_DATA to ALARM; CloudWatch put that change on the default bus; the ' +
      'pager rule delivered it to the pager log group.',
    how: 'CloudWatch DescribeAlarms; CloudWatch Logs FilterLogEvents on the pager log group.',
  },
  outage: {
    why:
      'Failures come in bursts. Here process-partition’s downstream dependency is down: every call fails with ' +
      'a transient error, longer than the state machine’s retries last.',
    what: 'SIMULATE_OUTAGE=true in process-partition’s environment: configuration, not a code change.',
    how:
      'Lambda GetFunctionConfiguration + UpdateFunctionConfiguration, then GetFunctionConfiguration until ' +
      'LastUpdateStatus is Successful.',
  },
  'late-arrivals': {
    why:
      'Hour 03 finally arrives, and upstream resends part of hour 01 with a few new orders. Both events fire, ' +
      'both runs retry with backoff, both give up.',
    what:
      'Two uploads; two event executions that fail at ProcessArrival after 3 attempts (TransientError). ' +
      'No event will ever fire for these files again.',
    how: 'S3 PutObject; Step Functions executions found by key, one followed live, histories read back.',
  },
  'stale-partitions': {
    why:
      'This is what "events alone" leaves behind: a partition whose summary misses data (and would double ' +
      'count it if reprocessed naively), and a partition with data but no summary at all.',
    what: 'Hour 01: raw/ recounted now next to its curated summary. Hour 03: raw/ present, no summary.',
    how: 'S3 ListObjectsV2 + GetObject to recount raw/, GetObject on the summaries.',
  },

  'outage-ends': {
    why: 'The dependency is back. Note what we do not do: redrive anything by hand.',
    what: 'SIMULATE_OUTAGE removed from process-partition’s environment.',
    how:
      'Step Functions ListExecutions (RUNNING) until a reconciliation still in its grace periods has ' +
      'finished, so the next one is the first to run with the fix; Lambda UpdateFunctionConfiguration, ' +
      'then GetFunctionConfiguration until LastUpdateStatus is Successful.',
  },
  reconciliation: {
    why:
      'The schedule’s next run finds what the events left behind: hour 03 present without a summary, hour 01 ' +
      'with a summary built from fewer files than raw/ holds now. Both are rebuilt from all their files.',
    what:
      'A scheduled execution: CheckCompleteness reports 01 and 03 stale, ReprocessStale rebuilds them, ' +
      'nothing is missing so there is no grace period, WriteReport marks them RECONCILED.',
    how: 'Step Functions history followed live; S3 GetObject on the report.',
  },
  rerun: {
    why:
      'A reconciliation that runs every 5 minutes must be harmless when there is nothing to do: running it ' +
      'again must not rewrite or double count anything.',
    what: 'A second reconciliation started by hand with the same input; every partition OK; no summary rewritten.',
    how: 'Step Functions StartExecution; S3 HeadObject on every summary before and after (same ETags).',
  },
  'page-clears': {
    why: 'An alarm that never clears teaches people to ignore it. This one clears itself once nothing is missing.',
    what: 'PartitionsMissing is 0 in the latest report; the alarm returns to OK; the pager log group gets that event too.',
    how: 'CloudWatch DescribeAlarms; CloudWatch Logs FilterLogEvents on the pager log group.',
  },
  'verify-every-hour': {
    why: 'The proof that counts: every hour’s summary agrees with the raw data, with resent orders counted once.',
    what: 'For every hour of the window: raw/ recounted from the files now in the bucket next to curated/.',
    how: 'S3 ListObjectsV2 + GetObject for every raw file and summary.',
  },

  teardown: {
    why: 'Leave nothing running: stop the clock and the event path first, so nothing starts while it is deleted.',
    what: 'Both rules disabled, running executions stopped, then everything the ledger names deleted.',
    how:
      'EventBridge DisableRule; Step Functions StopExecution; then the ledger’s teardown plan; List calls to ' +
      'prove it.',
  },
};

export const CLOSING_LESSON =
  'Events gave freshness: each hour was processed by its own run as soon as it landed. The schedule gave completeness: ' +
  'it found the hour that never came, paged for it, and repaired what the events could not — late data and ' +
  'resent orders, counted once, with no manual redrive. Design both into a pipeline: events for the common ' +
  'case, a scheduled reconciliation with a report and an alarm for everything else.';
