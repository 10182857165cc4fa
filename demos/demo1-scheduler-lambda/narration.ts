/**
 * What demo1 says to the learner: for each phase and step, WHY (the problem), WHAT (the AWS pieces)
 * and HOW (the SDK v3 calls; the runner adds the calls it recorded and their AWS CLI equivalents).
 */
import type { Narration, PhaseId } from '../../src/course/model.js';

export const PHASE_NARRATION: Record<PhaseId, Narration> = {
  setup: {
    why:
      'The classic first pipeline: "every hour, summarise the previous hour". A timer plus a small ' +
      'function is the simplest way to run it, and it is what most teams build first.',
    what:
      'An S3 bucket for raw/ and curated/ data, an IAM role the function runs as, a CloudWatch Logs ' +
      'group, the Lambda function hourly-aggregate, a resource-based permission that lets one rule ' +
      'invoke the function, and that EventBridge rule, with a rate(1 minute) schedule.',
    how:
      'Six resources, each created idempotently through the SDK and recorded in a write-ahead ledger ' +
      'before the create call, so teardown can always find them. The schedule fires every minute so ' +
      'the demo does not take hours; the function still works in hourly windows.',
  },
  execution: {
    why: 'See the happy path first: data lands, the clock fires, a summary appears.',
    what:
      'One hour of seeded order data (JSON Lines) in raw/orders/dt=…/hour=…/, the schedule invoking the ' +
      'function, its log lines in CloudWatch Logs, and the summary in curated/orders_hourly/.',
    how:
      'S3 PutObject for the data; then poll S3 GetObject on the summary key while the scheduled run ' +
      'happens on its own; CloudWatch Logs FilterLogEvents for the log lines.',
  },
  failure: {
    why:
      'Upstream systems are late. A schedule only knows the clock: it cannot know whether an hour is ' +
      'complete, and once it has produced an answer it has no reason to look again.',
    what:
      "A second delivery for the same hour arrives after the job already summarised it. The job's " +
      'guard treats an hour with a non-empty summary as done, and the clock soon moves on to later ' +
      'hours: no later run counts the late file.',
    how:
      'S3 PutObject for the late file; wait for the next scheduled run; read its logs (FilterLogEvents) and ' +
      "the function's and the rule's CloudWatch metrics (GetMetricData); recount raw/ (ListObjectsV2 + " +
      'GetObject) and compare with the curated summary.',
  },
  recovery: {
    why:
      'Three fixes a scheduled job needs: a way to reprocess a window on demand (backfill), a failure ' +
      'you can see when input is missing instead of a summary that says "0 orders", and an alarm so ' +
      'that failure reaches someone. Be clear about their limits: the backfill repairs the late hour only ' +
      'because you noticed it, and the fail-loudly switch and its alarm catch an hour with no data at ' +
      'all — not a partial hour like the one you just saw, which still looks complete to a schedule.',
    what:
      'Lambda Invoke with an explicit window; a CloudWatch alarm on AWS/Lambda Errors and a metric ' +
      "filter on the function's ERROR lines; an EventBridge rule sending the alarm's state changes to a " +
      'log group (with the Logs resource policy that lets EventBridge write there); ' +
      'UpdateFunctionConfiguration to switch REQUIRE_INPUT on; then a failure that surfaces in the ' +
      'Invoke response, the logs, the Errors metric, the alarm and its event.',
    how:
      'Invoke (RequestResponse, LogType Tail) with {"window": {"dt", "hour"}}; PutMetricFilter, ' +
      'PutMetricAlarm; CreateLogGroup, PutResourcePolicy, PutRule + PutTargets; ' +
      'GetFunctionConfiguration + UpdateFunctionConfiguration and the function-updated waiter; Invoke ' +
      'for an hour with no data; GetMetricData, DescribeAlarms, DescribeAlarmHistory and FilterLogEvents ' +
      'on the events log group to read it all back.',
  },
  teardown: {
    why: 'Leave nothing running and nothing billing: the schedule would otherwise fire 1,440 times a day.',
    what:
      'Everything the ledger names: the alarm, its rule, the resource policy, the metric filter, the ' +
      'permission, the schedule, the function, both log groups, the role (and its policy), the bucket.',
    how:
      'Delete in reverse dependency order (DeleteAlarms, RemoveTargets + DeleteRule, DeleteResourcePolicy, ' +
      'DeleteMetricFilter, RemovePermission, DeleteFunction, DeleteLogGroup, DeleteRolePolicy + DeleteRole, ' +
      'empty + DeleteBucket), then List and Describe calls to prove it.',
  },
};

