/**
 * Logging to a log group needs the state machine's role to set up vended-log delivery, as on AWS:
 * `logs:CreateLogDelivery`, plus the resource-policy actions while no CloudWatch Logs resource
 * policy lets delivery write into the group (AWS then adds the group to AWSLogDeliveryWrite20150319).
 * Without them CreateStateMachine / UpdateStateMachine fail with AWS's AccessDeniedException.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
  type LoggingConfiguration,
} from '@aws-sdk/client-sfn';
import { awsCli } from '../../helpers/awsCli.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { allowLogDelivery, createRole, waitForExecution } from './fixtures.js';

const DENIED = {
  name: 'AccessDeniedException',
  message: 'The state machine IAM Role is not authorized to access the Log Destination',
  status: 400,
};
const passDef = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

let sb: TestSandbox;
let sfn: SFNClient;
let logs: CloudWatchLogsClient;

const groupArn = (group: string): string => `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`;
const logTo = (group: string, level: LoggingConfiguration['level'] = 'ALL'): LoggingConfiguration => ({
  level,
  includeExecutionData: true,
  destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: groupArn(group) } }],
});
const create = (name: string, roleArn: string, loggingConfiguration?: LoggingConfiguration) =>
  sfn.send(new CreateStateMachineCommand({ name, definition: passDef, roleArn, loggingConfiguration }));
const deliveryPolicy = async (): Promise<{ Resource: string[] } | undefined> => {
  const out = await logs.send(new DescribeResourcePoliciesCommand({}));
  const p = out.resourcePolicies?.find((r) => r.policyName === 'AWSLogDeliveryWrite20150319');
  return p
    ? (JSON.parse(p.policyDocument!) as { Statement: Array<{ Resource: string[] }> }).Statement[0]
    : undefined;
};
const names = async (): Promise<string[]> =>
  ((await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []).map((s) => s.name!);

beforeAll(async () => {
  sb = await startTestSandbox({ timeScale: 100 });
  sfn = new SFNClient(sb.clientConfig);
  logs = new CloudWatchLogsClient(sb.clientConfig);
  for (const g of ['/app/orders', '/app/other', '/aws/vendedlogs/states/a', '/aws/vendedlogs/states/b']) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  }
});
afterAll(async () => {
  await sb?.stop();
});

describe('log-delivery permission check', () => {
  it('refuses a role without the logs delivery permissions, and creates nothing', async () => {
    const role = await createRole(sb, 'no-logging-role');
    expect(await errorOf(create('sm-denied', role, logTo('/app/orders')))).toEqual(DENIED);
    expect(await names()).not.toContain('sm-denied');
    // Logging OFF needs no delivery, so the same role is fine without it.
    await create('sm-unlogged', role, { level: 'OFF' });
  });

  it('refuses CreateLogDelivery alone while no resource policy covers the group', async () => {
    const role = await createRole(sb, 'delivery-only-role');
    await allowLogDelivery(sb, 'delivery-only-role', ['logs:CreateLogDelivery']);
    expect(await errorOf(create('sm-half', role, logTo('/app/other')))).toEqual(DENIED);
    expect(await deliveryPolicy()).toBeUndefined();
  });

  it('with the documented policy: creates, adds the group to AWSLogDeliveryWrite20150319 and logs', async () => {
    const role = await createRole(sb, 'logging-role');
    await allowLogDelivery(sb, 'logging-role');
    const made = await create('sm-logged', role, logTo('/app/orders'));
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    expect(d.loggingConfiguration).toEqual(logTo('/app/orders'));
    expect((await deliveryPolicy())?.Resource).toEqual([
      'arn:aws:logs:us-east-1:000000000000:log-group:/app/orders:log-stream:*',
    ]);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: made.stateMachineArn }),
    );
    expect((await waitForExecution(sfn, executionArn!)).status).toBe('SUCCEEDED');
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/app/orders' }));
    expect(streams.logStreams?.[0]?.logStreamName).toMatch(/^states\/sm-logged\//);
  });

  it('once a policy covers the group, CreateLogDelivery alone is enough (as AWS documents)', async () => {
    const role = await createRole(sb, 'second-delivery-role');
    await allowLogDelivery(sb, 'second-delivery-role', ['logs:CreateLogDelivery']);
    await create('sm-second', role, logTo('/app/orders'));
    // …but not for a group the policy does not name.
    expect(await errorOf(create('sm-second-other', role, logTo('/app/other')))).toEqual(DENIED);
  });

  it('/aws/vendedlogs/ groups share one wildcard entry', async () => {
    const role = await createRole(sb, 'vended-role');
    await allowLogDelivery(sb, 'vended-role');
    await create('sm-vended-a', role, logTo('/aws/vendedlogs/states/a'));
    const resources = (await deliveryPolicy())?.Resource;
    expect(resources).toContain('arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/*');
    const narrow = await createRole(sb, 'vended-narrow-role');
    await allowLogDelivery(sb, 'vended-narrow-role', ['logs:CreateLogDelivery']);
    await create('sm-vended-b', narrow, logTo('/aws/vendedlogs/states/b'));
  });

  it('a log group that does not exist is refused the same way', async () => {
    const role = await createRole(sb, 'missing-group-role');
    await allowLogDelivery(sb, 'missing-group-role');
    expect(await errorOf(create('sm-missing', role, logTo('/app/missing')))).toEqual(DENIED);
  });

  it('UpdateStateMachine checks too: turning logging on, or moving to a role without the permissions', async () => {
    const plain = await createRole(sb, 'update-plain-role');
    const made = await create('sm-update', plain);
    const update = (more: Record<string, unknown>) =>
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: made.stateMachineArn, ...more }));
    expect(await errorOf(update({ loggingConfiguration: logTo('/app/other') }))).toEqual(DENIED);
    let d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    expect(d.loggingConfiguration?.level).toBe('OFF');

    const logging = await createRole(sb, 'update-logging-role');
    await allowLogDelivery(sb, 'update-logging-role');
    await update({ roleArn: logging, loggingConfiguration: logTo('/app/other') });
    // Back to a role that cannot set up delivery while logging stays on: refused.
    expect(await errorOf(update({ roleArn: plain }))).toEqual(DENIED);
    d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    expect(d.roleArn).toBe(logging);
  });

  it('the AWS CLI reports the same error', async () => {
    requireTool(AWS_CLI, 'awscli');
    const role = await createRole(sb, 'cli-no-logging-role');
    const out = await awsCli(sb, [
      'stepfunctions',
      'create-state-machine',
      '--name',
      'sm-cli',
      '--definition',
      passDef,
      '--role-arn',
      role,
      '--logging-configuration',
      JSON.stringify(logTo('/app/other')),
    ]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      'An error occurred (AccessDeniedException) when calling the CreateStateMachine operation: The state machine IAM Role is not authorized to access the Log Destination',
    );
  });
});
