/**
 * EventBridge end to end with the real sandbox services: schedules and PutEvents reaching Lambda
 * handlers (with and without the function's resource policy), Step Functions targets with a role,
 * S3 EventBridge notifications, and the AWS CLI v2.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  DisableRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
  DescribeExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

const run = promisify(execFile);
let t: TestSandbox;
let eb: EventBridgeClient;
let lambda: LambdaClient;
let iam: IAMClient;
const outDir = makeTempDir('eb-e2e-out-');

const trust = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

const recorderCode = `
const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT_FILE, JSON.stringify(event) + '\\n');
  return 'ok';
};`;

/** A function that appends every event it receives to a file we can read. */
async function recorder(
  name: string,
): Promise<{ arn: string; events: () => Array<Record<string, unknown>> }> {
  const file = path.join(outDir, `${name}.jsonl`);
  const role = 'arn:aws:iam::000000000000:role/eb-e2e-lambda';
  const out = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.js': strToU8(recorderCode) }) },
      Environment: { Variables: { OUT_FILE: file } },
    }),
  );
  const events = (): Array<Record<string, unknown>> =>
    fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  return { arn: out.FunctionArn!, events };
}

async function allow(fnName: string, ruleArn: string): Promise<void> {
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: fnName,
      StatementId: `eb-${fnName}`,
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: ruleArn,
    }),
  );
}

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestSandbox({ timeScale: 60 });
  eb = new EventBridgeClient(t.clientConfig);
  lambda = new LambdaClient(t.clientConfig);
  iam = new IAMClient(t.clientConfig);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'eb-e2e-lambda',
      AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
    }),
  );
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('EventBridge with the real services', () => {
  it('rate(1 minute) at time-scale 60 invokes a permitted Lambda about once a second with a Scheduled Event', async () => {
    const fn = await recorder('eb-tick');
    const { RuleArn } = await eb.send(
      new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' }),
    );
    await allow('eb-tick', RuleArn!);
    await eb.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
    await until(() => fn.events().length >= 2);
    await eb.send(new DisableRuleCommand({ Name: 'tick' }));
    const [first, second] = fn.events();
    expect(first).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: [RuleArn],
      detail: {},
    });
    expect(Date.parse(second!.time as string) - Date.parse(first!.time as string)).toBe(60_000);
  }, 60_000);

  it('PutEvents reaches a Lambda whose policy allows the rule, and not one without permission', async () => {
    const allowed = await recorder('eb-allowed');
    const denied = await recorder('eb-denied');
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 'orders',
        EventPattern: '{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}',
      }),
    );
    await allow('eb-allowed', RuleArn!);
    await eb.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [
          { Id: 'allowed', Arn: allowed.arn },
          { Id: 'denied', Arn: denied.arn },
        ],
      }),
    );
    await eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order', Detail: '{"total":50}' }] }),
    );
    const put = await eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order', Detail: '{"total":150}' }] }),
    );
    await until(() => allowed.events().length === 1);
    expect(allowed.events()[0]).toMatchObject({ id: put.Entries![0]!.EventId, detail: { total: 150 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(denied.events()).toHaveLength(0);
  }, 60_000);

  it('a rule starts a Step Functions execution with a role that trusts events.amazonaws.com', async () => {
    const sfn = new SFNClient(t.clientConfig);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'eb-e2e-sfn',
        AssumeRolePolicyDocument: trust('states.amazonaws.com'),
      }),
    );
    const eventsRole = await iam.send(
      new CreateRoleCommand({
        RoleName: 'eb-e2e-events',
        AssumeRolePolicyDocument: trust('events.amazonaws.com'),
      }),
    );
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'eb-sm',
        roleArn: 'arn:aws:iam::000000000000:role/eb-e2e-sfn',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
      }),
    );
    // EventBridge starts the execution with the target's role, which AWS requires to allow it.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'eb-e2e-events',
        PolicyName: 'start-eb-sm',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: sm.stateMachineArn }],
        }),
      }),
    );
    await eb.send(new PutRuleCommand({ Name: 'to-sfn', EventPattern: '{"source":["pipeline"]}' }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'to-sfn',
        Targets: [
          { Id: 'sm', Arn: sm.stateMachineArn, RoleArn: eventsRole.Role!.Arn, InputPath: '$.detail' },
        ],
      }),
    );
    await eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'pipeline', DetailType: 'go', Detail: '{"hour":"03"}' }] }),
    );
    let executionArn: string | undefined;
    await until(async () => {
      const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
      executionArn = list.executions?.[0]?.executionArn;
      return executionArn !== undefined;
    });
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(d.input!)).toEqual({ hour: '03' });
  }, 60_000);

  it('S3 PutObject with EventBridge notifications → rule on detail.object.key prefix → Lambda', async () => {
    const fn = await recorder('eb-s3');
    const s3 = new S3Client({ ...t.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'eb-e2e-bucket' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'eb-e2e-bucket',
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 's3-incoming',
        EventPattern: JSON.stringify({
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: ['eb-e2e-bucket'] }, object: { key: [{ prefix: 'incoming/' }] } },
        }),
      }),
    );
    await allow('eb-s3', RuleArn!);
    await eb.send(new PutTargetsCommand({ Rule: 's3-incoming', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
    await s3.send(new PutObjectCommand({ Bucket: 'eb-e2e-bucket', Key: 'other/x.csv', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'eb-e2e-bucket', Key: 'incoming/a.csv', Body: 'a,b' }));
    await until(() => fn.events().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fn.events()).toHaveLength(1);
    expect(fn.events()[0]).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { object: { key: 'incoming/a.csv' } },
    });
  }, 60_000);

  it('AWS CLI v2: put-rule, list-rules, put-events', async () => {
    const aws = (...args: string[]) =>
      run('/usr/bin/aws', ['--endpoint-url', t.sandbox.endpoint, '--output', 'json', 'events', ...args], {
        env: t.cliEnv,
      });
    const put = JSON.parse(
      (await aws('put-rule', '--name', 'cli-rule', '--event-pattern', '{"source":["cli.app"]}')).stdout,
    );
    expect(put.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/cli-rule');
    const list = JSON.parse((await aws('list-rules', '--name-prefix', 'cli-')).stdout);
    expect(list.Rules.map((r: { Name: string }) => r.Name)).toEqual(['cli-rule']);
    const entries = JSON.stringify([{ Source: 'cli.app', DetailType: 'x', Detail: '{"a":1}' }]);
    const events = JSON.parse((await aws('put-events', '--entries', entries)).stdout);
    expect(events.FailedEntryCount).toBe(0);
    expect(events.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await aws('put-rule', '--name', 'cli-bad', '--schedule-expression', 'rate(1 minutes)').catch(
      (e: { stderr: string }) => e,
    );
    expect((bad as { stderr: string }).stderr).toMatch(
      /ValidationException.*Parameter ScheduleExpression is not valid/,
    );
  }, 60_000);
});