export const STEP_NARRATION = {
  'create-bucket': {
    why: 'Raw input and curated output live in one bucket under separate prefixes, so permissions can tell them apart.',
    what: 'An S3 bucket named for this run, tagged course:demo / course:run / course:managed-by.',
    how: 'S3 CreateBucket and PutBucketTagging; the check uses HeadBucket and GetBucketTagging.',
  },
  'create-role': {
    why:
      'A function runs as an IAM role. Give it exactly what the job needs, so a bug or a leaked ' +
      'credential cannot read or overwrite anything else.',
    what:
      'A role that only lambda.amazonaws.com may assume, with one inline policy: list raw/ and curated/, ' +
      'read raw/, read and write curated/, write events to its own log group — each scoped to ARNs of this run.',
    how: 'IAM CreateRole (trust policy) and PutRolePolicy; the check reads them back with GetRole and GetRolePolicy.',
  },
  'create-log-group': {
    why:
      'A function logs to /aws/lambda/<function>. Lambda creates that group on first run only if the ' +
      'role may call logs:CreateLogGroup — and then keeps the logs forever, outside any teardown. This ' +
      'role may not (on purpose), so the demo creates the group itself: with a retention, and in the ledger so teardown deletes it.',
    what: 'A CloudWatch Logs group /aws/lambda/<function> with 1-day retention.',
    how: 'CloudWatch Logs CreateLogGroup and PutRetentionPolicy; the check uses DescribeLogGroups.',
  },
  'deploy-function': {
    why: 'The job itself: read one hour of raw files, write one summary.',
    what:
      'Lambda function hourly-aggregate (Node.js 22, index.mjs + aggregate.mjs), environment BUCKET, ' +
      'running as the role above. A scheduled event means "the hour before the event\'s time"; ' +
      '{"window": {...}} means that exact hour.',
    how:
      "The zip is built in memory from the project's own files (fflate), then Lambda CreateFunction " +
      'and the function-active waiter (GetFunction until State is Active).',
  },
  'create-schedule': {
    why: 'The orchestrator in this design is just a clock.',
    what:
      'An EventBridge scheduled rule (what older docs and the course call CloudWatch Events) with ' +
      'ScheduleExpression rate(1 minute) whose target is the function. For new schedules AWS now ' +
      'recommends EventBridge Scheduler (aws scheduler create-schedule); the difference that matters ' +
      'to a data engineer: a scheduled rule always runs in UTC, while Scheduler runs a cron in the time ' +
      'zone you name, across daylight-saving changes (and adds one-time schedules and flexible windows). ' +
      'Either way it is only a clock: it cannot tell whether the data is there.',
    how: 'EventBridge PutRule and PutTargets; the check uses DescribeRule and ListTargetsByRule.',
  },
  'allow-eventbridge': {
    why:
      "A rule cannot invoke a function until the function says so. Scoping that to this rule's ARN " +
      'stops any other rule (or account) from using the permission. It comes before the rule: a ' +
      'schedule that fires before the function allows it fails that run (FailedInvocations).',
    what: "A statement in the function's resource policy: events.amazonaws.com may lambda:InvokeFunction if SourceArn is this rule.",
    how: 'Lambda AddPermission; the check reads the resource policy with GetPolicy.',
  },
  'upload-hour': {
    why: 'The job needs input: one hour of orders, as an upstream system would deliver it.',
    what:
      'Seeded sample orders (a few are resent duplicates) for the hour the next scheduled runs will ' +
      'process, in one JSON Lines file under raw/orders/dt=…/hour=…/. Run again, the step first clears ' +
      "that hour's files and summary, so the story starts over from the same place.",
    how: 'S3 PutObject (DeleteObject when starting over); the check recounts the prefix with ListObjectsV2 and GetObject.',
  },
  'wait-for-schedule': {
    why: 'Nobody invokes the function: the schedule does, whenever the clock says so.',
    what: 'The rule fires, EventBridge invokes the function with a "Scheduled Event", the function writes the summary.',
    how:
      'Poll S3 GetObject on curated/orders_hourly/dt=…/hour=…/summary.json until it holds records, ' +
      "measured on the target's clock.",
  },
  'inspect-run': {
    why: 'Know where to look when a job runs without you: its logs and its output.',
    what:
      "The run's lines in CloudWatch Logs: START, the handler's JSON lines, END, and REPORT " +
      '(duration, billed duration, memory) — and the curated summary.',
    how:
      "CloudWatch Logs FilterLogEvents on /aws/lambda/<function> from the upload's time on the " +
      "target's clock (what aws logs tail --since does); S3 GetObject on the summary.",
  },
  'late-delivery': {
    why: 'Real upstreams deliver in batches, and some batches are late.',
    what: 'A second file for the same hour, landing after the hour was summarised.',
    how: 'S3 PutObject of late-0001.jsonl; the check recounts the raw prefix.',
  },
  'green-signals': {
    why:
      'Check what an on-call engineer would check: did the job run, did it fail? Logs and metrics are ' +
      'where that answer lives. See whether any of them points at the late hour.',
    what:
      'The next scheduled run and its log lines (any error, its REPORT line), and the CloudWatch metrics AWS ' +
      'publishes on its own, in 1-minute periods: namespace AWS/Lambda, dimension FunctionName, metrics ' +
      'Invocations and Errors; namespace AWS/Events, dimension RuleName, metrics Invocations and ' +
      'FailedInvocations. On AWS they arrive 1–3 minutes late, so the step waits for them (bounded).',
    how:
      'Wait for a scheduled run that starts after the late file landed; CloudWatch Logs FilterLogEvents; ' +
      'then one CloudWatch GetMetricData request with four MetricStat queries (Stat Sum, Period 60) from ' +
      'the minute the data was first uploaded — aws cloudwatch get-metric-data --metric-data-queries … ' +
      '--start-time … --end-time …. Checks: Errors has no datapoint above 0, FailedInvocations is 0, and ' +
      'both Invocations counts reach the scheduled runs seen in the logs once CloudWatch has published them.',
  },
  'compare-counts': {
    why: 'The only signal that tells the truth is the data itself.',
    what: 'The curated summary against a recount of raw/ for the same hour.',
    how: 'S3 ListObjectsV2 + GetObject on raw/…, GetObject on the summary.',
  },
  backfill: {
    why:
      'Fix the data first: reprocess the hour now that all its files are there. Note who noticed: you, ' +
      'by recounting raw/. Nothing in the pipeline would have.',
    what: 'A synchronous invocation with an explicit window; the function reprocesses it regardless of any existing summary.',
    how: 'Lambda Invoke with InvocationType RequestResponse, LogType Tail and payload {"window": {"dt", "hour"}}.',
  },
  'alarm-on-errors': {
    why:
      'A failure nobody is told about is a log line. An alarm is what turns it into a page. Note what it ' +
      'would not have caught: in the failure phase the function never failed — Errors stayed 0 in every ' +
      'minute (step 3.2 read it) — so an alarm on Errors would have stayed OK while the hour was short. ' +
      'It catches a run that throws, which, once REQUIRE_INPUT is on, includes an hour with no data.',
    what:
      "A CloudWatch alarm on the function's AWS/Lambda Errors (Sum >= 1 in one 60 s period, a minute " +
      'without data counts as not breaching), and a CloudWatch Logs metric filter that counts every line ' +
      'containing ERROR in its log group into a custom metric (CourseCli/demo1, named after the filter) — ' +
      'for errors the code logs without failing, which Errors never sees. Both in the ledger; the alarm ' +
      'is tagged, the filter is proven ours by its tagged log group. The function and its role do not change.',
    how:
      'CloudWatch Logs PutMetricFilter; CloudWatch PutMetricAlarm (with Tags); the check reads them back ' +
      'with DescribeAlarms, ListTagsForResource and DescribeMetricFilters.',
  },
  'route-alarm-events': {
    why:
      'An alarm that changes state emits an event on the default event bus. Route it somewhere you can ' +
      'read it back, and you can prove the alarm spoke — the same event an SNS topic, a chat hook or an ' +
      'incident tool would receive.',
    what:
      'A log group /aws/events/<rule name>; a CloudWatch Logs resource policy that lets EventBridge ' +
      '(events.amazonaws.com) create streams and put events in that group only; and an EventBridge rule ' +
      'on the default bus matching source aws.cloudwatch, detail-type "CloudWatch Alarm State Change" ' +
      "and this alarm's ARN, with the group as its target. The policy comes before the rule, so the " +
      'first event is allowed (the console adds such a policy for you; the API does not).',
    how:
      'CloudWatch Logs CreateLogGroup + PutRetentionPolicy and PutResourcePolicy; EventBridge PutRule ' +
      '(EventPattern) and PutTargets; the check uses DescribeRule, ListTargetsByRule, DescribeLogGroups ' +
      'and DescribeResourcePolicies.',
  },
  'fail-loudly': {
    why:
      'An empty summary that reports success is worse than a failure: nobody is paged and ' +
      'dashboards show a real-looking zero. Missing input must be an error.',
    what: "The function's environment gains REQUIRE_INPUT=true; the code already knows what to do with it.",
    how:
      'Lambda GetFunctionConfiguration (keep BUCKET), UpdateFunctionConfiguration, then wait until ' +
      'LastUpdateStatus is Successful (the function-updated waiter).',
  },
  'loud-failure': {
    why: 'Prove the failure is visible where people look — and where the alarm looks.',
    what:
      'An invocation for an hour with no data now fails with MissingInputError: in the Invoke response ' +
      "(FunctionError), in the logs, in the function's AWS/Lambda Errors metric (the alarm's) and in the " +
      'ERROR lines the metric filter counted. Scheduled runs for empty hours now fail too; EventBridge ' +
      'invokes asynchronously, so Lambda retries each failed run twice (same request id), and the logs ' +
      'show each attempt.',
    how:
      'Lambda Invoke (RequestResponse, LogType Tail) for an empty hour; CloudWatch Logs FilterLogEvents; ' +
      'CloudWatch GetMetricData for Invocations, Errors (Sum, Period 60, dimension FunctionName) and the ' +
      'custom ERROR-lines metric since REQUIRE_INPUT was switched on, waiting (bounded) for CloudWatch to ' +
      'publish the minute of the failure.',
  },
  'alarm-fires': {
    why: 'An alarm is only worth having if it fires when it should: watch it do so, and read what it said.',
    what:
      "The alarm moving to ALARM (its history records every change, with CloudWatch's reason), and the " +
      '"CloudWatch Alarm State Change" event the rule copied into the log group. On AWS, Lambda\'s ' +
      'metrics arrive 1–3 minutes late and alarms are evaluated once a minute over complete minutes, so ' +
      "the step waits, bounded, on the target's clock. A minute later, with no new errors, the alarm " +
      'goes back to OK: that is a second event, not a contradiction.',
    how:
      'Poll CloudWatch DescribeAlarmHistory (HistoryItemType StateUpdate, since REQUIRE_INPUT) and ' +
      'DescribeAlarms; then CloudWatch Logs FilterLogEvents on the events log group for the event.',
  },
  'verify-windows': {
    why: 'Close the loop: every hour this demo touched is right, or loudly not there.',
    what:
      'Every hour with raw files or a summary in the bucket: its summary against a recount of its raw ' +
      'files. Hours the schedule summarised as "0 orders" before REQUIRE_INPUT was on (the clock moved ' +
      'on to hours nobody delivered) are the quiet zeros this recovery is about: the step deletes those ' +
      'summaries, so such an hour is visibly missing rather than falsely empty.',
    how: 'S3 ListObjectsV2 + GetObject for raw/ and curated/, DeleteObject for each quiet zero.',
  },
  teardown: {
    why: 'Everything this demo created goes away, and you can see that it did.',
    what: "The ledger's resources, deleted in reverse order; then a sweep for anything still tagged with this run.",
    how:
      'EventBridge DisableRule first, so no new run starts while things are deleted, and a short wait ' +
      'for a run already going to finish; then the teardown and its report; then S3 ListBuckets, IAM ' +
      'ListRoles, Lambda ListFunctions, EventBridge ListRules, CloudWatch DescribeAlarms and CloudWatch ' +
      'Logs DescribeLogGroups, DescribeMetricFilters and DescribeResourcePolicies to show none of them remains.',
  },
} satisfies Record<string, Narration>;

export type Demo1StepId = keyof typeof STEP_NARRATION;
