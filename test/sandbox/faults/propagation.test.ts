/**
 * The sandbox's eventually consistent parts under a profile, through the SDK: a new role is not
 * assumable by Lambda or Step Functions (AWS's own messages) and a changed policy is not in force
 * for the profile's seconds of sandbox clock; Lambda stays Pending for its seconds; a new rule or
 * target misses events until it settles. Each held-back answer is in the sandbox log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { profileFromJson } from '../../../src/sandbox/faults/index.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { LAMBDA_TRUST, createFunction, createRole, decode } from '../lambda/fixtures.js';

const STATES_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const PASS_MACHINE = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });

describe('eventual consistency under a fault profile', () => {
  let t: TestSandbox | undefined;
  const log: string[] = [];
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  /** A sandbox at `timeScale` whose profile has only the given delays (no request faults). */
  const start = async (delays: Record<string, number>, timeScale: number): Promise<TestSandbox> => {
    log.length = 0;
    t = await startTestSandbox({
      timeScale,
      faults: profileFromJson({ seed: 1, ...delays }, 'delays'),
      log: (l) => log.push(l),
    });
    return t;
  };
  /** Real time until the sandbox clock has moved `sandboxMs` past `from`. */
  const untilSandbox = async (sb: TestSandbox, from: number, sandboxMs: number): Promise<void> => {
    while (sb.sandbox.clock.now() < from + sandboxMs) await new Promise((r) => setTimeout(r, 10));
  };

  it('a new role cannot be assumed by Lambda until IAM has propagated it', async () => {
    // Windows of two real seconds: long enough that a loaded machine still asks inside them.
    const sb = await start({ iamPropagationSeconds: 60 }, 30);
    const iam = new IAMClient(sb.clientConfig);
    const lambda = new LambdaClient(sb.clientConfig);
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'fresh', AssumeRolePolicyDocument: LAMBDA_TRUST }),
    );
    const at = sb.sandbox.clock.now();
    const early = await errorOf(createFunction(lambda, created.Role!.Arn!, 'too-soon', { 'index.mjs': '' }));
    expect(early).toEqual({
      name: 'InvalidParameterValueException',
      message: 'The role defined for the function cannot be assumed by Lambda.',
      status: 400,
    });
    expect(
      log.some((l) =>
        l.startsWith('fault: IAM propagation: role fresh not yet assumable by lambda.amazonaws.com'),
      ),
    ).toBe(true);
    await untilSandbox(sb, at, 60_000);
    await createFunction(lambda, created.Role!.Arn!, 'in-time', {
      'index.mjs': 'export const handler = async () => 1;',
    });
  });

  it('nor by Step Functions, in its own words', async () => {
    // Windows of six real seconds; the client and the sandbox's definition validator are loaded
    // first (a first request can take seconds on a loaded machine), so the create asks in time.
    const sb = await start({ iamPropagationSeconds: 60 }, 10);
    const iam = new IAMClient(sb.clientConfig);
    const sfn = new SFNClient(sb.clientConfig);
    const checked = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS_MACHINE }));
    expect(checked.result).toBe('OK');
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'sfn-fresh', AssumeRolePolicyDocument: STATES_TRUST }),
    );
    const at = sb.sandbox.clock.now();
    const create = () =>
      sfn.send(
        new CreateStateMachineCommand({ name: 'm', definition: PASS_MACHINE, roleArn: role.Role!.Arn! }),
      );
    expect(await errorOf(create())).toEqual({
      name: 'AccessDeniedException',
      message:
        'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
      status: 400,
    });
    await untilSandbox(sb, at, 60_000);
    expect((await create()).stateMachineArn).toContain(':stateMachine:m');
  });

  it('nor by EventBridge delivering to a state machine with it', async () => {
    const sb = await start({ iamPropagationSeconds: 60 }, 30);
    const iam = new IAMClient(sb.clientConfig);
    const sfn = new SFNClient(sb.clientConfig);
    const events = new EventBridgeClient(sb.clientConfig);
    const machineRole = await iam.send(
      new CreateRoleCommand({ RoleName: 'machine', AssumeRolePolicyDocument: STATES_TRUST }),
    );
    await untilSandbox(sb, sb.sandbox.clock.now(), 60_000);
    const machine = await sfn.send(
      new CreateStateMachineCommand({ name: 'm', definition: PASS_MACHINE, roleArn: machineRole.Role!.Arn! }),
    );
    const eventsRole = await iam.send(
      new CreateRoleCommand({
        RoleName: 'starter',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'starter',
        PolicyName: 'start',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'states:StartExecution', Resource: machine.stateMachineArn },
          ],
        }),
      }),
    );
    const at = sb.sandbox.clock.now();
    await events.send(
      new PutRuleCommand({ Name: 'go', EventPattern: JSON.stringify({ source: ['course.test'] }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'go',
        Targets: [{ Id: 'm', Arn: machine.stateMachineArn, RoleArn: eventsRole.Role!.Arn! }],
      }),
    );
    const put = () =>
      events.send(
        new PutEventsCommand({ Entries: [{ Source: 'course.test', DetailType: 'x', Detail: '{}' }] }),
      );
    const executions = async () =>
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }))).executions ??
      [];
    await put();
    for (let i = 0; i < 100 && !log.some((l) => l.includes('failed to deliver')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(
      log.some((l) =>
        l.startsWith('fault: IAM propagation: role starter not yet assumable by events.amazonaws.com'),
      ),
    ).toBe(true);
    expect(await executions()).toHaveLength(0);
    await untilSandbox(sb, at, 60_000);
    await put();
    for (let i = 0; i < 200 && (await executions()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await executions()).toHaveLength(1);
  });

  it('a changed permission policy is not in force at once, either way', async () => {
    const sb = await start({ iamPropagationSeconds: 60 }, 30);
    const s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
    const iam = new IAMClient(sb.clientConfig);
    const lambda = new LambdaClient(sb.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'data' }));
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'raw/a.json', Body: '{}' }));
    const roleArn = await createRole(sb, 'reader');
    const readPolicy = (effect: 'Allow' | 'Deny') =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'reader',
          PolicyName: 'read',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: effect, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/raw/*' }],
          }),
        }),
      );
    await readPolicy('Allow');
    const settled = async (): Promise<void> => untilSandbox(sb, sb.sandbox.clock.now(), 60_000);
    await settled();
    await createFunction(lambda, roleArn, 'reader', {
      'index.mjs': `
        import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
        const s3 = new S3Client({ forcePathStyle: true, maxAttempts: 1 });
        export const handler = async () => {
          try { await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'raw/a.json' })); return 'read'; }
          catch (e) { return e.name; }
        };`,
    });
    await waitUntilFunctionActiveV2(
      { client: lambda, maxWaitTime: 30, minDelay: 0.1 },
      { FunctionName: 'reader' },
    );
    const read = async (): Promise<unknown> =>
      decode((await lambda.send(new InvokeCommand({ FunctionName: 'reader' }))).Payload);
    expect(await read()).toBe('read');

    await readPolicy('Deny');
    const denyAt = sb.sandbox.clock.now();
    expect(await read()).toBe('read');
    expect(
      log.some((l) => /role reader s3:GetObject on arn:aws:s3:::data\/raw\/a\.json still allowed/.test(l)),
    ).toBe(true);
    await untilSandbox(sb, denyAt, 60_000);
    expect(await read()).toBe('AccessDenied');

    await readPolicy('Allow');
    const allowAt = sb.sandbox.clock.now();
    expect(await read()).toBe('AccessDenied');
    await untilSandbox(sb, allowAt, 60_000);
    expect(await read()).toBe('read');
  });

  it('Lambda keeps a new function Pending for the profile seconds', async () => {
    const sb = await start({ lambdaPendingSeconds: 20 }, 10);
    const lambda = new LambdaClient(sb.clientConfig);
    const roleArn = await createRole(sb);
    await createFunction(lambda, roleArn, 'slow', { 'index.mjs': 'export const handler = async () => 1;' });
    const created = performance.now();
    const state = async () =>
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'slow' }))).State;
    expect(await state()).toBe('Pending');
    expect(await errorOf(lambda.send(new InvokeCommand({ FunctionName: 'slow' })))).toMatchObject({
      name: 'ResourceConflictException',
      status: 409,
    });
    while ((await state()) === 'Pending') await new Promise((r) => setTimeout(r, 20));
    // 20 sandbox seconds at time-scale 10: two real seconds.
    expect(performance.now() - created).toBeGreaterThanOrEqual(1900);
  });

  it('a new rule and a new target miss events until they settle', async () => {
    const sb = await start({ ruleDelaySeconds: 20 }, 10);
    const lambda = new LambdaClient(sb.clientConfig);
    const events = new EventBridgeClient(sb.clientConfig);
    const logs = new CloudWatchLogsClient(sb.clientConfig);
    const roleArn = await createRole(sb);
    await createFunction(lambda, roleArn, 'sink', {
      'index.mjs': 'export const handler = async (e) => { console.log("got", e.id); return 1; };',
    });
    const rule = await events.send(
      new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['course.test'] }) }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'sink',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: rule.RuleArn,
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [{ Id: 'sink', Arn: `arn:aws:lambda:us-east-1:000000000000:function:sink` }],
      }),
    );
    const putAt = sb.sandbox.clock.now();
    const put = async (): Promise<string> =>
      (
        await events.send(
          new PutEventsCommand({ Entries: [{ Source: 'course.test', DetailType: 'x', Detail: '{}' }] }),
        )
      ).Entries![0]!.EventId!;
    const missed = await put();
    expect(log.some((l) => l.startsWith(`fault: rule orders missed event ${missed}`))).toBe(true);
    await untilSandbox(sb, putAt, 20_000);
    const delivered = await put();
    let messages: string[] = [];
    for (let i = 0; i < 200 && !messages.some((m) => m.includes(delivered)); i++) {
      await new Promise((r) => setTimeout(r, 25));
      const out = await logs
        .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/sink' }))
        .catch(() => ({ events: [] }));
      messages = (out.events ?? []).map((e) => e.message ?? '');
    }
    expect(messages.some((m) => m.includes(`got ${delivered}`))).toBe(true);
    expect(messages.some((m) => m.includes(missed))).toBe(false);
  });
});
