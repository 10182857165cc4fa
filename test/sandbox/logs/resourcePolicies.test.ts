/** CloudWatch Logs account-level resource policies through the SDK v3 and the AWS CLI v2. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  DeleteResourcePolicyCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCli, awsCliJson } from '../../helpers/awsCli.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';

let sb: TestSandbox;
let logs: CloudWatchLogsClient;

const policyFor = (sid: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/*:*',
      },
    ],
  });
const names = async (): Promise<string[]> =>
  ((await logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies ?? []).map(
    (p) => p.policyName!,
  );

beforeAll(async () => {
  sb = await startTestSandbox();
  logs = new CloudWatchLogsClient(sb.clientConfig);
});
afterAll(async () => {
  await sb?.stop();
});

describe('resource policies', () => {
  it('puts (create and replace), describes and deletes', async () => {
    const before = sb.sandbox.clock.now();
    const put = await logs.send(
      new PutResourcePolicyCommand({ policyName: 'TrustEvents', policyDocument: policyFor('A') }),
    );
    expect(put.resourcePolicy).toMatchObject({
      policyName: 'TrustEvents',
      policyDocument: policyFor('A'),
      policyScope: 'ACCOUNT',
    });
    expect(put.resourcePolicy!.lastUpdatedTime).toBeGreaterThanOrEqual(before);
    await logs.send(
      new PutResourcePolicyCommand({ policyName: 'TrustEvents', policyDocument: policyFor('B') }),
    );
    const listed = await logs.send(new DescribeResourcePoliciesCommand({}));
    expect(listed.resourcePolicies).toHaveLength(1);
    expect(listed.resourcePolicies![0]!.policyDocument).toBe(policyFor('B'));
    // Log-group-scoped policies are not kept here, so that scope is empty.
    const scoped = await logs.send(new DescribeResourcePoliciesCommand({ policyScope: 'RESOURCE' }));
    expect(scoped.resourcePolicies).toEqual([]);

    await logs.send(new DeleteResourcePolicyCommand({ policyName: 'TrustEvents' }));
    expect(await names()).toEqual([]);
    expect(await errorOf(logs.send(new DeleteResourcePolicyCommand({ policyName: 'TrustEvents' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Policy with name [TrustEvents] does not exist',
      status: 400,
    });
  });

  it('refuses an eleventh policy in a region, a document over 5120 characters, and one that is not JSON', async () => {
    for (let i = 0; i < 10; i++) {
      await logs.send(
        new PutResourcePolicyCommand({ policyName: `p${i}`, policyDocument: policyFor(`S${i}`) }),
      );
    }
    expect(
      await errorOf(
        logs.send(new PutResourcePolicyCommand({ policyName: 'p10', policyDocument: policyFor('X') })),
      ),
    ).toEqual({ name: 'LimitExceededException', message: 'Resource limit exceeded.', status: 400 });
    // Replacing one of the ten is still fine.
    await logs.send(new PutResourcePolicyCommand({ policyName: 'p3', policyDocument: policyFor('Y') }));

    const long = await errorOf(
      logs.send(new PutResourcePolicyCommand({ policyName: 'p3', policyDocument: ' '.repeat(5121) })),
    );
    expect(long.name).toBe('InvalidParameterException');
    expect(long.message).toContain("at 'policyDocument' failed to satisfy constraint");
    const notJson = await errorOf(
      logs.send(new PutResourcePolicyCommand({ policyName: 'p3', policyDocument: 'not json' })),
    );
    expect(notJson.name).toBe('InvalidParameterException');

    const page = await logs.send(new DescribeResourcePoliciesCommand({ limit: 4 }));
    expect(page.resourcePolicies).toHaveLength(4);
    const rest = await logs.send(new DescribeResourcePoliciesCommand({ nextToken: page.nextToken }));
    expect(rest.resourcePolicies).toHaveLength(6);
    expect(rest.nextToken).toBeUndefined();
    for (let i = 0; i < 10; i++) await logs.send(new DeleteResourcePolicyCommand({ policyName: `p${i}` }));
  });

  it('says plainly that log-group-level policies are not emulated', async () => {
    const e = await errorOf(
      logs.send(
        new PutResourcePolicyCommand({
          resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/x',
          policyDocument: policyFor('A'),
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterException');
    expect(e.message).toContain('account-level resource policies only');
  });

  it('through the AWS CLI', async () => {
    requireTool(AWS_CLI, 'awscli');
    const put = await awsCliJson(sb, [
      'logs',
      'put-resource-policy',
      '--policy-name',
      'CliPolicy',
      '--policy-document',
      policyFor('Cli'),
    ]);
    expect((put.resourcePolicy as { policyName: string }).policyName).toBe('CliPolicy');
    const described = await awsCliJson(sb, ['logs', 'describe-resource-policies']);
    expect((described.resourcePolicies as Array<{ policyName: string }>).map((p) => p.policyName)).toEqual([
      'CliPolicy',
    ]);
    expect((await awsCli(sb, ['logs', 'delete-resource-policy', '--policy-name', 'CliPolicy'])).code).toBe(0);
    const again = await awsCli(sb, ['logs', 'delete-resource-policy', '--policy-name', 'CliPolicy']);
    expect(again.stderr).toContain('(ResourceNotFoundException)');
  });
});
