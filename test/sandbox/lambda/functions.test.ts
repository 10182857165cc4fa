import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  DescribeLogStreamsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { createHash } from 'node:crypto';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole, decode, zipOf } from './fixtures.js';

let sb: TestSandbox;
let lambda: LambdaClient;
let role: string;
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';

beforeAll(async () => {
  sb = await startTestSandbox();
  lambda = new LambdaClient(sb.clientConfig);
  role = await createRole(sb);
});
afterAll(async () => {
  await sb?.stop();
});

const HELLO = { 'index.mjs': 'export const handler = async () => "v1";' };

describe('function lifecycle', () => {
  it('creates a function reported Pending, then Active for the waiter', async () => {
    const zip = zipOf(HELLO);
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'life',
        Runtime: 'nodejs24.x',
        Role: role,
        Handler: 'index.handler',
        Code: { ZipFile: zip },
        Timeout: 10,
        MemorySize: 512,
        Environment: { Variables: { STAGE: 'dev' } },
        Tags: { team: 'data' },
      }),
    );
    expect(out).toMatchObject({
      FunctionName: 'life',
      FunctionArn: `${ARN}life`,
      Runtime: 'nodejs24.x',
      Role: role,
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 512,
      Version: '$LATEST',
      State: 'Pending',
      PackageType: 'Zip',
      CodeSize: zip.length,
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Environment: { Variables: { STAGE: 'dev' } },
    });
    expect(out.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(out.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const waited = await waitUntilFunctionActiveV2(
      { client: lambda, maxWaitTime: 20 },
      { FunctionName: 'life' },
    );
    expect(waited.state).toBe('SUCCESS');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}life` }));
    expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Tags).toEqual({ team: 'data' });
  });

  it('refuses duplicates, unknown roles, untrusting roles and unsupported runtimes as AWS does', async () => {
    await expect(createFunction(lambda, role, 'life', HELLO)).rejects.toMatchObject({
      name: 'ResourceConflictException',
      message: 'Function already exist: life',
    });
    await expect(
      createFunction(lambda, 'arn:aws:iam::000000000000:role/nope', 'x1', HELLO),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The role defined for the function cannot be assumed by Lambda.',
    });
    const ec2Role = await createRole(
      sb,
      'ec2-only',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    );
    await expect(createFunction(lambda, ec2Role, 'x2', HELLO)).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(createFunction(lambda, role, 'x3', HELLO, { Runtime: 'python3.12' })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(createFunction(lambda, role, 'x4', HELLO, { Timeout: 901 })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have value less than or equal to 900'),
    });
    await expect(
      createFunction(lambda, role, 'x5', HELLO, { Environment: { Variables: { AWS_REGION: 'x' } } }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('AWS_REGION'),
    });
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'x6',
          Runtime: 'nodejs22.x',
          Role: role,
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from('not a zip') },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('updates configuration and code, with the updated waiter', async () => {
    const upd = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'life',
        Timeout: 20,
        Environment: { Variables: { COLOR: 'blue' } },
      }),
    );
    expect(upd.LastUpdateStatus).toBe('InProgress');
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'life' });
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'life' }));
    expect(cfg).toMatchObject({
      Timeout: 20,
      Environment: { Variables: { COLOR: 'blue' } },
      LastUpdateStatus: 'Successful',
    });
    expect(cfg.RevisionId).not.toBe(upd.RevisionId === undefined ? '' : 'x');

    const v1 = decode((await lambda.send(new InvokeCommand({ FunctionName: 'life' }))).Payload);
    expect(v1).toBe('v1');
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'life',
        ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "v2";' }),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'life' });
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'life' }))).Payload)).toBe('v2');
    await expect(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'life', RevisionId: 'stale' })),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException' });
  });

  it('lists functions with paging', async () => {
    await createFunction(lambda, role, 'page-a', HELLO);
    await createFunction(lambda, role, 'page-b', HELLO);
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      expect(page.Functions!.length).toBeLessThanOrEqual(2);
      names.push(...page.Functions!.map((f) => f.FunctionName!));
      marker = page.NextMarker;
    } while (marker);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['life', 'page-a', 'page-b']));
  });

  it('manages the resource policy', async () => {
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: 'page-a' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'page-a',
        StatementId: 'events-rule',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/hourly',
        SourceAccount: '000000000000',
      }),
    );
    expect(JSON.parse(added.Statement!)).toEqual({
      Sid: 'events-rule',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${ARN}page-a`,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '000000000000' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/hourly' },
      },
    });
    await expect(
      lambda.send(
        new AddPermissionCommand({
          FunctionName: 'page-a',
          StatementId: 'events-rule',
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceConflictException' });
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'page-a' }));
    const doc = JSON.parse(policy.Policy!);
    expect(doc).toMatchObject({ Version: '2012-10-17', Id: 'default' });
    expect(doc.Statement).toHaveLength(1);
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'page-a', StatementId: 'events-rule' }));
    await expect(
      lambda.send(new RemovePermissionCommand({ FunctionName: 'page-a', StatementId: 'events-rule' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('keeps wildcard SourceArn conditions as given', async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'page-b',
        StatementId: 'rule',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/*',
      }),
    );
    const doc = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'page-b' }))).Policy!);
    expect(doc.Statement[0].Condition).toEqual({
      ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/*' },
    });
  });

  it('tags functions by ARN', async () => {
    await lambda.send(new TagResourceCommand({ Resource: `${ARN}page-a`, Tags: { a: '1', b: '2' } }));
    await lambda.send(new UntagResourceCommand({ Resource: `${ARN}page-a`, TagKeys: ['a'] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: `${ARN}page-a` }))).Tags).toEqual({ b: '2' });
    await expect(lambda.send(new ListTagsCommand({ Resource: `${ARN}nope` }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('stores the event invoke configuration', async () => {
    await expect(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'page-a' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'page-a',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: bus } },
      }),
    );
    expect(put).toMatchObject({
      FunctionArn: `${ARN}page-a:$LATEST`,
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: bus } },
    });
    expect(put.LastModified).toBeInstanceOf(Date);
    await expect(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: 'page-a', MaximumRetryAttempts: 3 }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'page-a' }));
    expect(got.MaximumRetryAttempts).toBe(1);
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'page-a' }));
  });

  it('writes INIT_START / START / console / END / REPORT to the function log group, one stream per environment', async () => {
    await createFunction(lambda, role, 'logger', {
      'index.mjs':
        'console.log("init line"); export const handler = async (e) => { console.log("event", e); console.error("oops"); return 1; };',
    });
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', Payload: Buffer.from('{"k":1}') }),
    );
    const logs = new CloudWatchLogsClient(sb.clientConfig);
    // Lambda hands logs to CloudWatch Logs shortly after the invocation (as AWS, not synchronously).
    let lines: string[] = [];
    let name = '';
    for (let i = 0; i < 100 && lines.length < 7; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const streams = await logs
        .send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logger' }))
        .catch(() => ({ logStreams: [] }));
      if (streams.logStreams?.length !== 1) continue;
      name = streams.logStreams[0]!.logStreamName!;
      const events = await logs.send(
        new GetLogEventsCommand({
          logGroupName: '/aws/lambda/logger',
          logStreamName: name,
          startFromHead: true,
        }),
      );
      lines = events.events!.map((e) => e.message!);
    }
    expect(name).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    const id = out.$metadata.requestId!;
    expect(lines[0]).toMatch(
      /^INIT_START Runtime Version: nodejs:22\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/,
    );
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tundefined\tINFO\tinit line\n$/);
    expect(lines[2]).toBe(`START RequestId: ${id} Version: $LATEST\n`);
    expect(lines[3]).toMatch(new RegExp(`Z\\t${id}\\tINFO\\tevent { k: 1 }\\n$`));
    expect(lines[4]).toMatch(new RegExp(`Z\\t${id}\\tERROR\\toops\\n$`));
    expect(lines[5]).toBe(`END RequestId: ${id}\n`);
    expect(lines[6]).toMatch(/^REPORT RequestId: .*Init Duration: [\d.]+ ms/);
  });

  it('deletes a function and its environments', async () => {
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'logger' }));
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'logger' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(lambda.send(new DeleteFunctionCommand({ FunctionName: 'logger' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('keeps functions across a restart', async () => {
    await sb.restart();
    lambda = new LambdaClient(sb.clientConfig);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'life' }));
    expect(decode(out.Payload)).toBe('v2');
  });
});
