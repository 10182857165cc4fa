/**
 * Lambda fidelity through @aws-sdk/client-lambda (and the AWS CLI v2 where it has the command):
 * LoggingConfig (JSON records as AWS writes them, level filtering, a custom log group, and
 * `{ $.level = "ERROR" }` finding the errors), the Pending / InProgress windows, ListFunctions'
 * subset, AWS-format RuntimeVersionArn, and stack traces that say `/var/task`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { awsCliJson } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { createRole, decode, zipOf } from './fixtures.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Real ms a function stays Pending / InProgress here: long enough to act inside the window. */
const WINDOW_MS = 1500;
const WAIT = { minDelay: 0.1, maxDelay: 0.2, maxWaitTime: 20 };

let sb: TestSandbox;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let role: string;

beforeAll(async () => {
  sb = await startTestSandbox({ lambdaTransitionMs: WINDOW_MS });
  lambda = new LambdaClient(sb.clientConfig);
  logs = new CloudWatchLogsClient(sb.clientConfig);
  role = await createRole(sb);
});
afterAll(() => sb?.stop());

async function create(name: string, code: string, more: Record<string, unknown> = {}): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.mjs': code }) },
      ...more,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, ...WAIT }, { FunctionName: name });
}

/** Every event of a group (all streams), once at least `count` are there. */
async function groupMessages(group: string, count: number, filterPattern?: string): Promise<string[]> {
  let messages: string[] = [];
  for (let i = 0; i < 100; i++) {
    const out = await logs
      .send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))
      .catch(() => ({ events: [] }));
    messages = (out.events ?? []).map((e) => e.message!.trimEnd());
    if (messages.length >= count) return messages;
    await new Promise((r) => setTimeout(r, 50));
  }
  return messages;
}

describe('LoggingConfig', () => {
  it('writes JSON records as AWS does, filtered by level, to a custom log group', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/course/json-logs' }));
    await create(
      'json-logger',
      `export const handler = async () => {
        console.debug('too detailed');
        console.info('also below WARN');
        console.warn('disk %d%% full', 91);
        console.error(new Error('boom'));
        console.log({ shown: false });
        return 'ok';
      };`,
      {
        LoggingConfig: {
          LogFormat: 'JSON',
          ApplicationLogLevel: 'WARN',
          SystemLogLevel: 'INFO',
          LogGroup: '/course/json-logs',
        },
      },
    );
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'json-logger' }));
    expect(config.LoggingConfig).toEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'WARN',
      SystemLogLevel: 'INFO',
      LogGroup: '/course/json-logs',
    });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'json-logger' }));
    const id = out.$metadata.requestId!;
    const records = (await groupMessages('/course/json-logs', 5)).map(
      (m) => JSON.parse(m) as Record<string, any>,
    );
    expect(records.map((r) => r.type ?? r.level)).toEqual([
      'platform.initStart',
      'platform.start',
      'WARN',
      'ERROR',
      'platform.report',
    ]);
    const [initStart, start, warn, error, report] = records;
    expect(initStart!.record).toMatchObject({
      initializationType: 'on-demand',
      phase: 'init',
      runtimeVersion: expect.stringMatching(/^nodejs:22\.v\d+$/),
      runtimeVersionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/),
      functionName: 'json-logger',
      functionVersion: '$LATEST',
      instanceMaxMemory: 128 * 1024 * 1024,
    });
    expect(start).toEqual({
      time: expect.any(String),
      type: 'platform.start',
      record: {
        requestId: id,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:json-logger',
        version: '$LATEST',
      },
    });
    expect(Object.keys(warn!)).toEqual(['timestamp', 'level', 'requestId', 'message']);
    expect(warn).toMatchObject({ level: 'WARN', requestId: id, message: 'disk 91% full' });
    expect(error).toMatchObject({
      level: 'ERROR',
      requestId: id,
      message: {
        errorType: 'Error',
        errorMessage: 'boom',
        stackTrace: expect.arrayContaining(['Error: boom']),
      },
    });
    expect((error!.message.stackTrace as string[]).join('\n')).toContain('file:///var/task/index.mjs');
    expect(report).toMatchObject({
      type: 'platform.report',
      record: {
        requestId: id,
        metrics: { memorySizeMB: 128, durationMs: expect.any(Number), billedDurationMs: expect.any(Number) },
        status: 'success',
      },
    });
    // The pattern every error alarm starts from.
    const errors = await groupMessages('/course/json-logs', 1, '{ $.level = "ERROR" }');
    expect(errors.map((m) => (JSON.parse(m) as { level: string }).level)).toEqual(['ERROR']);
  });

  it('logs an unhandled error as a JSON ERROR record and reports status error; WARN system level drops platform records', async () => {
    await create(
      'json-thrower',
      'export const handler = async () => { throw new TypeError("bad input"); };',
      {
        LoggingConfig: { LogFormat: 'JSON' },
      },
    );
    expect(
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'json-thrower' })))
        .LoggingConfig,
    ).toEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/json-thrower',
    });
    await lambda.send(new InvokeCommand({ FunctionName: 'json-thrower' }));
    const records = (await groupMessages('/aws/lambda/json-thrower', 4)).map(
      (m) => JSON.parse(m) as Record<string, any>,
    );
    expect(records.find((r) => r.level === 'ERROR')).toMatchObject({
      message: { errorType: 'TypeError', errorMessage: 'bad input' },
    });
    expect(records.find((r) => r.type === 'platform.report')?.record.status).toBe('error');

    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'json-thrower',
        LoggingConfig: { SystemLogLevel: 'WARN' },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, ...WAIT }, { FunctionName: 'json-thrower' });
    const before = records.length;
    await lambda.send(new InvokeCommand({ FunctionName: 'json-thrower' }));
    const after = (await groupMessages('/aws/lambda/json-thrower', before + 1)).slice(before);
    expect(after.map((m) => (JSON.parse(m) as Record<string, any>).type)).toEqual([undefined]);
  });

  it('refuses log levels with the Text format, in Lambda’s words', async () => {
    expect(
      await errorOf(
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'text-levels',
            Runtime: 'nodejs22.x',
            Role: role,
            Handler: 'index.handler',
            Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => 1;' }) },
            LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'ERROR' },
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message:
        'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "Json" and try again.',
    });
  });
});

