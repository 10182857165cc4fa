/**
 * PutMetricData made as a role is judged with the `cloudwatch:namespace` condition key, as on AWS:
 * a policy that allows publishing only in its own namespace lets that through and denies others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { LAMBDA_TRUST, createFunction, decode } from '../lambda/fixtures.js';

const PUBLISHER = `
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
const cw = new CloudWatchClient({});
export const handler = async (e) => {
  try {
    await cw.send(new PutMetricDataCommand({ Namespace: e.namespace, MetricData: [{ MetricName: 'M', Value: 1 }] }));
    return { ok: true };
  } catch (err) {
    return { ok: false, name: err.name, message: err.message };
  }
};`;

let sb: TestSandbox;
let lambda: LambdaClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  const iam = new IAMClient(sb.clientConfig);
  lambda = new LambdaClient(sb.clientConfig);
  const role = await iam.send(
    new CreateRoleCommand({ RoleName: 'publisher-role', AssumeRolePolicyDocument: LAMBDA_TRUST }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'publisher-role',
      PolicyName: 'own-namespace',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'Team/Pipeline' } },
          },
        ],
      }),
    }),
  );
  await createFunction(lambda, role.Role!.Arn!, 'publisher', { 'index.mjs': PUBLISHER }, { Timeout: 30 });
}, 60_000);

afterAll(async () => {
  await sb?.stop();
});

async function publish(namespace: string) {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: 'publisher', Payload: JSON.stringify({ namespace }) }),
  );
  return decode(out.Payload) as { ok: boolean; name?: string; message?: string };
}

describe('cloudwatch:namespace on PutMetricData', () => {
  it('allows the namespace the policy names and denies any other', async () => {
    expect(await publish('Team/Pipeline')).toEqual({ ok: true });
    expect(await publish('Other/Namespace')).toEqual({
      ok: false,
      name: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/publisher-role/publisher is not authorized to perform: ' +
        'cloudwatch:PutMetricData on resource: * because no identity-based policy allows the cloudwatch:PutMetricData action',
    });
  }, 60_000);
});
