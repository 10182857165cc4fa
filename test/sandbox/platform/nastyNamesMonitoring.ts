/**
 * The nasty-name table (nastyNames.ts) at the monitoring operations that came after the first
 * sweep: CloudWatch alarms (names, dimensions, tag keys, metric math query ids and expressions),
 * GetMetricData, and CloudWatch Logs metric filters (filter, metric and dimension names) and
 * resource policies (policy names).
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DeleteMetricFilterCommand,
  DeleteResourcePolicyCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
  PutMetricFilterCommand,
  PutResourcePolicyCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { StorageMismatch, type ClientConfig, type NamedOperation } from './nastyNames.js';

function same(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new StorageMismatch(
      `${what}: stored ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:nasty-alarm';

function alarmCommand(
  AlarmName: string,
  more: Partial<ConstructorParameters<typeof PutMetricAlarmCommand>[0]> = {},
): PutMetricAlarmCommand {
  return new PutMetricAlarmCommand({
    AlarmName,
    Namespace: 'Nasty',
    MetricName: 'Errors',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...more,
  });
}

/** The alarm the tagging operation tags (the log group `nasty-group` comes from prepareFixtures). */
export async function prepareMonitoringFixtures(cfg: ClientConfig): Promise<void> {
  await new CloudWatchClient(cfg).send(alarmCommand('nasty-alarm'));
}

