/**
 * A request for a service the sandbox does not serve gets its error in that service's own protocol,
 * so the caller's SDK or CLI shows the error instead of failing to parse it: EventBridge Scheduler
 * (restJson), DynamoDB (awsJson 1.0), SQS as the AWS CLI 2.9 speaks it (awsQuery), CloudFront
 * (restXml). Through the AWS CLI v2, and raw signed requests for the exact wire shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../../helpers/awsCli.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { rawRequest } from './rawRequest.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.stop();
});

const message = (service: string): string => `The sandbox does not serve the '${service}' service.`;

describe('services the sandbox does not serve', () => {
  it.each([
    [['scheduler', 'list-schedules'], 'ListSchedules', 'scheduler'],
    [['dynamodb', 'list-tables'], 'ListTables', 'dynamodb'],
    [['sqs', 'list-queues'], 'ListQueues', 'sqs'],
    [['cloudfront', 'list-distributions'], 'ListDistributions', 'cloudfront'],
  ])('the AWS CLI reads the error: %j', async (args, operation, service) => {
    requireTool(AWS_CLI, 'awscli');
    const out = await awsCli(t, args);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      `An error occurred (UnrecognizedClientException) when calling the ${operation} operation: ${message(service)}`,
    );
  });

  const sign = () => ({ ...t.sandbox.credentials, service: 'scheduler' });

  it('restJson on the wire: x-amzn-ErrorType and a JSON message', async () => {
    const res = await rawRequest(t.sandbox.endpoint, { method: 'GET', path: '/schedules' }, { sign: sign() });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    expect(JSON.parse(res.body)).toEqual({ message: message('scheduler') });
  });

  it('awsJson on the wire: __type in the version the request used', async () => {
    const res = await rawRequest(
      t.sandbox.endpoint,
      {
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body: '{}',
      },
      { sign: { ...t.sandbox.credentials, service: 'dynamodb' } },
    );
    expect(res.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(res.body)).toEqual({
      __type: 'UnrecognizedClientException',
      message: message('dynamodb'),
    });
  });
});
