/**
 * IAM enforcement end to end: Lambda handlers run with their execution role's session credentials,
 * and what the role's policies do not allow fails as on AWS — in the handler's own SDK calls, in
 * the logs Lambda writes for it, in Step Functions tasks and in EventBridge deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { LAMBDA_TRUST, createFunction, decode } from '../../lambda/fixtures.js';
import { trustFor } from '../../stepfunctions/fixtures.js';

const BUCKET = 'enforced-bucket';
const ACCOUNT = '000000000000';

/** A handler that runs one S3/STS call named by its event and reports the outcome. */
const PROBE = `
import { S3Client, GetObjectCommand, HeadObjectCommand, PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const s3 = new S3Client({ forcePathStyle: true });
const sts = new STSClient({});
export const handler = async (e) => {
  try {
    if (e.op === 'whoami') return { ok: true, arn: (await sts.send(new GetCallerIdentityCommand({}))).Arn };
    if (e.op === 'get') {
      const r = await s3.send(new GetObjectCommand({ Bucket: e.bucket, Key: e.key }));
      return { ok: true, body: await r.Body.transformToString() };
    }
    if (e.op === 'head') { await s3.send(new HeadObjectCommand({ Bucket: e.bucket, Key: e.key })); return { ok: true }; }
    if (e.op === 'put') { await s3.send(new PutObjectCommand({ Bucket: e.bucket, Key: e.key, Body: 'x' })); return { ok: true }; }
    if (e.op === 'list') {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: e.bucket, Prefix: e.prefix }));
      return { ok: true, keys: (r.Contents ?? []).map((o) => o.Key) };
    }
    if (e.op === 'noop') { console.log('hello from', process.env.AWS_LAMBDA_FUNCTION_NAME); return { ok: true }; }
  } catch (err) {
    return { ok: false, name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
};`;

interface ProbeResult {
  ok: boolean;
  name?: string;
  message?: string;
  status?: number;
  body?: string;
  keys?: string[];
  arn?: string;
}

const policy = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

let sb: TestSandbox;
let iam: IAMClient;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

async function role(name: string, trust: string, inline?: object[], managed?: string): Promise<string> {
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  if (inline) {
    await iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: policy(inline) }),
    );
  }
  if (managed) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: managed }));
  return out.Role!.Arn!;
}

async function probe(fn: string, event: object): Promise<ProbeResult> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: JSON.stringify(event) }));
  expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
  return decode(out.Payload) as ProbeResult;
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const denied = (fn: string, action: string, resource: string): string =>
  `User: arn:aws:sts::${ACCOUNT}:assumed-role/${fn}-role/${fn} is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`;