/** Operations on alarms, metric data, metric filters and resource policies; needs `nasty-group`. */
export function monitoringOperations(cfg: ClientConfig): NamedOperation[] {
  const cw = new CloudWatchClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);

  return [
    // ---- CloudWatch alarms
    {
      what: 'cloudwatch PutMetricAlarm + DescribeAlarms + SetAlarmState + history + DeleteAlarms',
      run: (n) => cw.send(alarmCommand(n, { Dimensions: [{ Name: n, Value: n }] })),
      check: async (n) => {
        const found = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }));
        same(
          `alarm ${n}`,
          found.MetricAlarms?.map((a) => [a.AlarmName, a.Dimensions]),
          [[n, [{ Name: n, Value: n }]]],
        );
        const byPrefix = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: n }));
        same(
          `alarm by prefix ${n}`,
          byPrefix.MetricAlarms?.some((a) => a.AlarmName === n),
          true,
        );
        await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'ALARM', StateReason: n }));
        const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: n }));
        same(
          `alarm history ${n}`,
          history.AlarmHistoryItems?.every((h) => h.AlarmName === n) && history.AlarmHistoryItems.length > 0,
          true,
        );
        await cw.send(new DeleteAlarmsCommand({ AlarmNames: [n] }));
        same(
          `deleted alarm ${n}`,
          (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }))).MetricAlarms,
          [],
        );
      },
    },
    {
      what: 'cloudwatch DescribeAlarmHistory',
      run: (n) => cw.send(new DescribeAlarmHistoryCommand({ AlarmName: n })),
    },
    {
      what: 'cloudwatch SetAlarmState',
      run: (n) => cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'OK', StateReason: 'x' })),
    },
    { what: 'cloudwatch DeleteAlarms', run: (n) => cw.send(new DeleteAlarmsCommand({ AlarmNames: [n] })) },
    {
      what: 'cloudwatch metric math alarm (query id and label)',
      run: (n) =>
        cw.send(
          new PutMetricAlarmCommand({
            AlarmName: 'nasty-math',
            EvaluationPeriods: 1,
            Threshold: 1,
            ComparisonOperator: 'GreaterThanThreshold',
            Metrics: [
              {
                Id: n,
                Label: n,
                MetricStat: { Metric: { Namespace: 'Nasty', MetricName: n }, Period: 60, Stat: 'Sum' },
                ReturnData: false,
              },
              { Id: 'e1', Expression: `${n} * 2`, Label: n, ReturnData: true },
            ],
          }),
        ),
      check: async (n) => {
        const found = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['nasty-math'] }));
        same(`math alarm query ${n}`, found.MetricAlarms?.[0]?.Metrics?.[0]?.Id, n);
      },
    },
    {
      what: 'cloudwatch TagResource (alarm)',
      run: (n) => cw.send(new TagResourceCommand({ ResourceARN: ALARM_ARN, Tags: [{ Key: n, Value: 'v' }] })),
      check: async (n) => {
        const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: ALARM_ARN }));
        same(
          `alarm tag ${n}`,
          tags.Tags?.some((t) => t.Key === n && t.Value === 'v'),
          true,
        );
      },
    },
    {
      what: 'cloudwatch GetMetricData (query id, label, expression)',
      run: (n) =>
        cw.send(
          new GetMetricDataCommand({
            StartTime: new Date(Date.now() - 3_600_000),
            EndTime: new Date(),
            MetricDataQueries: [
              {
                Id: n,
                Label: n,
                MetricStat: {
                  Metric: { Namespace: `Nasty/${n}`, MetricName: n, Dimensions: [{ Name: n, Value: n }] },
                  Period: 60,
                  Stat: 'Sum',
                },
              },
              { Id: 'total', Expression: `SUM([${n}])` },
            ],
          }),
        ),
    },

    // ---- CloudWatch Logs metric filters
    {
      what: 'logs PutMetricFilter + DescribeMetricFilters + DeleteMetricFilter',
      run: (n) =>
        logs.send(
          new PutMetricFilterCommand({
            logGroupName: 'nasty-group',
            filterName: n,
            filterPattern: '{ $.level = "ERROR" }',
            metricTransformations: [
              {
                metricName: n,
                metricNamespace: `Nasty/${n}`,
                metricValue: '1',
                dimensions: { [n]: '$.level' },
              },
            ],
          }),
        ),
      check: async (n) => {
        const found = await logs.send(
          new DescribeMetricFiltersCommand({ logGroupName: 'nasty-group', filterNamePrefix: n }),
        );
        const filter = found.metricFilters?.find((f) => f.filterName === n);
        same(`metric filter ${n}`, filter?.metricTransformations?.[0]?.metricName, n);
        // Read the dimension map's own keys: the SDK builds it as a plain object.
        same(
          `metric filter dimension ${n}`,
          Object.keys(filter?.metricTransformations?.[0]?.dimensions ?? {}),
          [n],
        );
        await logs.send(new DeleteMetricFilterCommand({ logGroupName: 'nasty-group', filterName: n }));
      },
    },
    {
      what: 'logs DeleteMetricFilter',
      run: (n) => logs.send(new DeleteMetricFilterCommand({ logGroupName: 'nasty-group', filterName: n })),
    },
    {
      what: 'logs TestMetricFilter (field named after it)',
      run: (n) =>
        logs.send(
          new TestMetricFilterCommand({
            filterPattern: `{ $.${JSON.stringify(n).slice(1, -1)} = 1 }`,
            logEventMessages: [JSON.stringify({ [n]: 1 })],
          }),
        ),
    },

    // ---- CloudWatch Logs resource policies
    {
      what: 'logs PutResourcePolicy + DescribeResourcePolicies + DeleteResourcePolicy',
      run: (n) =>
        logs.send(
          new PutResourcePolicyCommand({
            policyName: n,
            policyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'events.amazonaws.com' },
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:nasty-group:*',
                },
              ],
            }),
          }),
        ),
      check: async (n) => {
        const found = await logs.send(new DescribeResourcePoliciesCommand({}));
        same(
          `resource policy ${n}`,
          found.resourcePolicies?.some((p) => p.policyName === n),
          true,
        );
        await logs.send(new DeleteResourcePolicyCommand({ policyName: n }));
      },
    },
    {
      what: 'logs DeleteResourcePolicy',
      run: (n) => logs.send(new DeleteResourcePolicyCommand({ policyName: n })),
    },
  ];
}
