/**
 * demo3's pipeline deployed straight through the SDK into a test sandbox — the demo's own
 * handlers, zips, least-privilege policies, definition and trigger inputs — so the state machine
 * can be exercised without the course runner.
 */
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { TestSandbox } from '../../helpers/sandbox.js';
import { buildLambdaZip } from '../../../demos/shared/lambdaZip.js';
import { fromPackageRoot } from '../../../demos/shared/packagePaths.js';
import {
  FUNCTIONS,
  LAMBDA_SOURCE_DIR,
  METRIC_NAMESPACE,
  RUNTIME,
  lambdaLogGroup,
  type FunctionKey,
} from '../../../demos/demo3-hybrid-reconciliation/names.js';
import {
  TRUST,
  checkCompletenessPolicy,
  processPartitionPolicy,
  startExecutionPolicy,
  stateMachinePolicy,
  writeReportPolicy,
  type PolicyScope,
} from '../../../demos/demo3-hybrid-reconciliation/policy.js';
import { reconcileDefinition } from '../../../demos/demo3-hybrid-reconciliation/definition.js';
import { ARRIVAL_INPUT, arrivalPattern } from '../../../demos/demo3-hybrid-reconciliation/triggers.js';
import type { PolicyDocument } from '../../../src/cloud/resourceTypes.js';

export interface Clients {
  s3: S3Client;
  iam: IAMClient;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  sfn: SFNClient;
  events: EventBridgeClient;
  cloudwatch: CloudWatchClient;
}

export function clientsFor(sb: TestSandbox): Clients {
  const c = sb.clientConfig;
  return {
    s3: new S3Client({ ...c, forcePathStyle: true }),
    iam: new IAMClient(c),
    lambda: new LambdaClient(c),
    logs: new CloudWatchLogsClient(c),
    sfn: new SFNClient(c),
    events: new EventBridgeClient(c),
    cloudwatch: new CloudWatchClient(c),
  };
}

export interface Pipeline {
  bucket: string;
  stateMachineArn: string;
  functions: Record<FunctionKey, string>;
}

async function role(c: Clients, name: string, service: string, policy: PolicyDocument): Promise<string> {
  const out = await c.iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await c.iam.send(
    new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }),
  );
  return out.Role!.Arn!;
}

/** Deploy bucket, roles, functions, log groups and the state machine; the arrival rule if asked. */
export async function deployPipeline(
  sb: TestSandbox,
  c: Clients,
  name: string,
  opts: { arrivalRule?: boolean; environment?: Partial<Record<FunctionKey, Record<string, string>>> } = {},
): Promise<Pipeline> {
  const bucket = `${name}-data`;
  const scope: PolicyScope = { region: 'us-east-1', accountId: sb.sandbox.accountId, bucket };
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await c.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    }),
  );
  const functions = {
    process: `${name}-process`,
    check: `${name}-check`,
    report: `${name}-report`,
  } satisfies Record<FunctionKey, string>;
  const policies: Record<FunctionKey, PolicyDocument> = {
    process: processPartitionPolicy(scope, functions.process),
    check: checkCompletenessPolicy(scope, functions.check),
    report: writeReportPolicy(scope, functions.report, METRIC_NAMESPACE),
  };
  const arns = {} as Record<FunctionKey, string>;
  for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
    const spec = FUNCTIONS[key];
    const roleArn = await role(c, `${functions[key]}-role`, TRUST.lambda, policies[key]);
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: lambdaLogGroup(functions[key]) }));
    const zip = buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), [...spec.files]);
    const out = await c.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functions[key],
        Runtime: RUNTIME,
        Role: roleArn,
        Handler: spec.handler,
        Code: { ZipFile: zip.bytes },
        Timeout: 60,
        MemorySize: 256,
        Environment: {
          Variables: {
            BUCKET: bucket,
            ...(key === 'report' ? { METRIC_NAMESPACE, PIPELINE: name } : {}),
            ...opts.environment?.[key],
          },
        },
      }),
    );
    arns[key] = out.FunctionArn!;
  }
  const machineRole = await role(
    c,
    `${name}-machine`,
    TRUST.states,
    stateMachinePolicy(scope, Object.values(functions)),
  );
  const sm = await c.sfn.send(
    new CreateStateMachineCommand({
      name: `${name}-machine`,
      roleArn: machineRole,
      definition: JSON.stringify(
        reconcileDefinition({
          ProcessPartitionArn: arns.process,
          CheckCompletenessArn: arns.check,
          WriteReportArn: arns.report,
        }),
      ),
    }),
  );
  if (opts.arrivalRule) {
    const eventsRole = await role(
      c,
      `${name}-events`,
      TRUST.events,
      startExecutionPolicy(scope, `${name}-machine`),
    );
    await c.events.send(
      new PutRuleCommand({ Name: `${name}-arrivals`, EventPattern: JSON.stringify(arrivalPattern(bucket)) }),
    );
    await c.events.send(
      new PutTargetsCommand({
        Rule: `${name}-arrivals`,
        Targets: [
          { Id: 'machine', Arn: sm.stateMachineArn!, RoleArn: eventsRole, InputTransformer: ARRIVAL_INPUT },
        ],
      }),
    );
  }
  return { bucket, stateMachineArn: sm.stateMachineArn!, functions };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until the execution leaves RUNNING (real time; bounded). */
export async function finished(c: Clients, executionArn: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > until) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function history(c: Clients, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await c.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
