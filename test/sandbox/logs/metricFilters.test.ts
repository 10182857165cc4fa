/**
 * CloudWatch Logs metric filters through the SDK (and the AWS CLI v2): Put/Describe/Delete/Test,
 * and matching events published as CloudWatch metrics at the events' (sandbox-clock) time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { awsCliJson } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';

let t: TestSandbox;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;
const GROUP = '/course/metric-filters';

beforeAll(async () => {
  t = await startTestSandbox();
  logs = new CloudWatchLogsClient(t.clientConfig);
  cw = new CloudWatchClient(t.clientConfig);
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's1' }));
});
afterAll(() => t.stop());

async function sums(metricName: string, start: number, dims: Array<{ Name: string; Value: string }> = []) {
  const out = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'Course/Logs',
      MetricName: metricName,
      Dimensions: dims,
      StartTime: new Date(start),
      EndTime: new Date(start + 5 * 60_000),
      Period: 60,
      Statistics: ['Sum', 'SampleCount'],
    }),
  );
  return (out.Datapoints ?? [])
    .sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime())
    .map((d) => [d.Timestamp!.getTime() - start, d.Sum, d.SampleCount]);
}

describe('metric filters', () => {
  it('publishes matches (value, default value, dimensions from JSON fields) at the events’ time', async () => {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: 'errors',
        filterPattern: '{ $.level = "ERROR" }',
        metricTransformations: [
          {
            metricName: 'Errors',
            metricNamespace: 'Course/Logs',
            metricValue: '1',
            defaultValue: 0,
            unit: 'Count',
          },
        ],
      }),
    );
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: 'latency',
        filterPattern: '{ $.ms = * }',
        metricTransformations: [
          {
            metricName: 'Latency',
            metricNamespace: 'Course/Logs',
            metricValue: '$.ms',
            dimensions: { Service: '$.service' },
            unit: 'Milliseconds',
          },
        ],
      }),
    );
    const minute = Math.floor(t.sandbox.clock.now() / 60_000) * 60_000 - 10 * 60_000;
    const line = (o: object): string => JSON.stringify(o);
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 's1',
        logEvents: [
          { timestamp: minute + 1000, message: line({ level: 'INFO', ms: 20, service: 'api' }) },
          { timestamp: minute + 2000, message: line({ level: 'ERROR', ms: 30, service: 'api' }) },
          { timestamp: minute + 61_000, message: line({ level: 'ERROR', service: 'api' }) },
          { timestamp: minute + 62_000, message: 'plain text' },
        ],
      }),
    );
    // Errors: 1 per ERROR line, 0 for every other event (the default value).
    expect(await sums('Errors', minute)).toEqual([
      [0, 1, 2],
      [60_000, 1, 2],
    ]);
    expect(await sums('Latency', minute, [{ Name: 'Service', Value: 'api' }])).toEqual([[0, 50, 2]]);

    const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP }));
    expect(described.metricFilters).toEqual([
      {
        filterName: 'errors',
        filterPattern: '{ $.level = "ERROR" }',
        metricTransformations: [
          {
            metricName: 'Errors',
            metricNamespace: 'Course/Logs',
            metricValue: '1',
            defaultValue: 0,
            unit: 'Count',
          },
        ],
        creationTime: expect.any(Number),
        logGroupName: GROUP,
        applyOnTransformedLogs: false,
      },
      expect.objectContaining({ filterName: 'latency', logGroupName: GROUP }),
    ]);
    const byMetric = await logs.send(
      new DescribeMetricFiltersCommand({ metricName: 'Latency', metricNamespace: 'Course/Logs' }),
    );
    expect(byMetric.metricFilters!.map((f) => f.filterName)).toEqual(['latency']);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
    expect(groups.logGroups![0]!.metricFilterCount).toBe(2);
  });

  it('extracts numbers from space-delimited events', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'access' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: 'bytes-4xx',
        filterPattern: '[ip, user, username, timestamp, request, status_code = 4*, bytes]',
        metricTransformations: [
          { metricName: 'Bytes4xx', metricNamespace: 'Course/Logs', metricValue: '$bytes' },
        ],
      }),
    );
    const minute = Math.floor(t.sandbox.clock.now() / 60_000) * 60_000 - 20 * 60_000;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 'access',
        logEvents: [
          {
            timestamp: minute + 1,
            message: '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /a HTTP/1.0" 404 100',
          },
          {
            timestamp: minute + 2,
            message: '127.0.0.1 - frank [10/Oct/2000:13:25:16 -0700] "GET /b HTTP/1.0" 200 999',
          },
          {
            timestamp: minute + 3,
            message: '127.0.0.1 - frank [10/Oct/2000:13:25:17 -0700] "GET /c HTTP/1.0" 403 20',
          },
        ],
      }),
    );
    expect(await sums('Bytes4xx', minute)).toEqual([[0, 120, 2]]);
  });

  it('TestMetricFilter reports the matching events and what was extracted', async () => {
    const out = await logs.send(
      new TestMetricFilterCommand({
        filterPattern: '[ip, identity, user_id, timestamp, request, status_code, size]',
        logEventMessages: [
          '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
          'too short',
        ],
      }),
    );
    expect(out.matches).toEqual([
      {
        eventNumber: 0,
        eventMessage: '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
        extractedValues: {
          $ip: '127.0.0.1',
          $identity: '-',
          $user_id: 'frank',
          $timestamp: '10/Oct/2000:13:25:15 -0700',
          $request: 'GET /apache_pb.gif HTTP/1.0',
          $status_code: '200',
          $size: '1534',
        },
      },
    ]);
  });

  it('answers mistakes as CloudWatch Logs does, and deletes', async () => {
    const put = (more: Record<string, unknown>) =>
      logs.send(
        new PutMetricFilterCommand({
          logGroupName: GROUP,
          filterName: 'bad',
          filterPattern: 'ERROR',
          metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1' }],
          ...more,
        }),
      );
    expect(await errorOf(put({ logGroupName: '/nope' }))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    expect(await errorOf(put({ filterPattern: '{ $.level = ' }))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid filter pattern',
    });
    expect(
      await errorOf(
        put({
          filterPattern: '{ $.level = "ERROR" }',
          metricTransformations: [
            {
              metricName: 'M',
              metricNamespace: 'N',
              metricValue: '1',
              defaultValue: 0,
              dimensions: { L: '$.level' },
            },
          ],
        }),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      await errorOf(
        put({ metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '$.ms' }] }),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(
      await errorOf(logs.send(new DeleteMetricFilterCommand({ logGroupName: GROUP, filterName: 'nope' }))),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified metric filter does not exist.',
    });
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: GROUP, filterName: 'latency' }));
    const left = await logs.send(
      new DescribeMetricFiltersCommand({ logGroupName: GROUP, filterNamePrefix: 'lat' }),
    );
    expect(left.metricFilters).toEqual([]);
  });
});

describe('FilterLogEvents', () => {
  it('returns searchedLogStreams empty, as AWS has since May 2020', async () => {
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.level = "ERROR" }' }),
    );
    expect(out.events!.length).toBe(2);
    expect(out.searchedLogStreams).toEqual([]);
  });
});

describe('metric filters with the AWS CLI v2', () => {
  it(
    'put-metric-filter, describe-metric-filters, test-metric-filter, delete-metric-filter',
    { timeout: 60_000 },
    async () => {
      requireTool(AWS_CLI, 'awscli');
      const aws = (...args: string[]) => awsCliJson(t, ['logs', ...args]);
      await aws(
        'put-metric-filter',
        '--log-group-name',
        GROUP,
        '--filter-name',
        'cli',
        '--filter-pattern',
        '?ERROR ?FATAL',
        '--metric-transformations',
        'metricName=CliErrors,metricNamespace=Course/Logs,metricValue=1',
      );
      const described = await aws(
        'describe-metric-filters',
        '--log-group-name',
        GROUP,
        '--filter-name-prefix',
        'cli',
      );
      expect(described.metricFilters).toEqual([
        expect.objectContaining({
          filterName: 'cli',
          filterPattern: '?ERROR ?FATAL',
          metricTransformations: [
            { metricName: 'CliErrors', metricNamespace: 'Course/Logs', metricValue: '1' },
          ],
        }),
      ]);
      const tested = await aws(
        'test-metric-filter',
        '--filter-pattern',
        '%FATAL|ERROR%',
        '--log-event-messages',
        'ok',
        'FATAL disk',
      );
      expect(tested.matches).toEqual([{ eventNumber: 1, eventMessage: 'FATAL disk', extractedValues: {} }]);
      await aws('delete-metric-filter', '--log-group-name', GROUP, '--filter-name', 'cli');
      const found = await aws(
        'filter-log-events',
        '--log-group-name',
        GROUP,
        '--filter-pattern',
        '[ip, user, username, timestamp, request, status_code = 4*, bytes > 50]',
      );
      expect((found.events as Array<{ message: string }>).map((e) => e.message)).toEqual([
        '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /a HTTP/1.0" 404 100',
      ]);
      expect(found.searchedLogStreams).toEqual([]);
    },
  );
});
