/**
 * Test helper: real SDK clients (built by the factory) whose `send` is replaced by
 * aws-sdk-client-mock, plus a temp home and a ledger.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { buildClients } from '../../src/cloud/clients.js';
import { RecordingCallLog } from '../../src/cloud/callLog.js';
import { Ledger } from '../../src/cloud/ledger.js';

export function awsErr(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

export function mockTarget(region = 'us-east-1') {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-mock-'));
  const clients = buildClients(
    {
      region,
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
    },
    new RecordingCallLog(),
  );
  const mocks = {
    s3: mockClient(clients.s3),
    iam: mockClient(clients.iam),
    lambda: mockClient(clients.lambda),
    events: mockClient(clients.events),
    sfn: mockClient(clients.sfn),
    logs: mockClient(clients.logs),
    cloudwatch: mockClient(clients.cloudwatch),
  };
  const ledger = Ledger.open(home, 'sandbox', 'demo1');
  const info = { accountId: '000000000000', region, id: 'sandbox' };
  const cleanup = () => fs.rmSync(home, { recursive: true, force: true });
  return { home, clients, mocks, ledger, info, cleanup };
}

export const ourTags = (runId: string) => ({
  'course:demo': 'demo1',
  'course:run': runId,
  'course:managed-by': 'course-cli',
});