describe('function states', () => {
  it('is Pending after CreateFunction: invocations and updates are refused until it is Active', async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fresh',
        Runtime: 'nodejs22.x',
        Role: role,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "v1";' }) },
      }),
    );
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'fresh' }));
    expect(got.Configuration).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    const refused =
      'The operation cannot be performed at this time. The function is currently in the following state: Pending';
    expect(await errorOf(lambda.send(new InvokeCommand({ FunctionName: 'fresh' })))).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: refused,
    });
    expect(
      await errorOf(
        lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fresh', Timeout: 5 })),
      ),
    ).toMatchObject({ name: 'ResourceConflictException', message: refused });
    await waitUntilFunctionActiveV2({ client: lambda, ...WAIT }, { FunctionName: 'fresh' });
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'fresh' }))).Payload)).toBe('v1');
  });

  it('is InProgress after an update: invocations run the previous code, another update is refused', async () => {
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'fresh',
        ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "v2";' }),
      }),
    );
    const got = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fresh' }));
    expect(got).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReasonCode: 'InProgress',
    });
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'fresh' }))).Payload)).toBe('v1');
    expect(
      await errorOf(
        lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fresh', Timeout: 5 })),
      ),
    ).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message:
        'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:fresh',
    });
    await waitUntilFunctionUpdatedV2({ client: lambda, ...WAIT }, { FunctionName: 'fresh' });
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'fresh' }))).Payload)).toBe('v2');
  });
});

describe('configuration views', () => {
  it('ListFunctions returns AWS’s subset; GetFunction the rest, with an AWS-format RuntimeVersionArn', async () => {
    const listed = await lambda.send(new ListFunctionsCommand({}));
    const fresh = listed.Functions!.find((f) => f.FunctionName === 'fresh')! as Record<string, unknown>;
    for (const member of [
      'State',
      'StateReason',
      'StateReasonCode',
      'LastUpdateStatus',
      'LastUpdateStatusReason',
      'LastUpdateStatusReasonCode',
      'RuntimeVersionConfig',
    ])
      expect(fresh, member).not.toHaveProperty(member);
    expect(fresh).toMatchObject({
      FunctionName: 'fresh',
      Runtime: 'nodejs22.x',
      LoggingConfig: { LogFormat: 'Text' },
    });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'fresh' }));
    expect(got.Configuration!.RuntimeVersionConfig!.RuntimeVersionArn).toMatch(
      /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/,
    );
    expect(got.Configuration!.State).toBe('Active');
  });

  it('the AWS CLI v2 sees the same subset', { timeout: 60_000 }, async () => {
    requireTool(AWS_CLI, 'awscli');
    const listed = await awsCliJson(sb, ['lambda', 'list-functions']);
    const fresh = (listed.Functions as Array<Record<string, unknown>>).find(
      (f) => f.FunctionName === 'fresh',
    )!;
    expect(fresh).not.toHaveProperty('State');
    expect(fresh).not.toHaveProperty('LastUpdateStatus');
    const got = await awsCliJson(sb, ['lambda', 'get-function-configuration', '--function-name', 'fresh']);
    expect(got).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
  });
});

describe('paths a handler sees', () => {
  it('shows /var/task and /var/runtime in stack traces and errors, never the real folders', async () => {
    await create(
      'tracer',
      `import { S3Client, HeadBucketCommand } from '@aws-sdk/client-s3';
       export const handler = async (e) => {
         if (e.sdk) await new S3Client({}).send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }));
         const err = new Error('trace me');
         console.error(err);
         throw err;
       };`,
    );
    for (const payload of ['{}', '{"sdk":true}']) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'tracer', Payload: Buffer.from(payload), LogType: 'Tail' }),
      );
      const doc = decode(out.Payload) as { errorMessage: string; trace: string[] };
      const text = JSON.stringify(doc) + Buffer.from(out.LogResult!, 'base64').toString('utf8');
      expect(text).not.toContain(sb.stateDir);
      expect(text).not.toContain(PACKAGE_ROOT);
      if (payload === '{}') expect(doc.trace.join('\n')).toContain('(file:///var/task/index.mjs:');
      else expect(doc.trace.join('\n')).toContain('/var/runtime/node_modules/@aws-sdk/');
    }
    await create('missing-dep', "import 'not-installed-anywhere'; export const handler = async () => 1;");
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'missing-dep' }));
    const doc = decode(out.Payload) as { errorType: string; errorMessage: string };
    expect(doc.errorType).toBe('Runtime.ImportModuleError');
    expect(doc.errorMessage).not.toContain(sb.stateDir);
    expect(doc.errorMessage).toContain('/var/task/index.mjs');
  });
});
