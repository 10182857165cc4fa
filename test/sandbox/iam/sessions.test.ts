/**
 * Role-session credentials the sandbox hands to Lambda environments: they expire, they are revoked
 * when their environment goes, and the table holding them stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DeleteFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SessionRegistry } from '../../../src/sandbox/iam/sessions.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { createFunction, createRole, decode } from '../lambda/fixtures.js';

describe('the session table', () => {
  it('forgets a session once its lifetime has passed', () => {
    let now = 1_000_000;
    const sessions = new SessionRegistry(() => now);
    const creds = sessions.issue('arn:aws:iam::000000000000:role/r', 'AROAX', 'fn', 60_000);
    expect(creds.expiration).toBe(now + 60_000);
    expect(sessions.find(creds.accessKeyId)?.sessionToken).toBe(creds.sessionToken);
    now += 60_000;
    expect(sessions.find(creds.accessKeyId)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('stays bounded: expired sessions are swept and the oldest go past the cap', () => {
    let now = 0;
    const sessions = new SessionRegistry(() => now, 3);
    const first = sessions.issue('arn:aws:iam::000000000000:role/r', 'AROAX', 'a', 10);
    now = 20; // first has expired
    const keys = [1, 2, 3, 4].map((i) =>
      sessions.issue('arn:aws:iam::000000000000:role/r', 'AROAX', `s${i}`, 1000),
    );
    expect(sessions.size).toBe(3);
    expect(sessions.find(first.accessKeyId)).toBeUndefined();
    expect(sessions.find(keys[0]!.accessKeyId)).toBeUndefined();
    expect(sessions.find(keys[3]!.accessKeyId)).toBeDefined();
  });
});

describe('a Lambda environment’s credentials', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  it('work while the environment lives and stop working once the function is deleted', async () => {
    const lambda = new LambdaClient(t.clientConfig);
    const role = await createRole(t, 'session-role');
    await createFunction(lambda, role, 'leaky', {
      'index.mjs': `export const handler = async () => ({
        accessKeyId: process.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
        sessionToken: process.env.AWS_SESSION_TOKEN,
      });`,
    });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'leaky' }));
    const credentials = decode(out.Payload) as {
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken: string;
    };
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const sts = new STSClient({ ...t.clientConfig, credentials });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::000000000000:assumed-role/session-role/leaky');

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'leaky' }));
    expect(await errorOf(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403,
    });
  });
});
