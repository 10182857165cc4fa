/** Teardown: delete everything the ledger names, then prove through List calls that it is gone. */
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Step, StepContext } from '../../../src/course/model.js';
import type { CreatedResource } from '../../../src/cloud/resourceTypes.js';
import { expectEqual } from '../checks.js';
import { demo1Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import type { Demo1State } from '../state.js';

type Ctx = StepContext<Demo1State>;

const label = (r: CreatedResource): string => `${r.kind} ${r.name}`;

async function allRoleNames(ctx: Ctx): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.aws.iam.send(new ListRolesCommand({ Marker: marker }));
    names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names;
}

async function allFunctionNames(ctx: Ctx): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.aws.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
    marker = page.NextMarker;
  } while (marker);
  return names;
}

/** The names to look for: those saved when they were created (the ledger may be reset by now). */
function namesToCheck(ctx: Ctx) {
  const derived = demo1Names(ctx.resources);
  const s = ctx.state;
  return {
    bucket: s.bucket ?? derived.bucket,
    role: s.roleName ?? derived.role,
    functionName: s.functionName ?? derived.functionName,
    rule: s.ruleName ?? derived.rule,
    logGroup: s.logGroupName ?? derived.logGroup,
  };
}

/** Which of this run's resources a List call still shows. */
export async function remainingResources(ctx: Ctx): Promise<string[]> {
  const n = namesToCheck(ctx);
  const [buckets, roles, functions, rules, groups] = await Promise.all([
    ctx.aws.s3.send(new ListBucketsCommand({})),
    allRoleNames(ctx),
    allFunctionNames(ctx),
    ctx.aws.events.send(new ListRulesCommand({ NamePrefix: n.rule })),
    ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: n.logGroup })),
  ]);
  const left: string[] = [];
  if ((buckets.Buckets ?? []).some((b) => b.Name === n.bucket)) left.push(`bucket ${n.bucket}`);
  if (roles.includes(n.role)) left.push(`role ${n.role}`);
  if (functions.includes(n.functionName)) left.push(`function ${n.functionName}`);
  if ((rules.Rules ?? []).some((r) => r.Name === n.rule)) left.push(`rule ${n.rule}`);
  if ((groups.logGroups ?? []).some((g) => g.logGroupName === n.logGroup))
    left.push(`log group ${n.logGroup}`);
  return left;
}

const teardown: Step<Demo1State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown,
  async run(ctx) {
    const report = await ctx.teardown();
    ctx.out.table({
      title: 'Teardown report',
      columns: ['resource', 'outcome'],
      rows: [
        ...report.deleted.map((r) => [label(r), 'deleted']),
        ...report.alreadyGone.map((r) => [label(r), 'already gone']),
        ...report.failed.map((f) => [label(f.resource), `FAILED: ${f.error}`]),
        ...report.leftovers.map((r) => [label(r), 'still tagged with this run']),
      ],
    });
    ctx.state.teardown = {
      deleted: report.deleted.length,
      alreadyGone: report.alreadyGone.length,
      failed: report.failed.map((f) => `${label(f.resource)}: ${f.error}`),
      leftovers: report.leftovers.map(label),
    };
  },
  async check(ctx) {
    const t = ctx.state.teardown;
    const remaining = await remainingResources(ctx);
    return [
      expectEqual('deletions that failed', [], t?.failed ?? ['(teardown did not report)']),
      expectEqual('leftovers found by the tag sweep', [], t?.leftovers ?? ['(teardown did not report)']),
      expectEqual('bucket, role, function, rule, log group still listed', [], remaining),
    ];
  },
};

export const teardownSteps: Step<Demo1State>[] = [teardown];
