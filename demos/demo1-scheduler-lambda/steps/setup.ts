/** Setup: bucket, least-privilege role, log group, function, schedule, and the invoke permission. */
import { GetBucketTaggingCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetRoleCommand, GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { buildLambdaZip } from '../../shared/lambdaZip.js';
import { fromPackageRoot } from '../../shared/packagePaths.js';
import {
  decodePolicyDocument,
  expectEqual,
  expectThat,
  normalisePolicy,
  readBack,
} from '../../shared/checks.js';
import {
  HANDLER,
  LAMBDA_FILES,
  LAMBDA_SOURCE_DIR,
  LOG_RETENTION_DAYS,
  PARTS,
  RUNTIME,
  SCHEDULE_EXPRESSION,
  demo1Names,
} from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { EXECUTION_POLICY_NAME, LAMBDA_TRUST_SERVICE, executionRolePolicy } from '../policy.js';
import { need, type Demo1State } from '../state.js';

type Ctx = StepContext<Demo1State>;

/** The schedule rule's ARN, known from its name before it exists (rules live on the default bus). */
function ruleArnOf(ctx: Ctx): string {
  return `arn:aws:events:${ctx.target.region}:${ctx.target.accountId}:rule/${demo1Names(ctx.resources).rule}`;
}

function policyScope(ctx: Ctx) {
  const names = demo1Names(ctx.resources);
  return {
    bucket: names.bucket,
    functionName: names.functionName,
    region: ctx.target.region,
    accountId: ctx.target.accountId,
  };
}

const createBucket: Step<Demo1State> = {
  id: 'create-bucket',
  title: 'Create the data bucket',
  narration: STEP_NARRATION['create-bucket'],
  async run(ctx) {
    const created = await ctx.resources.bucket({ part: PARTS.bucket });
    ctx.state.bucket = created.name;
    ctx.out.say(`Bucket ${created.name}: raw input goes under raw/, summaries under curated/.`);
  },
  async check(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const head = await readBack(() => ctx.aws.s3.send(new HeadBucketCommand({ Bucket: bucket })));
    const tags = head
      ? await readBack(() => ctx.aws.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).catch(
          (err: Error) => (err.name === 'NoSuchTagSet' ? { TagSet: [] } : Promise.reject(err)),
        )
      : undefined;
    const managedBy = tags?.TagSet?.find((t) => t.Key === 'course:managed-by')?.Value;
    return [
      expectEqual(
        'the bucket exists (HeadBucket)',
        `${bucket} answers 200`,
        head ? `${bucket} answers 200` : '(no such bucket)',
      ),
      expectEqual('the bucket is tagged as ours (course:managed-by)', 'course-cli', managedBy),
    ];
  },
};

const createRole: Step<Demo1State> = {
  id: 'create-role',
  title: 'Create the least-privilege execution role',
  narration: STEP_NARRATION['create-role'],
  async run(ctx) {
    const policy = executionRolePolicy(policyScope(ctx));
    const created = await ctx.resources.role({
      part: PARTS.role,
      description: 'Runs hourly-aggregate: list/read raw/, read/write curated/, write its own logs.',
      trustedService: LAMBDA_TRUST_SERVICE,
      inlinePolicies: { [EXECUTION_POLICY_NAME]: policy },
    });
    ctx.state.roleName = created.name;
    ctx.state.roleArn = created.arn;
    ctx.out.block(`Inline policy ${EXECUTION_POLICY_NAME}`, JSON.stringify(policy, null, 2));
  },
  async check(ctx) {
    const roleName = need(ctx.state.roleName, 'the role');
    const role = await readBack(() => ctx.aws.iam.send(new GetRoleCommand({ RoleName: roleName })));
    const trust = decodePolicyDocument(role?.Role?.AssumeRolePolicyDocument) as {
      Statement?: Array<{ Principal?: { Service?: string | string[] } }>;
    };
    const principals = (trust?.Statement ?? []).flatMap((s) => [s.Principal?.Service ?? []].flat());
    const listed = await readBack(() =>
      ctx.aws.iam.send(new ListRolePoliciesCommand({ RoleName: roleName })),
    );
    const inline = await readBack(() =>
      ctx.aws.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: EXECUTION_POLICY_NAME })),
    );
    const expected = normalisePolicy(executionRolePolicy(policyScope(ctx)));
    const actual = normalisePolicy(decodePolicyDocument(inline?.PolicyDocument));
    const same = inline !== undefined && JSON.stringify(expected) === JSON.stringify(actual);
    return [
      expectEqual('only Lambda may assume the role', [LAMBDA_TRUST_SERVICE], principals),
      expectEqual('exactly one inline policy', [EXECUTION_POLICY_NAME], listed?.PolicyNames ?? []),
      expectThat(
        'the policy holds exactly the four scoped statements',
        same,
        'ListBucket(raw/*, curated/*), GetObject raw/*, Get/PutObject curated/*, logs on its own group',
        same ? 'identical' : inline ? `different: ${JSON.stringify(actual)}` : '(no such policy)',
      ),
    ];
  },
};

const createLogGroup: Step<Demo1State> = {
  id: 'create-log-group',
  title: "Create the function's log group with a retention",
  narration: STEP_NARRATION['create-log-group'],
  async run(ctx) {
    const { logGroup } = demo1Names(ctx.resources);
    const created = await ctx.resources.logGroup({ name: logGroup, retentionInDays: LOG_RETENTION_DAYS });
    ctx.state.logGroupName = created.name;
  },
  async check(ctx) {
    const name = need(ctx.state.logGroupName, 'the log group');
    const res = await ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    const group = res.logGroups?.find((g) => g.logGroupName === name);
    return [
      expectEqual('the log group exists', name, group?.logGroupName),
      expectEqual('retention in days', LOG_RETENTION_DAYS, group?.retentionInDays),
    ];
  },
};

