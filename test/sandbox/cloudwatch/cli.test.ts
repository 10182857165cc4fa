import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

// The CLI of Debian 12 speaks awsQuery to CloudWatch; current SDKs speak awsJson 1.0.
describe('AWS CLI v2 against sandbox CloudWatch metrics (awsQuery)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    requireTool(AWS_CLI, 'awscli');
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t, ['cloudwatch', ...args]);

  it('put-metric-data, list-metrics, get-metric-statistics', { timeout: 120_000 }, async () => {
    const minute = Math.floor(t.sandbox.clock.now() / 60_000) * 60_000 - 120_000;
    const at = new Date(minute + 1000).toISOString();
    const refused = expect(
      aws('put-metric-data', '--namespace', 'AWS/Lambda', '--metric-name', 'x', '--value', '1'),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('(InvalidParameterValue)') });
    await aws(
      'put-metric-data',
      '--namespace',
      'Course/Cli',
      '--metric-data',
      JSON.stringify([
        { MetricName: 'Rows', Dimensions: [{ Name: 'Run', Value: 'r1' }], Value: 3, Timestamp: at },
        { MetricName: 'Rows', Dimensions: [{ Name: 'Run', Value: 'r1' }], Value: 5, Timestamp: at },
      ]),
    );
    await refused;
    const [listed, stats] = await Promise.all([
      aws('list-metrics', '--namespace', 'Course/Cli'),
      aws(
        'get-metric-statistics',
        '--namespace',
        'Course/Cli',
        '--metric-name',
        'Rows',
        '--dimensions',
        'Name=Run,Value=r1',
        '--start-time',
        new Date(minute).toISOString(),
        '--end-time',
        new Date(minute + 60_000).toISOString(),
        '--period',
        '60',
        '--statistics',
        'Sum',
        'Maximum',
        '--extended-statistics',
        'p50',
      ),
    ]);
    expect(listed.Metrics).toEqual([
      { Namespace: 'Course/Cli', MetricName: 'Rows', Dimensions: [{ Name: 'Run', Value: 'r1' }] },
    ]);
    expect(stats.Datapoints).toEqual([
      expect.objectContaining({ Sum: 8, Maximum: 5, Unit: 'None', ExtendedStatistics: { p50: 3 } }),
    ]);
  });
});
