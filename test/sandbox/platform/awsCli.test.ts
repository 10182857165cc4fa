import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

describe('AWS CLI v2 against the sandbox (IAM, STS, Logs)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    requireTool(AWS_CLI, 'awscli');
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t, args);
  const awsError = async (...args: string[]): Promise<string> => {
    const out = await awsCli(t, args);
    if (out.code === 0) throw new Error('expected the CLI to fail');
    return out.stderr;
  };

  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
  };

  // One CLI start costs a second or more of Python; independent flows run side by side.
  it('sts get-caller-identity; iam create-role, get-role, put-role-policy; logs create-log-group, put-retention-policy, describe-log-groups', async () => {
    const sts = async (): Promise<void> => {
      expect(await aws('sts', 'get-caller-identity')).toMatchObject({
        Account: '000000000000',
        Arn: 'arn:aws:iam::000000000000:root',
      });
    };
    const iam = async (): Promise<void> => {
      const created = await aws(
        'iam',
        'create-role',
        '--role-name',
        'cli-role',
        '--assume-role-policy-document',
        JSON.stringify(trust),
        '--tags',
        'Key=course:demo,Value=demo1',
      );
      expect(created.Role).toMatchObject({
        RoleName: 'cli-role',
        Arn: 'arn:aws:iam::000000000000:role/cli-role',
      });
      const [got] = await Promise.all([
        aws('iam', 'get-role', '--role-name', 'cli-role'),
        aws(
          'iam',
          'put-role-policy',
          '--role-name',
          'cli-role',
          '--policy-name',
          'logs',
          '--policy-document',
          JSON.stringify(policy),
        ),
      ]);
      // The CLI URL-decodes and parses policy documents, as it does against AWS.
      expect((got.Role as Record<string, unknown>).AssumeRolePolicyDocument).toEqual(trust);
    };
    const logs = async (): Promise<void> => {
      await aws('logs', 'create-log-group', '--log-group-name', '/aws/lambda/cli-fn');
      await aws(
        'logs',
        'put-retention-policy',
        '--log-group-name',
        '/aws/lambda/cli-fn',
        '--retention-in-days',
        '7',
      );
      const out = await aws('logs', 'describe-log-groups', '--log-group-name-prefix', '/aws/lambda/cli');
      expect(out.logGroups).toEqual([
        expect.objectContaining({ logGroupName: '/aws/lambda/cli-fn', retentionInDays: 7 }),
      ]);
    };
    const errors = async (): Promise<void> => {
      expect(await awsError('iam', 'get-role', '--role-name', 'ghost')).toContain('(NoSuchEntity)');
    };
    await Promise.all([sts(), iam(), logs(), errors()]);
  }, 120_000);
});
