/**
 * Work the sandbox does in the background — async invokes, their destinations, schedules, rule
 * targets, executions — meets a hostile request: the sandbox process (a real `sandbox start`, so an
 * unhandled rejection would kill it) survives, says what failed in its log, and keeps answering.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  waitUntilFunctionActiveV2,
  InvokeCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { makeTempDir } from '../../helpers/sandbox.js';
import { startSandboxProcess, type SandboxProcess } from '../../helpers/sandboxProcess.js';
import { zipOf } from '../lambda/fixtures.js';

/** 100 KB of JSON nested 50,000 deep: it parses, but nothing recursive survives it. */
const DEEP = '['.repeat(50_000) + ']'.repeat(50_000);
const ACCOUNT = '000000000000';

async function eventually(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const TRUST = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

describe('background work meets hostile requests', () => {
  let home: string;
  let sb: SandboxProcess;
  let roleArn: string;
  let lambda: LambdaClient;

  beforeAll(async () => {
    home = makeTempDir('course-cli-background-');
    sb = await startSandboxProcess(home);
    const iam = new IAMClient(sb.config);
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'bg-role', AssumeRolePolicyDocument: TRUST('lambda.amazonaws.com') }),
    );
    roleArn = role.Role!.Arn!;
    lambda = new LambdaClient(sb.config);
    for (const name of ['bg-echo', 'bg-sink']) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Role: roleArn,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "ok";' }) },
        }),
      );
      // A new function is Pending for a moment, as on AWS; invoke it once it is Active.
      await waitUntilFunctionActiveV2(
        { client: lambda, maxWaitTime: 30, minDelay: 0.2 },
        { FunctionName: name },
      );
    }
  }, 60_000);

  afterAll(async () => {
    if (sb?.child.exitCode === null) {
      sb.child.kill('SIGINT');
      await new Promise((r) => sb.child.once('exit', r));
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  const alive = async (): Promise<void> => {
    expect(sb.child.exitCode, sb.log()).toBeNull();
    const who = await new STSClient(sb.config).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(ACCOUNT);
  };

  it('async invoke with a Lambda destination: a payload too deep to serialise is logged, not fatal', async () => {
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'bg-echo',
        DestinationConfig: {
          OnSuccess: { Destination: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:bg-sink` },
        },
      }),
    );
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'bg-echo', InvocationType: 'Event', Payload: Buffer.from(DEEP) }),
    );
    expect(out.StatusCode).toBe(202);
    await eventually('the log line', () =>
      /lambda (async invocation|destination) .* failed: RangeError/.test(sb.log()),
    );
    await alive();
  }, 60_000);

  it('async invoke with an EventBridge destination and a rule on it: the same payload is logged, not fatal', async () => {
    // A rule that routes the destination's record on to a function must serialise it.
    const events = new EventBridgeClient(sb.config);
    await events.send(new PutRuleCommand({ Name: 'bg-destinations', EventPattern: '{"source":["lambda"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'bg-destinations',
        Targets: [{ Id: 'echo', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:bg-echo` }],
      }),
    );
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'bg-sink',
        DestinationConfig: {
          OnSuccess: { Destination: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` },
        },
      }),
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: 'bg-sink', InvocationType: 'Event', Payload: Buffer.from(DEEP) }),
    );
    await eventually('the log line', () => /events: publishing lambda event failed/.test(sb.log()));
    await alive();
  }, 60_000);

  it('a schedule whose target is gone: the failed delivery is logged, not fatal', async () => {
    const events = new EventBridgeClient(sb.config);
    await events.send(new PutRuleCommand({ Name: 'bg-schedule', ScheduleExpression: 'rate(1 minute)' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'bg-schedule',
        Targets: [{ Id: 'gone', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:never-created` }],
      }),
    );
    // At time-scale 600 a minute passes in 0.1 s; retries back off quickly on the sandbox clock.
    await eventually(
      'the failed delivery',
      () => /bg-schedule.*never-created|never-created.*bg-schedule/.test(sb.log()),
      40_000,
    );
    await alive();
  }, 60_000);

  it('rule targets: an event nested deeper than PutEvents processes is refused per entry, not fatal', async () => {
    const events = new EventBridgeClient(sb.config);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'bg-sink',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
      }),
    );
    await events.send(new PutRuleCommand({ Name: 'bg-rule', EventPattern: '{"source":["bg.test"]}' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'bg-rule',
        Targets: [{ Id: 'sink', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:bg-sink` }],
      }),
    );
    // Nested beyond what PutEvents processes (1,100 levels): refused per entry, as AWS does.
    const tooDeep = JSON.stringify({ a: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown });
    const refused = await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'bg.test', DetailType: 't', Detail: tooDeep }] }),
    );
    expect(refused.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');
    const ok = await events.send(
      new PutEventsCommand({ Entries: [{ Source: 'bg.test', DetailType: 't', Detail: '{"x":1}' }] }),
    );
    expect(ok.FailedEntryCount).toBe(0);
    await alive();
  }, 60_000);

  it('an execution with input too deep for the interpreter ends FAILED and is logged, not fatal', async () => {
    const iam = new IAMClient(sb.config);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'bg-states',
        AssumeRolePolicyDocument: TRUST('states.amazonaws.com'),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'bg-states',
        PolicyName: 'all',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    const sfn = new SFNClient(sb.config);
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'bg-machine',
        roleArn: role.Role!.Arn!,
        definition: JSON.stringify({
          StartAt: 'Copy',
          States: { Copy: { Type: 'Pass', Parameters: { 'deep.$': '$' }, End: true } },
        }),
      }),
    );
    await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: DEEP }));
    await eventually('the execution to end', () =>
      /stepfunctions: .*(RangeError|Maximum call stack)/s.test(sb.log()),
    );
    await alive();
  }, 60_000);

  it('the state directory holds the sandbox’s files only', () => {
    expect(fs.readdirSync(home).sort()).toEqual(expect.arrayContaining(['sandbox']));
    expect(fs.existsSync(path.join(home, 'sandbox', 'sandbox.lock'))).toBe(true);
  });
});
