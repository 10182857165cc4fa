import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rawRequest } from '../platform/rawRequest.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

describe('STS through @aws-sdk/client-sts', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  it('GetCallerIdentity names the sandbox account root, in any region', async () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const sts = new STSClient({ ...t.clientConfig, region });
      const out = await sts.send(new GetCallerIdentityCommand({}));
      expect(out).toMatchObject({
        Account: '000000000000',
        Arn: 'arn:aws:iam::000000000000:root',
        UserId: '000000000000',
      });
    }
  });

  it('answers in the STS namespace, over POST and GET, and rejects unknown actions', async () => {
    const sign = { ...t.sandbox.credentials, service: 'sts' };
    const send = async (method: string, query: string, body?: string): Promise<[number, string]> => {
      const headers: Record<string, string> = body
        ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
        : {};
      const res = await rawRequest(
        t.sandbox.endpoint,
        { method, path: `/${query}`, headers, body },
        { sign },
      );
      return [res.status, res.body];
    };
    const [status, xml] = await send('POST', '', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(status).toBe(200);
    expect(xml).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>.*<Account>000000000000<\/Account>.*<\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
    const [getStatus, getXml] = await send('GET', '?Action=GetCallerIdentity&Version=2011-06-15');
    expect(getStatus).toBe(200);
    expect(getXml).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
    const [badStatus, badXml] = await send('POST', '', 'Action=AssumeNothing&Version=2011-06-15');
    expect(badStatus).toBe(400);
    expect(badXml).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });
});
