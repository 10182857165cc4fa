/**
 * Each injected fault as the SDK meets it, through real HTTP: every service's throttling error and
 * server errors with the code, status and shape its API uses; the SDK's own retry classification
 * calls each one retryable, and its standard retry mode absorbs them. Also what the AWS CLI says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { profileFromJson, type FaultProfile } from '../../../src/sandbox/faults/index.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';
import { awsCli } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';

type SdkError = Error & { $metadata: { httpStatusCode?: number; attempts?: number }; $response?: unknown };

interface ServiceCase {
  service: string;
  operation: string;
  call(t: TestSandbox, maxAttempts: number): Promise<{ $metadata: { attempts?: number } }>;
  throttling: { name: string; status: number; message: string };
  serverErrors: Array<{ name: string; status: number }>;
}

const config = (t: TestSandbox, maxAttempts: number) => ({
  ...t.clientConfig,
  maxAttempts,
  retryMode: 'standard' as const,
});

const CASES: ServiceCase[] = [
  {
    service: 's3',
    operation: 'ListBuckets',
    call: (t, n) => new S3Client({ ...config(t, n), forcePathStyle: true }).send(new ListBucketsCommand({})),
    throttling: { name: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
    serverErrors: [
      { name: 'InternalError', status: 500 },
      { name: 'ServiceUnavailable', status: 503 },
    ],
  },
  {
    service: 'lambda',
    operation: 'ListFunctions',
    call: (t, n) => new LambdaClient(config(t, n)).send(new ListFunctionsCommand({})),
    throttling: { name: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' },
    serverErrors: [{ name: 'ServiceException', status: 500 }],
  },
  {
    service: 'iam',
    operation: 'ListRoles',
    call: (t, n) => new IAMClient(config(t, n)).send(new ListRolesCommand({})),
    throttling: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
    // The SDK names it by its model's shape; the wire's query code is ServiceFailure.
    serverErrors: [{ name: 'ServiceFailureException', status: 500 }],
  },
  {
    service: 'sts',
    operation: 'GetCallerIdentity',
    call: (t, n) => new STSClient(config(t, n)).send(new GetCallerIdentityCommand({})),
    throttling: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
    serverErrors: [
      { name: 'InternalFailure', status: 500 },
      { name: 'ServiceUnavailable', status: 503 },
    ],
  },
  {
    service: 'logs',
    operation: 'DescribeLogGroups',
    call: (t, n) => new CloudWatchLogsClient(config(t, n)).send(new DescribeLogGroupsCommand({})),
    throttling: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    serverErrors: [
      { name: 'ServiceUnavailableException', status: 500 },
      { name: 'ServiceUnavailable', status: 503 },
    ],
  },
  {
    service: 'events',
    operation: 'ListRules',
    call: (t, n) => new EventBridgeClient(config(t, n)).send(new ListRulesCommand({})),
    throttling: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    serverErrors: [
      { name: 'InternalException', status: 500 },
      { name: 'ServiceUnavailable', status: 503 },
    ],
  },
  {
    service: 'states',
    operation: 'ListStateMachines',
    call: (t, n) => new SFNClient(config(t, n)).send(new ListStateMachinesCommand({})),
    throttling: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    serverErrors: [
      { name: 'InternalFailure', status: 500 },
      { name: 'ServiceUnavailable', status: 503 },
    ],
  },
  {
    service: 'monitoring',
    operation: 'ListMetrics',
    call: (t, n) => new CloudWatchClient(config(t, n)).send(new ListMetricsCommand({})),
    // Query-compatible: the SDK names the error by the awsQuery code CloudWatch sends alongside.
    throttling: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
    serverErrors: [{ name: 'InternalServiceFault', status: 500 }],
  },
];

function profile(json: Record<string, unknown>): FaultProfile {
  return profileFromJson({ seed: 1, ...json }, 'test');
}

describe('injected faults on the wire, through the SDK', () => {
  let t: TestSandbox | undefined;
  const log: string[] = [];
  const start = async (p: FaultProfile): Promise<TestSandbox> => {
    log.length = 0;
    t = await startTestSandbox({ faults: p, log: (l) => log.push(l) });
    return t;
  };
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it.each(CASES)(
    '$service throttles $operation with its own error, which the SDK calls throttling',
    async (c) => {
      const sb = await start(
        profile({ services: { [c.service]: { operations: { [c.operation]: { throttling: 1 } } } } }),
      );
      const err = await thrownBy<SdkError>(c.call(sb, 1));
      expect({ name: err.name, status: err.$metadata.httpStatusCode, message: err.message }).toEqual(
        c.throttling,
      );
      expect(isThrottlingError(err as never)).toBe(true);
      expect(log.filter((l) => l.startsWith('fault: throttled'))).toEqual([
        expect.stringContaining(`fault: throttled ${c.service} ${c.operation} with`),
      ]);
    },
  );

  it.each(CASES)(
    '$service fails $operation with its server errors, which the SDK calls transient',
    async (c) => {
      const sb = await start(
        profile({ services: { [c.service]: { operations: { [c.operation]: { serverErrors: 1 } } } } }),
      );
      const seen = new Map<string, number | undefined>();
      for (let i = 0; i < 24 && seen.size < c.serverErrors.length; i++) {
        const err = await thrownBy<SdkError>(c.call(sb, 1));
        expect(isTransientError(err as never)).toBe(true);
        seen.set(err.name, err.$metadata.httpStatusCode);
      }
      expect(
        [...seen].map(([name, status]) => ({ name, status })).sort((a, b) => a.status! - b.status!),
      ).toEqual(c.serverErrors);
    },
  );

  it('the SDK standard retry mode absorbs server errors: attempts = faults injected + 1', async () => {
    const sb = await start(profile({ seed: 11, serverErrors: 0.6 }));
    let retried = 0;
    for (const c of CASES) {
      const before = log.length;
      const out = await c.call(sb, 20);
      const injected = log.slice(before).filter((l) => l.startsWith('fault: failed')).length;
      expect(out.$metadata.attempts).toBe(injected + 1);
      retried += injected;
    }
    // With six in ten requests failing, eight services cannot all have passed at the first attempt.
    expect(retried).toBeGreaterThan(0);
  });

  it('the SDK standard retry mode absorbs throttling too (with its longer throttling backoff)', async () => {
    const sb = await start(profile({ seed: 3, throttling: 0.5 }));
    const before = log.length;
    const out = await CASES.find((c) => c.service === 'lambda')!.call(sb, 10);
    const injected = log.slice(before).filter((l) => l.startsWith('fault: throttled lambda')).length;
    expect(out.$metadata.attempts).toBe(injected + 1);
  }, 60_000);

  it('a HEAD request (no error body) is still retried: S3 answers by status alone', async () => {
    const sb = await start(profile({ services: { s3: { operations: { HeadBucket: { throttling: 1 } } } } }));
    const s3 = new S3Client({ ...config(sb, 2), forcePathStyle: true });
    const err = await thrownBy<SdkError>(s3.send(new HeadBucketCommand({ Bucket: 'anything' })));
    expect(err.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 2 });
  }, 60_000);

  it('gives up after the bounded attempts with the last error and the attempt count', async () => {
    const sb = await start(profile({ services: { sts: { serverErrors: 1 } } }));
    const err = await thrownBy<SdkError>(CASES.find((c) => c.service === 'sts')!.call(sb, 3));
    expect(err.$metadata.attempts).toBe(3);
    expect(log.filter((l) => l.startsWith('fault: failed sts GetCallerIdentity'))).toHaveLength(3);
  });

  it('the AWS CLI sees them as retryable too ("reached max retries")', async () => {
    requireTool(AWS_CLI, 'awscli');
    const sb = await start(profile({ services: { iam: { throttling: 1 }, s3: { serverErrors: 1 } } }));
    const iam = await awsCli(sb, ['iam', 'list-roles', '--cli-connect-timeout', '5']);
    expect(iam.code).not.toBe(0);
    expect(iam.stderr).toMatch(
      /An error occurred \(Throttling\) when calling the ListRoles operation \(reached max retries: \d+\): Rate exceeded/,
    );
    const s3 = await awsCli(sb, ['s3api', 'list-buckets']);
    expect(s3.stderr).toMatch(
      /\((InternalError|ServiceUnavailable)\) when calling the ListBuckets operation \(reached max retries: \d+\)/,
    );
  }, 120_000);
});
