/**
 * iam:PassRole: a role session (here a Lambda handler) that creates a function, a state machine
 * or a rule target with a role must be allowed to pass that role, as on AWS; root always may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import {
  LAMBDA_TRUST,
  BASIC_EXECUTION_POLICY,
  createFunction,
  decode,
  zipOf,
} from '../../lambda/fixtures.js';

const ACCOUNT = '000000000000';

/** A handler that hands a role to each service and reports what each answered. */
const DEPLOYER = `
import { LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { SFNClient, CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
const outcome = async (p) => { try { await p; return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };
export const handler = async (e) => {
  const suffix = e.suffix;
  const fn = await outcome(new LambdaClient({}).send(new CreateFunctionCommand({
    FunctionName: 'made-' + suffix, Runtime: 'nodejs22.x', Role: e.role, Handler: 'index.handler',
    Code: { ZipFile: Buffer.from(e.zip, 'base64') } })));
  const sm = await outcome(new SFNClient({}).send(new CreateStateMachineCommand({
    name: 'made-' + suffix, roleArn: e.role,
    definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) })));
  const events = new EventBridgeClient({});
  await events.send(new PutRuleCommand({ Name: 'made-' + suffix, EventPattern: '{"source":["x"]}' }));
  const target = await outcome(events.send(new PutTargetsCommand({ Rule: 'made-' + suffix,
    Targets: [{ Id: 't', Arn: 'arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:made-' + suffix, RoleArn: e.role }] })));
  return { fn, sm, target };
};`;

describe('iam:PassRole for role sessions', () => {
  let t: TestSandbox;
  let passedRole: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    const iam = new IAMClient(t.clientConfig);
    const trustAll = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['lambda.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    passedRole = (
      await iam.send(new CreateRoleCommand({ RoleName: 'passed', AssumeRolePolicyDocument: trustAll }))
    ).Role!.Arn!;
    const deployer = await iam.send(
      new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: LAMBDA_TRUST }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: BASIC_EXECUTION_POLICY }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'create-things',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'lambda:CreateFunction',
                'states:CreateStateMachine',
                'events:PutRule',
                'events:PutTargets',
              ],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    await createFunction(
      new LambdaClient(t.clientConfig),
      deployer.Role!.Arn!,
      'deployer',
      { 'index.mjs': DEPLOYER },
      { Timeout: 30 },
    );
  });
  afterAll(() => t.stop());

  const deploy = async (suffix: string) => {
    const zip = Buffer.from(zipOf({ 'index.mjs': 'export const handler = async () => 1;' })).toString(
      'base64',
    );
    const out = await new LambdaClient(t.clientConfig).send(
      new InvokeCommand({
        FunctionName: 'deployer',
        Payload: Buffer.from(JSON.stringify({ suffix, role: passedRole, zip })),
      }),
    );
    return decode(out.Payload) as { fn: string; sm: string; target: string };
  };

  it('refuses each service the role until the caller may pass it, with AWS’s message', async () => {
    const denied = await deploy('a');
    const message = `is not authorized to perform: iam:PassRole on resource: ${passedRole} because no identity-based policy allows the iam:PassRole action`;
    for (const outcome of [denied.fn, denied.sm, denied.target]) {
      expect(outcome).toMatch(
        /^AccessDenied(Exception)?: User: arn:aws:sts::000000000000:assumed-role\/deployer\/deployer /,
      );
      expect(outcome).toContain(message);
    }

    await new IAMClient(t.clientConfig).send(
      new PutRolePolicyCommand({
        RoleName: 'deployer',
        PolicyName: 'pass-it',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: passedRole }],
        }),
      }),
    );
    expect(await deploy('b')).toEqual({ fn: 'ok', sm: 'ok', target: 'ok' });
  }, 60_000);
});