const deployFunction: Step<Demo1State> = {
  id: 'deploy-function',
  title: 'Deploy the hourly-aggregate function',
  narration: STEP_NARRATION['deploy-function'],
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const roleArn = need(ctx.state.roleArn, 'the role');
    const zip = buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), LAMBDA_FILES);
    ctx.out.say(`Zip built in memory: ${zip.entries.join(', ')} (${zip.bytes.length} bytes).`);
    const created = await ctx.resources.lambdaFunction({
      part: PARTS.function,
      description: 'Summarises the previous hour of raw orders into curated/orders_hourly/.',
      roleArn,
      runtime: RUNTIME,
      handler: HANDLER,
      zip: zip.bytes,
      timeoutSeconds: 30,
      memoryMb: 256,
      environment: { BUCKET: bucket },
    });
    ctx.state.functionName = created.name;
    ctx.state.functionArn = created.arn;
  },
  async check(ctx) {
    const fn = need(ctx.state.functionName, 'the function');
    const cfg = await readBack(() =>
      ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn })),
    );
    return [
      expectEqual('function state', 'Active', cfg ? cfg.State : '(no such function)'),
      expectEqual('runtime', RUNTIME, cfg?.Runtime),
      expectEqual('runs as our role', ctx.state.roleArn, cfg?.Role),
      expectEqual('environment', { BUCKET: ctx.state.bucket }, cfg?.Environment?.Variables ?? {}),
    ];
  },
};

const createSchedule: Step<Demo1State> = {
  id: 'create-schedule',
  title: 'Schedule it: an EventBridge rule, rate(1 minute)',
  narration: STEP_NARRATION['create-schedule'],
  async run(ctx) {
    const functionArn = need(ctx.state.functionArn, 'the function');
    need(ctx.state.ruleArn, 'the permission for the rule');
    const created = await ctx.resources.rule({
      part: PARTS.rule,
      description: 'Runs hourly-aggregate every minute (a stand-in for an hourly cron).',
      scheduleExpression: SCHEDULE_EXPRESSION,
      targets: [{ id: 'hourly-aggregate', arn: functionArn }],
    });
    ctx.state.ruleName = created.name;
    ctx.state.ruleArn = created.arn;
    ctx.state.ruleCreatedAt ??= ctx.clock.now();
    ctx.out.say('From now on the rule fires every minute and each run summarises the previous hour.');
  },
  async check(ctx) {
    const rule = need(ctx.state.ruleName, 'the rule');
    const d = await readBack(() => ctx.aws.events.send(new DescribeRuleCommand({ Name: rule })));
    const t = await readBack(() => ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: rule })));
    return [
      expectEqual('rule state', 'ENABLED', d ? d.State : '(no such rule)'),
      expectEqual('schedule', SCHEDULE_EXPRESSION, d?.ScheduleExpression),
      expectEqual(
        'its only target is the function',
        [ctx.state.functionArn],
        (t?.Targets ?? []).map((x) => x.Arn),
      ),
    ];
  },
};

interface PolicyStatementView {
  Principal?: { Service?: string } | string;
  Action?: string;
  Condition?: { ArnLike?: Record<string, string> };
}

const allowEventBridge: Step<Demo1State> = {
  id: 'allow-eventbridge',
  title: 'Let this rule (and only this rule) invoke the function',
  narration: STEP_NARRATION['allow-eventbridge'],
  async run(ctx) {
    // Granted before the rule exists (its ARN is known from its name), so the rule's very first
    // fire is already allowed: the other way round, a fire in between fails (FailedInvocations).
    const ruleArn = ruleArnOf(ctx);
    await ctx.resources.lambdaPermission({
      functionName: need(ctx.state.functionName, 'the function'),
      statementId: PARTS.permissionStatement,
      principal: 'events.amazonaws.com',
      sourceArn: ruleArn,
    });
    ctx.state.ruleArn = ruleArn;
    ctx.out.say(`Only ${ruleArn} may invoke the function; the rule itself comes next.`);
  },
  async check(ctx): Promise<CheckResult[]> {
    const functionName = need(ctx.state.functionName, 'the function');
    // No resource policy at all is an answer too: the function has no statement for the rule.
    const res = await readBack(() =>
      ctx.aws.lambda.send(new GetPolicyCommand({ FunctionName: functionName })),
    );
    const statements =
      (JSON.parse(res?.Policy ?? '{}') as { Statement?: PolicyStatementView[] }).Statement ?? [];
    const ours = statements.find(
      (s) => typeof s.Principal === 'object' && s.Principal.Service === 'events.amazonaws.com',
    );
    return [
      expectEqual(
        'principal',
        'events.amazonaws.com',
        typeof ours?.Principal === 'object' ? ours.Principal.Service : undefined,
      ),
      expectEqual('action', 'lambda:InvokeFunction', ours?.Action),
      expectEqual(
        'only when SourceArn is our rule',
        ctx.state.ruleArn,
        ours?.Condition?.ArnLike?.['AWS:SourceArn'],
      ),
    ];
  },
};

export const setupSteps: Step<Demo1State>[] = [
  createBucket,
  createRole,
  createLogGroup,
  deployFunction,
  allowEventBridge,
  createSchedule,
];
