/**
 * The nasty-name table of issue 7 and the operations it is thrown at: every operation of every
 * sandbox service that takes a name, key or tag key, through the real SDK clients. Each operation
 * either stores the name correctly (checked by reading it back) or answers with an AWS error.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import {
  GetRolePolicyCommand,
  IAMClient,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { TagRoleCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { GetFunctionCommand, InvokeCommand, LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { TagResourceCommand as TagFunctionCommand } from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ListTagsForResourceCommand as ListLogTagsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  PutRetentionPolicyCommand,
  TagResourceCommand as TagLogsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeEventBusCommand, DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
} from '@aws-sdk/client-sfn';
import {
  ListTagsForResourceCommand as ListSfnTagsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { TagResourceCommand as TagSfnCommand } from '@aws-sdk/client-sfn';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { zipSync, strToU8 } from 'fflate';
import { rawRequest } from './rawRequest.js';

/** Names chosen to break lookup tables, paths and encodings. */
export const NASTY_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '..',
  '.',
  '%2e%2e',
  'a/../../b',
  '/etc/passwd',
  '/tmp/course-cli-nasty-absolute',
  'a\u0000b',
  'n'.repeat(1024),
  'naïve-名前-🚀',
];

export interface ClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** One operation taking a client-chosen name; `check` reads back what a success stored. */
export interface NamedOperation {
  what: string;
  run(name: string): Promise<unknown>;
  check?(name: string, result: unknown): Promise<void> | void;
}

export class StorageMismatch extends Error {
  override readonly name = 'StorageMismatch';
}

