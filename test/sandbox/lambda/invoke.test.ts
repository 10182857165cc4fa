import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { createFunction, createRole, decode } from './fixtures.js';

let sb: TestSandbox;
let lambda: LambdaClient;
let role: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  lambda = new LambdaClient(sb.clientConfig);
  role = await createRole(sb);
});
afterAll(async () => {
  await sb?.stop();
});

const invoke = (name: string, payload: unknown = {}, more: Record<string, unknown> = {}) =>
  lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...more }),
  );

describe('Invoke', () => {
  it('runs an ESM handler with its event, context and environment', async () => {
    await createFunction(
      lambda,
      role,
      'echo',
      {
        'index.mjs': `
          export const handler = async (event, context) => ({
            event,
            pid: process.pid,
            fn: context.functionName,
            arn: context.invokedFunctionArn,
            requestId: context.awsRequestId,
            remaining: context.getRemainingTimeInMillis(),
            memory: context.memoryLimitInMB,
            group: context.logGroupName,
            stream: context.logStreamName,
            env: {
              GREETING: process.env.GREETING,
              AWS_REGION: process.env.AWS_REGION,
              AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION,
              AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME,
              AWS_LAMBDA_FUNCTION_MEMORY_SIZE: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
              AWS_LAMBDA_FUNCTION_VERSION: process.env.AWS_LAMBDA_FUNCTION_VERSION,
              AWS_LAMBDA_LOG_GROUP_NAME: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
              AWS_LAMBDA_LOG_STREAM_NAME: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
              LAMBDA_TASK_ROOT: process.env.LAMBDA_TASK_ROOT,
              AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
              AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
              cwd: process.cwd(),
            },
          });`,
      },
      { Environment: { Variables: { GREETING: 'hi' } }, MemorySize: 256 },
    );
    const out = await invoke('echo', { a: 1 });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = decode(out.Payload) as Record<string, any>;
    expect(body.event).toEqual({ a: 1 });
    expect(body.fn).toBe('echo');
    expect(body.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
    expect(body.requestId).toBe(out.$metadata.requestId);
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(3000);
    expect(body.memory).toBe('256');
    expect(body.group).toBe('/aws/lambda/echo');
    expect(body.stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.env).toMatchObject({
      GREETING: 'hi',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/echo',
      AWS_LAMBDA_LOG_STREAM_NAME: body.stream,
      AWS_ENDPOINT_URL: sb.sandbox.endpoint,
      // The execution role's session credentials, never the sandbox's root key.
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
    });
    expect(body.env.LAMBDA_TASK_ROOT).toBe(body.env.cwd);
    expect(body.pid).not.toBe(process.pid);
  });

  it('reuses a warm environment, and starts a fresh one after a configuration update', async () => {
    const pid = async () => (decode((await invoke('echo')).Payload) as { pid: number }).pid;
    const first = await pid();
    expect(await pid()).toBe(first);
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'echo',
        Environment: { Variables: { GREETING: 'hello' } },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'echo' });
    const out = decode((await invoke('echo')).Payload) as { pid: number; env: { GREETING: string } };
    expect(out.env.GREETING).toBe('hello');
    expect(out.pid).not.toBe(first);
  });

  it('runs CommonJS and callback-style handlers', async () => {
    await createFunction(
      lambda,
      role,
      'cjs',
      {
        'app.js': `exports.main = (event, context, callback) => { setTimeout(() => callback(null, { got: event.x }), 5); };`,
      },
      { Handler: 'app.main' },
    );
    const out = await invoke('cjs', { x: 42 });
    expect(decode(out.Payload)).toEqual({ got: 42 });
  });

  it('returns the error document with X-Amz-Function-Error when the handler throws', async () => {
    await createFunction(lambda, role, 'thrower', {
      'index.mjs': `
        class OrderError extends Error { constructor(m) { super(m); this.name = 'OrderError'; } }
        export const handler = async () => { console.log('about to fail'); throw new OrderError('no orders'); };`,
    });
    const out = await invoke('thrower', {}, { LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(err.errorType).toBe('OrderError');
    expect(err.errorMessage).toBe('no orders');
    expect(err.trace[0]).toBe('OrderError: no orders');
    const tail = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    expect(tail).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST/);
    expect(tail).toMatch(/\tINFO\tabout to fail/);
    expect(tail).toMatch(
      /\tERROR\tInvoke Error \t\{"errorType":"OrderError","errorMessage":"no orders","stack":\[/,
    );
    expect(tail).toMatch(/END RequestId: /);
    expect(tail).toMatch(
      /REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/,
    );
  });

  it('kills a handler that outlives its timeout', async () => {
    await createFunction(
      lambda,
      role,
      'sleeper',
      {
        'index.mjs': `export const handler = () => new Promise(() => setInterval(() => {}, 1000));`,
      },
      { Timeout: 1 },
    );
    const out = await invoke('sleeper');
    expect(out.FunctionError).toBe('Unhandled');
    const err = decode(out.Payload) as { errorType: string; errorMessage: string };
    expect(err.errorType).toBe('Sandbox.Timedout');
    expect(err.errorMessage).toMatch(/^RequestId: [0-9a-f-]+ Error: Task timed out after 1\.\d\d seconds$/);
    // The environment was killed; the next call starts fresh and times out again rather than hanging.
    const again = await invoke('sleeper');
    expect((decode(again.Payload) as { errorType: string }).errorType).toBe('Sandbox.Timedout');
  });

  it('contains process.exit and uncaught exceptions, and stays usable afterwards', async () => {
    await createFunction(lambda, role, 'exiter', {
      'index.mjs': `export const handler = async (e) => {
        if (e.exit) process.exit(3);
        if (e.uncaught) { setTimeout(() => { throw new TypeError('late'); }, 1); return new Promise(() => {}); }
        return 'fine';
      };`,
    });
    const exited = await invoke('exiter', { exit: true });
    expect(exited.FunctionError).toBe('Unhandled');
    expect(decode(exited.Payload)).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/Error: Runtime exited with error: exit status 3$/),
    });
    const uncaught = await invoke('exiter', { uncaught: true });
    expect(decode(uncaught.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'late' });
    expect(decode((await invoke('exiter')).Payload)).toBe('fine');
  });

  it('keeps the sandbox healthy when a handler prints megabytes', async () => {
    await createFunction(lambda, role, 'chatty', {
      'index.mjs': `export const handler = async () => {
        const line = 'x'.repeat(1024);
        for (let i = 0; i < 4096; i++) console.log(line);
        process.stdout.write('y'.repeat(1024 * 1024) + '\\n');
        return { done: true };
      };`,
    });
    const out = await invoke('chatty', {}, { LogType: 'Tail' });
    expect(decode(out.Payload)).toEqual({ done: true });
    const tail = Buffer.from(out.LogResult!, 'base64');
    expect(tail.length).toBeLessThanOrEqual(4096);
    expect(tail.toString()).toMatch(/REPORT RequestId/);
  });

  it('reports a missing handler module or export as AWS does', async () => {
    await createFunction(lambda, role, 'nohandler', { 'index.mjs': 'export const other = 1;' });
    const out = await invoke('nohandler');
    expect(decode(out.Payload)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
    await createFunction(lambda, role, 'nomodule', { 'other.mjs': 'export const handler = 1;' });
    expect(decode((await invoke('nomodule')).Payload)).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
    });
  });

  it('supports Event (202) and DryRun (204), and rejects oversize or invalid payloads', async () => {
    const ev = await invoke('echo', {}, { InvocationType: 'Event' });
    expect(ev.StatusCode).toBe(202);
    const dry = await invoke('echo', {}, { InvocationType: 'DryRun' });
    expect(dry.StatusCode).toBe(204);
    // AWS raised the Event payload limit to 1 MB; beyond it Lambda answers 413.
    const big = { s: 'x'.repeat(1100 * 1024) };
    await expect(invoke('echo', big, { InvocationType: 'Event' })).rejects.toMatchObject({
      name: 'RequestTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{nope') })),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    await expect(invoke('missing')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    });
  });

  it('lets a handler use @aws-sdk/client-s3 against the sandbox', async () => {
    // The handler runs as its role: the role must allow what the handler does, as on AWS.
    const s3Role = await createRole(sb, 's3-writer');
    await new IAMClient(sb.clientConfig).send(
      new PutRolePolicyCommand({
        RoleName: 's3-writer',
        PolicyName: 'from-lambda-bucket',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:CreateBucket', Resource: 'arn:aws:s3:::from-lambda' },
            {
              Effect: 'Allow',
              Action: ['s3:PutObject', 's3:GetObject'],
              Resource: 'arn:aws:s3:::from-lambda/*',
            },
          ],
        }),
      }),
    );
    await createFunction(
      lambda,
      s3Role,
      's3user',
      {
        'index.mjs': `
        import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
        const s3 = new S3Client({});
        export const handler = async () => {
          await s3.send(new CreateBucketCommand({ Bucket: 'from-lambda' }));
          await s3.send(new PutObjectCommand({ Bucket: 'from-lambda', Key: 'k.txt', Body: 'written by a handler' }));
          const got = await s3.send(new GetObjectCommand({ Bucket: 'from-lambda', Key: 'k.txt' }));
          return await got.Body.transformToString();
        };`,
      },
      { Timeout: 30 },
    );
    const out = await invoke('s3user');
    expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
    expect(decode(out.Payload)).toBe('written by a handler');
  });

  it('gives concurrent invocations their own environments, and DeleteFunction ends them', async () => {
    await createFunction(lambda, role, 'parallel', {
      'index.mjs':
        'export const handler = async () => { await new Promise((r) => setTimeout(r, 400)); return process.pid; };',
    });
    const pids = (await Promise.all([1, 2, 3].map(() => invoke('parallel')))).map(
      (o) => decode(o.Payload) as number,
    );
    expect(new Set(pids).size).toBe(3);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.every(alive)).toBe(true);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'parallel' }));
    expect(pids.some(alive)).toBe(false);
  });
});
