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
      'Two fixes a scheduled job needs: a way to reprocess a window on demand (backfill), and a ' +
      'failure you can see when input is missing, instead of a summary that says "0 orders". Be clear ' +
      'about their limits: the backfill repairs the late hour only because you noticed it, and the ' +
      'fail-loudly switch catches an hour with no data at all — not a partial hour like the one you ' +
      'just saw, which still looks complete to a schedule.',
    what:
      'Lambda Invoke with an explicit window; UpdateFunctionConfiguration to switch REQUIRE_INPUT on; ' +
      'the function error that then surfaces in the Invoke response, the logs and the Errors metric.',
    how:
      'Invoke (RequestResponse, LogType Tail) with {"window": {"dt", "hour"}}; ' +
      'GetFunctionConfiguration + UpdateFunctionConfiguration, then the function-updated waiter; ' +
      'Invoke again for an hour with no data, then CloudWatch GetMetricData to see Errors count it.',
  },
  teardown: {
    why: 'Leave nothing running and nothing billing: the schedule would otherwise fire 1,440 times a day.',
    what: 'Everything the ledger names: permission, rule, function, log group, role (and its policy), bucket.',
    how:
      'Delete in reverse dependency order (RemovePermission, RemoveTargets + DeleteRule, DeleteFunction, ' +
      'DeleteLogGroup, DeleteRolePolicy + DeleteRole, empty + DeleteBucket), then List calls to prove it.',
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
    why: 'Prove the failure is visible where people look — and where an alarm would look.',
    what:
      'An invocation for an hour with no data now fails with MissingInputError: in the Invoke response ' +
      "(FunctionError), in the logs, and in the function's AWS/Lambda Errors metric. A CloudWatch alarm " +
      'on Errors (Sum ≥ 1 over 1 minute) is how you would be paged; the demo does not create one. ' +
      'Scheduled runs for empty hours now fail too; EventBridge invokes asynchronously, so Lambda retries ' +
      'each failed run twice (same request id), and the logs show each attempt.',
    how:
      'Lambda Invoke (RequestResponse, LogType Tail) for an empty hour; CloudWatch Logs FilterLogEvents; ' +
      'CloudWatch GetMetricData for Invocations and Errors (Sum, Period 60, dimension FunctionName) since ' +
      'REQUIRE_INPUT was switched on, waiting (bounded) for CloudWatch to publish the minute of the failure.',
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
      'for a run already going to finish; then the teardown and its report; then S3 ListBuckets, IAM ListRoles, Lambda ListFunctions, EventBridge ' +
      'ListRules and CloudWatch Logs DescribeLogGroups to show none of them remains.',
  },
} satisfies Record<string, Narration>;

export type Demo1StepId = keyof typeof STEP_NARRATION;