function same(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new StorageMismatch(
      `${what}: stored ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const STATES_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});
const HANDLER_ZIP = zipSync({ 'index.mjs': strToU8('export const handler = async (e) => e;') });
const MACHINE = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

/** Resources the operations need, created once before the table runs. */
export async function prepareFixtures(
  cfg: ClientConfig,
): Promise<{ roleArn: string; statesRoleArn: string }> {
  await new S3Client({ ...cfg, forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: 'nasty-bucket' }),
  );
  const iam = new IAMClient(cfg);
  const role = await iam.send(
    new CreateRoleCommand({ RoleName: 'nasty-exec', AssumeRolePolicyDocument: TRUST }),
  );
  await new LambdaClient(cfg).send(
    new CreateFunctionCommand({
      FunctionName: 'nasty-fn',
      Runtime: 'nodejs22.x',
      Role: role.Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: HANDLER_ZIP },
    }),
  );
  await new CloudWatchLogsClient(cfg).send(new CreateLogGroupCommand({ logGroupName: 'nasty-group' }));
  await new EventBridgeClient(cfg).send(
    new PutRuleCommand({ Name: 'nasty-rule', EventPattern: '{"source":["x"]}' }),
  );
  // Step Functions assumes a state machine's role: it must trust states.amazonaws.com.
  const statesRole = await iam.send(
    new CreateRoleCommand({ RoleName: 'nasty-states', AssumeRolePolicyDocument: STATES_TRUST }),
  );
  return { roleArn: role.Role!.Arn!, statesRoleArn: statesRole.Role!.Arn! };
}

export function namedOperations(cfg: ClientConfig, roleArn: string, statesRoleArn: string): NamedOperation[] {
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const iam = new IAMClient(cfg);
  const lambda = new LambdaClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const events = new EventBridgeClient(cfg);
  const sfn = new SFNClient(cfg);
  const cw = new CloudWatchClient(cfg);
  const Bucket = 'nasty-bucket';
  const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:nasty-fn';
  const groupArn = 'arn:aws:logs:us-east-1:000000000000:log-group:nasty-group';
  const smArn = (n: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${n}`;

  return [
    // ---- S3: bucket names, object keys, metadata and tag keys
    { what: 's3 CreateBucket', run: (n) => s3.send(new CreateBucketCommand({ Bucket: n })) },
    {
      what: 's3 PutObject + GetObject + ListObjectsV2',
      run: (n) => s3.send(new PutObjectCommand({ Bucket, Key: n, Body: `body of ${n}` })),
      check: async (n) => {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key: n }));
        same(`GetObject ${n}`, await got.Body!.transformToString(), `body of ${n}`);
        await s3.send(new HeadObjectCommand({ Bucket, Key: n }));
        const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: n }));
        same(
          `ListObjectsV2 ${n}`,
          listed.Contents?.some((o) => o.Key === n),
          true,
        );
      },
    },
    {
      what: 's3 PutObject with metadata named after it',
      run: (n) => s3.send(new PutObjectCommand({ Bucket, Key: 'meta', Body: 'm', Metadata: { [n]: 'v' } })),
      check: async (n) => {
        // Read the header itself: the SDK builds `Metadata` as a plain object, where `__proto__` is lost.
        const head = await rawRequest(
          cfg.endpoint,
          { method: 'HEAD', path: `/${Bucket}/meta` },
          { sign: { ...cfg.credentials, service: 's3', payloadHash: 'UNSIGNED-PAYLOAD' } },
        );
        same(`metadata ${n}`, head.headers[`x-amz-meta-${n.toLowerCase()}`], 'v');
      },
    },
    {
      what: 's3 Put/GetObjectTagging',
      run: (n) =>
        s3.send(
          new PutObjectTaggingCommand({ Bucket, Key: n, Tagging: { TagSet: [{ Key: n, Value: 'v' }] } }),
        ),
      check: async (n) => {
        const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: n }));
        same(`tagging ${n}`, tags.TagSet, [{ Key: n, Value: 'v' }]);
      },
    },
    {
      what: 's3 CopyObject',
      run: (n) =>
        s3.send(
          new CopyObjectCommand({
            Bucket,
            Key: `copy-${n}`,
            CopySource: `${Bucket}/${encodeURIComponent(n)}`,
          }),
        ),
    },
    { what: 's3 DeleteObject', run: (n) => s3.send(new DeleteObjectCommand({ Bucket, Key: n })) },

    // ---- IAM: role names, policy names, tag keys
    {
      what: 'iam CreateRole + GetRole',
      run: (n) => iam.send(new CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: TRUST })),
      check: async (n) => {
        const got = await iam.send(new GetRoleCommand({ RoleName: n }));
        same(`GetRole ${n}`, got.Role?.RoleName, n);
        await iam.send(new DeleteRoleCommand({ RoleName: n }));
      },
    },
    { what: 'iam GetRole', run: (n) => iam.send(new GetRoleCommand({ RoleName: n })) },
    {
      what: 'iam PutRolePolicy + GetRolePolicy',
      run: (n) =>
        iam.send(new PutRolePolicyCommand({ RoleName: 'nasty-exec', PolicyName: n, PolicyDocument: POLICY })),
      check: async (n) => {
        const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'nasty-exec', PolicyName: n }));
        same(`GetRolePolicy ${n}`, got.PolicyName, n);
        await iam.send(new DeleteRolePolicyCommand({ RoleName: 'nasty-exec', PolicyName: n }));
      },
    },
    {
      what: 'iam TagRole',
      run: (n) => iam.send(new TagRoleCommand({ RoleName: 'nasty-exec', Tags: [{ Key: n, Value: 'v' }] })),
      check: async (n) => {
        const tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'nasty-exec' }));
        same(
          `role tag ${n}`,
          tags.Tags?.some((t) => t.Key === n),
          true,
        );
      },
    },

    // ---- Lambda: function names, statement ids, tag keys
    {
      what: 'lambda CreateFunction',
      run: (n) =>
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: n,
            Runtime: 'nodejs22.x',
            Role: roleArn,
            Handler: 'index.handler',
            Code: { ZipFile: HANDLER_ZIP },
          }),
        ),
      check: async (n) => {
        const got = await lambda.send(new GetFunctionCommand({ FunctionName: n }));
        same(`GetFunction ${n}`, got.Configuration?.FunctionName, n);
        await lambda.send(new DeleteFunctionCommand({ FunctionName: n }));
      },
    },
    { what: 'lambda GetFunction', run: (n) => lambda.send(new GetFunctionCommand({ FunctionName: n })) },
    { what: 'lambda Invoke', run: (n) => lambda.send(new InvokeCommand({ FunctionName: n })) },
    {
      what: 'lambda DeleteFunction',
      run: (n) => lambda.send(new DeleteFunctionCommand({ FunctionName: n })),
    },
    {
      what: 'lambda AddPermission',
      run: (n) =>
        lambda.send(
          new AddPermissionCommand({
            FunctionName: 'nasty-fn',
            StatementId: n,
            Action: 'lambda:InvokeFunction',
            Principal: 'events.amazonaws.com',
          }),
        ),
    },
    {
      what: 'lambda TagResource',
      run: (n) => lambda.send(new TagFunctionCommand({ Resource: fnArn, Tags: { [n]: 'v' } })),
      check: async (n) => {
        const tags = await lambda.send(new ListTagsCommand({ Resource: fnArn }));
        same(`function tag ${n}`, Object.hasOwn(tags.Tags ?? {}, n) && tags.Tags![n], 'v');
      },
    },

    // ---- CloudWatch Logs: group and stream names, tag keys
    {
      what: 'logs CreateLogGroup + DescribeLogGroups',
      run: (n) => logs.send(new CreateLogGroupCommand({ logGroupName: n })),
      check: async (n) => {
        const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: n }));
        same(
          `log group ${n}`,
          found.logGroups?.some((g) => g.logGroupName === n),
          true,
        );
        await logs.send(new PutRetentionPolicyCommand({ logGroupName: n, retentionInDays: 1 }));
        await logs.send(new DeleteLogGroupCommand({ logGroupName: n }));
      },
    },
    {
      what: 'logs CreateLogStream + PutLogEvents + GetLogEvents',
      run: (n) => logs.send(new CreateLogStreamCommand({ logGroupName: 'nasty-group', logStreamName: n })),
      check: async (n) => {
        await logs.send(
          new PutLogEventsCommand({
            logGroupName: 'nasty-group',
            logStreamName: n,
            logEvents: [{ timestamp: Date.now(), message: `line of ${n}` }],
          }),
        );
        const got = await logs.send(
          new GetLogEventsCommand({ logGroupName: 'nasty-group', logStreamName: n }),
        );
        same(
          `log events ${n}`,
          got.events?.map((e) => e.message),
          [`line of ${n}`],
        );
      },
    },
    {
      what: 'logs GetLogEvents',
      run: (n) => logs.send(new GetLogEventsCommand({ logGroupName: n, logStreamName: n })),
    },
    {
      what: 'logs TagResource',
      run: (n) => logs.send(new TagLogsCommand({ resourceArn: groupArn, tags: { [n]: 'v' } })),
      check: async (n) => {
        const tags = await logs.send(new ListLogTagsCommand({ resourceArn: groupArn }));
        same(`log group tag ${n}`, Object.hasOwn(tags.tags ?? {}, n) && tags.tags![n], 'v');
      },
    },

    // ---- EventBridge: bus and rule names, target ids, event fields
    {
      what: 'events CreateEventBus + DescribeEventBus',
      run: (n) => events.send(new CreateEventBusCommand({ Name: n })),
      check: async (n) => {
        const got = await events.send(new DescribeEventBusCommand({ Name: n }));
        same(`bus ${n}`, got.Name, n);
        await events.send(new DeleteEventBusCommand({ Name: n }));
      },
    },
    { what: 'events DescribeEventBus', run: (n) => events.send(new DescribeEventBusCommand({ Name: n })) },
    {
      what: 'events PutRule + DescribeRule',
      run: (n) => events.send(new PutRuleCommand({ Name: n, EventPattern: '{"source":["x"]}' })),
      check: async (n) => {
        const got = await events.send(new DescribeRuleCommand({ Name: n }));
        same(`rule ${n}`, got.Name, n);
        await events.send(new DeleteRuleCommand({ Name: n }));
      },
    },
    { what: 'events DescribeRule', run: (n) => events.send(new DescribeRuleCommand({ Name: n })) },
    {
      what: 'events PutTargets + RemoveTargets',
      run: (n) =>
        events.send(new PutTargetsCommand({ Rule: 'nasty-rule', Targets: [{ Id: n, Arn: fnArn }] })),
      check: async (n) => {
        await events.send(new RemoveTargetsCommand({ Rule: 'nasty-rule', Ids: [n] }));
      },
    },
    {
      what: 'events PutEvents',
      run: (n) =>
        events.send(
          new PutEventsCommand({
            Entries: [{ EventBusName: n, Source: n, DetailType: n, Detail: JSON.stringify({ [n]: n }) }],
          }),
        ),
    },

    // ---- Step Functions: state machine and execution names, tag keys
    {
      what: 'states CreateStateMachine + DescribeStateMachine + StartExecution',
      run: (n) =>
        sfn.send(new CreateStateMachineCommand({ name: n, definition: MACHINE, roleArn: statesRoleArn })),
      check: async (n) => {
        const got = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn(n) }));
        same(`state machine ${n}`, got.name, n);
        await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn(n), name: n }));
        await sfn.send(new TagSfnCommand({ resourceArn: smArn(n), tags: [{ key: n, value: 'v' }] }));
        const tags = await sfn.send(new ListSfnTagsCommand({ resourceArn: smArn(n) }));
        same(`state machine tag ${n}`, tags.tags, [{ key: n, value: 'v' }]);
        await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: smArn(n) }));
      },
    },
    {
      what: 'states DescribeStateMachine',
      run: (n) => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn(n) })),
    },

    // ---- CloudWatch metrics: namespaces, metric and dimension names
    {
      what: 'cloudwatch PutMetricData + ListMetrics',
      run: (n) =>
        cw.send(
          new PutMetricDataCommand({
            Namespace: `Nasty/${n}`,
            MetricData: [{ MetricName: n, Value: 1, Dimensions: [{ Name: n, Value: n }] }],
          }),
        ),
      check: async (n) => {
        const listed = await cw.send(new ListMetricsCommand({ Namespace: `Nasty/${n}`, MetricName: n }));
        same(`metric ${n}`, listed.Metrics?.length, 1);
      },
    },
  ];
}