beforeAll(async () => {
  sb = await startTestSandbox();
  iam = new IAMClient(sb.clientConfig);
  lambda = new LambdaClient(sb.clientConfig);
  logs = new CloudWatchLogsClient(sb.clientConfig);
  const s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of ['raw/x', 'other/x']) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `content of ${key}` }));
  }
  const readRaw = { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/raw/*` };
  const listRaw = {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: `arn:aws:s3:::${BUCKET}`,
    Condition: { StringLike: { 's3:prefix': 'raw/*' } },
  };
  await createFunction(
    lambda,
    await role('reader-role', LAMBDA_TRUST, [readRaw]),
    'reader',
    { 'index.mjs': PROBE },
    { Timeout: 30 },
  );
  await createFunction(
    lambda,
    await role('lister-role', LAMBDA_TRUST, [readRaw, listRaw]),
    'lister',
    { 'index.mjs': PROBE },
    { Timeout: 30 },
  );
}, 60_000);

afterAll(async () => {
  await sb?.stop();
});

describe('a Lambda handler runs as its execution role', () => {
  it('reads what its role allows and is denied the rest with S3 AccessDenied', async () => {
    expect(await probe('reader', { op: 'get', bucket: BUCKET, key: 'raw/x' })).toEqual({
      ok: true,
      body: 'content of raw/x',
    });
    expect(await probe('reader', { op: 'get', bucket: BUCKET, key: 'other/x' })).toEqual({
      ok: false,
      name: 'AccessDenied',
      status: 403,
      message: denied('reader', 's3:GetObject', `arn:aws:s3:::${BUCKET}/other/x`),
    });
    expect(await probe('reader', { op: 'put', bucket: BUCKET, key: 'raw/y' })).toMatchObject({
      ok: false,
      name: 'AccessDenied',
      message: denied('reader', 's3:PutObject', `arn:aws:s3:::${BUCKET}/raw/y`),
    });
  }, 60_000);

  it('lists only under a prefix its s3:prefix condition allows', async () => {
    expect(await probe('lister', { op: 'list', bucket: BUCKET, prefix: 'raw/' })).toEqual({
      ok: true,
      keys: ['raw/x'],
    });
    expect(await probe('lister', { op: 'list', bucket: BUCKET, prefix: 'other/' })).toMatchObject({
      ok: false,
      name: 'AccessDenied',
      message: denied('lister', 's3:ListBucket', `arn:aws:s3:::${BUCKET}`),
    });
    expect(await probe('reader', { op: 'list', bucket: BUCKET, prefix: 'raw/' })).toMatchObject({
      ok: false,
      status: 403,
    });
  }, 60_000);

  it('sees a missing key as 403 without s3:ListBucket and as 404 NoSuchKey with it', async () => {
    expect(await probe('reader', { op: 'get', bucket: BUCKET, key: 'raw/missing' })).toMatchObject({
      ok: false,
      name: 'AccessDenied',
      status: 403,
    });
    expect(await probe('reader', { op: 'head', bucket: BUCKET, key: 'raw/missing' })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await probe('lister', { op: 'get', bucket: BUCKET, key: 'raw/missing' })).toMatchObject({
      ok: false,
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await probe('lister', { op: 'head', bucket: BUCKET, key: 'raw/missing' })).toMatchObject({
      ok: false,
      status: 404,
    });
  }, 60_000);

  it('is the assumed role in STS GetCallerIdentity', async () => {
    expect(await probe('reader', { op: 'whoami' })).toEqual({
      ok: true,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader-role/reader`,
    });
  }, 60_000);
});

describe('Lambda writes a function’s logs with its role', () => {
  const groupNames = async (prefix: string): Promise<string[]> =>
    ((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix }))).logGroups ?? []).map(
      (g) => g.logGroupName!,
    );
  const messages = async (group: string): Promise<string[]> =>
    ((await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map(
      (e) => e.message!,
    );

  it('drops the logs, and creates no group, when the role has no logs permissions', async () => {
    await createFunction(
      lambda,
      await role('silent-role', LAMBDA_TRUST, [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]),
      'silent',
      { 'index.mjs': PROBE },
    );
    expect(await probe('silent', { op: 'noop' })).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(await groupNames('/aws/lambda/silent')).toEqual([]);
  }, 60_000);

  it('writes them with AWSLambdaBasicExecutionRole, creating the group', async () => {
    const arn = await role(
      'basic-role',
      LAMBDA_TRUST,
      undefined,
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    );
    await createFunction(lambda, arn, 'basic', { 'index.mjs': PROBE });
    await probe('basic', { op: 'noop' });
    await until(async () => (await groupNames('/aws/lambda/basic')).length === 1);
    await until(async () =>
      (await messages('/aws/lambda/basic')).some((m) => m.includes('hello from basic')),
    );
  }, 60_000);

  it('writes them to an existing group with an inline CreateLogStream/PutLogEvents grant, and never creates the missing group without logs:CreateLogGroup', async () => {
    const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/scoped`;
    const arn = await role('scoped-role', LAMBDA_TRUST, [
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${groupArn}:*` },
    ]);
    await createFunction(lambda, arn, 'scoped', { 'index.mjs': PROBE });
    await probe('scoped', { op: 'noop' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await groupNames('/aws/lambda/scoped')).toEqual([]);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/scoped' }));
    await probe('scoped', { op: 'noop' });
    await until(async () =>
      (await messages('/aws/lambda/scoped')).some((m) => m.includes('hello from scoped')),
    );
  }, 60_000);
});

describe('services acting with a role', () => {
  it('fails a Step Functions task whose role lacks lambda:InvokeFunction', async () => {
    const fnRole = await role('target-role', LAMBDA_TRUST);
    await createFunction(lambda, fnRole, 'target', { 'index.mjs': PROBE });
    const smRole = await role('sm-no-invoke', trustFor('states.amazonaws.com'), [
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:other`,
      },
    ]);
    const sfn = new SFNClient(sb.clientConfig);
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'needs-invoke',
        roleArn: smRole,
        definition: JSON.stringify({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'target', Payload: { op: 'noop' } },
              End: true,
            },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn }),
    );
    let status = 'RUNNING';
    let d;
    await until(async () => {
      d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      status = d.status!;
      return status !== 'RUNNING';
    });
    expect(status).toBe('FAILED');
    expect(d!.error).toBe('Lambda.AWSLambdaException');
    expect(d!.cause).toContain(
      `is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:target`,
    );
    expect(d!.cause).toContain('Error Code: AccessDeniedException');
  }, 60_000);

  it('fails an EventBridge → Step Functions delivery whose role lacks states:StartExecution', async () => {
    const sfn = new SFNClient(sb.clientConfig);
    const eb = new EventBridgeClient(sb.clientConfig);
    const smRole = await role('sm-pass', trustFor('states.amazonaws.com'));
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'pass-through',
        roleArn: smRole,
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
      }),
    );
    const eventsRole = await role('events-no-start', trustFor('events.amazonaws.com'), [
      { Effect: 'Allow', Action: 'states:DescribeExecution', Resource: '*' },
    ]);
    await eb.send(new PutRuleCommand({ Name: 'start-denied', EventPattern: '{"source":["enforcement"]}' }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'start-denied',
        Targets: [{ Id: 'sm', Arn: sm.stateMachineArn, RoleArn: eventsRole }],
      }),
    );
    await eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'enforcement', DetailType: 'go', Detail: '{}' }] }),
    );
    const cw = new CloudWatchClient(sb.clientConfig);
    await until(async () => {
      const stats = await cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Events',
          MetricName: 'FailedInvocations',
          Dimensions: [{ Name: 'RuleName', Value: 'start-denied' }],
          StartTime: new Date(Date.now() - 3_600_000),
          EndTime: new Date(Date.now() + 3_600_000),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
      return (stats.Datapoints ?? []).some((p) => (p.Sum ?? 0) > 0);
    });
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
    expect(list.executions).toEqual([]);
  }, 60_000);
});
