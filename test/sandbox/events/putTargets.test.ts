/**
 * PutTargets validation as AWS does it: member constraints and the service's rules are request
 * errors (ValidationException, HTTP 400, nothing stored), not FailedEntries — through the SDK and
 * the AWS CLI v2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { awsCli } from '../../helpers/awsCli.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';

let sb: TestSandbox;
let eb: EventBridgeClient;
const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const sm = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders';
const role = 'arn:aws:iam::000000000000:role/events-to-sfn';

beforeAll(async () => {
  sb = await startTestSandbox();
  eb = new EventBridgeClient(sb.clientConfig);
  await eb.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["my.app"]}' }));
});
afterAll(async () => {
  await sb?.stop();
});

const put = (Targets: Target[]) => eb.send(new PutTargetsCommand({ Rule: 'r', Targets }));
const stored = async (): Promise<string[]> =>
  ((await eb.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets ?? []).map((t) => t.Id!);

describe('PutTargets request errors', () => {
  it.each([
    [
      'a Step Functions target without RoleArn (AWS wording, one "arn")',
      [{ Id: 'sfn', Arn: sm }],
      `RoleArn is required for target ${sm}.`,
    ],
    [
      'an ARN that is not one',
      [{ Id: 'bad', Arn: 'not-an-arn' }],
      'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.',
    ],
    [
      'two kinds of input',
      [{ Id: 'two', Arn: fn, Input: '{}', InputPath: '$.detail' }],
      'Only one of Input, InputPath, or InputTransformer must be provided.',
    ],
    ['Input that is not JSON', [{ Id: 'j', Arn: fn, Input: '{nope' }], 'Input is not valid JSON text.'],
    [
      'member constraints, all in one message',
      [
        { Id: 'has space', Arn: fn },
        { Id: 'r', Arn: fn, RetryPolicy: { MaximumRetryAttempts: 200, MaximumEventAgeInSeconds: 10 } },
      ],
      "3 validation errors detected: Value 'has space' at 'targets.2.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value '200' at 'targets.3.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185; Value '10' at 'targets.3.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ],
  ])('%s', async (_what, targets, message) => {
    // A valid target goes first in every batch.
    const e = await errorOf(put([{ Id: 'fine', Arn: fn }, ...targets] as Target[]));
    expect(e).toEqual({ name: 'ValidationException', message, status: 400 });
    // Nothing of the batch was stored, not even the valid target.
    expect(await stored()).toEqual([]);
  });

  it('a valid batch is stored with FailedEntryCount 0', async () => {
    const out = await put([
      { Id: 'fn', Arn: fn },
      { Id: 'sfn', Arn: sm, RoleArn: role },
    ]);
    expect(out.FailedEntryCount).toBe(0);
    expect(out.FailedEntries).toEqual([]);
    expect(await stored()).toEqual(['fn', 'sfn']);
  });

  it('the AWS CLI reports the request error', async () => {
    requireTool(AWS_CLI, 'awscli');
    const out = await awsCli(sb, ['events', 'put-targets', '--rule', 'r', '--targets', `Id=cli,Arn=${sm}`]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      `An error occurred (ValidationException) when calling the PutTargets operation: RoleArn is required for target ${sm}.`,
    );
  });
});
