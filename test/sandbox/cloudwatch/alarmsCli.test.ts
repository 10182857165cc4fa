import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliJson } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

// The CLI of Debian 12 speaks awsQuery to CloudWatch: alarms through the same operations as the SDK.
// Dimension and tag values that look like numbers stay strings (every awsQuery value is text).
describe('AWS CLI v2 against sandbox CloudWatch alarms (awsQuery)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    requireTool(AWS_CLI, 'awscli');
    t = await startTestSandbox({ timeScale: 240 });
  });
  afterAll(() => t.stop());

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t, ['cloudwatch', ...args]);

  it(
    'put-metric-alarm, describe-alarms, tags, set-alarm-state, history, delete-alarms',
    { timeout: 120_000 },
    async () => {
      await aws(
        'put-metric-alarm',
        '--alarm-name',
        'cli-errors',
        '--namespace',
        'AWS/Lambda',
        '--metric-name',
        'Errors',
        '--dimensions',
        'Name=Shard,Value=7',
        '--statistic',
        'Sum',
        '--period',
        '60',
        '--evaluation-periods',
        '3',
        '--datapoints-to-alarm',
        '2',
        '--threshold',
        '1',
        '--comparison-operator',
        'GreaterThanOrEqualToThreshold',
        '--treat-missing-data',
        'notBreaching',
        '--no-actions-enabled',
        '--tags',
        'Key=course:run,Value=42',
      );
      const described = await aws('describe-alarms', '--alarm-names', 'cli-errors');
      expect(described.CompositeAlarms).toEqual([]);
      expect(described.MetricAlarms).toEqual([
        expect.objectContaining({
          AlarmName: 'cli-errors',
          AlarmArn: `arn:aws:cloudwatch:us-east-1:${t.sandbox.accountId}:alarm:cli-errors`,
          ActionsEnabled: false,
          Dimensions: [{ Name: 'Shard', Value: '7' }],
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 1,
          TreatMissingData: 'notBreaching',
        }),
      ]);
      const arn = `arn:aws:cloudwatch:us-east-1:${t.sandbox.accountId}:alarm:cli-errors`;
      expect(await aws('list-tags-for-resource', '--resource-arn', arn)).toEqual({
        Tags: [{ Key: 'course:run', Value: '42' }],
      });
      const forMetric = await aws(
        'describe-alarms-for-metric',
        '--namespace',
        'AWS/Lambda',
        '--metric-name',
        'Errors',
        '--dimensions',
        'Name=Shard,Value=7',
      );
      expect((forMetric.MetricAlarms as Array<{ AlarmName: string }>).map((a) => a.AlarmName)).toEqual([
        'cli-errors',
      ]);

      await aws(
        'set-alarm-state',
        '--alarm-name',
        'cli-errors',
        '--state-value',
        'ALARM',
        '--state-reason',
        'drill',
      );
      const history = await aws(
        'describe-alarm-history',
        '--alarm-name',
        'cli-errors',
        '--history-item-type',
        'StateUpdate',
        '--scan-by',
        'TimestampAscending',
      );
      const summaries = (history.AlarmHistoryItems as Array<{ HistorySummary: string }>).map(
        (h) => h.HistorySummary,
      );
      expect(summaries).toContain('Alarm updated from OK to ALARM');

      const bad = await awsCli(t, [
        'cloudwatch',
        'set-alarm-state',
        '--alarm-name',
        'nope',
        '--state-value',
        'OK',
        '--state-reason',
        'x',
      ]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('(ResourceNotFound)');
      const invalid = await awsCli(t, [
        'cloudwatch',
        'put-metric-alarm',
        '--alarm-name',
        'bad',
        '--namespace',
        'X',
        '--metric-name',
        'Y',
        '--statistic',
        'Sum',
        '--period',
        '45',
        '--evaluation-periods',
        '1',
        '--threshold',
        '1',
        '--comparison-operator',
        'GreaterThanThreshold',
      ]);
      expect(invalid.stderr).toContain('(ValidationError)');

      // A metric math alarm: the Metrics list arrives as nested awsQuery members.
      await aws(
        'put-metric-alarm',
        '--alarm-name',
        'cli-rate',
        '--evaluation-periods',
        '1',
        '--threshold',
        '10',
        '--comparison-operator',
        'GreaterThanThreshold',
        '--metrics',
        JSON.stringify([
          {
            Id: 'errors',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Errors',
                Dimensions: [{ Name: 'FunctionName', Value: 'job' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'rate', Expression: 'errors * 100', Label: 'Errors (%)', ReturnData: true },
        ]),
      );
      const rate = await aws('describe-alarms', '--alarm-names', 'cli-rate');
      expect((rate.MetricAlarms as Array<Record<string, unknown>>)[0]!.Metrics).toEqual([
        expect.objectContaining({
          Id: 'errors',
          ReturnData: false,
          MetricStat: expect.objectContaining({ Period: 60, Stat: 'Sum' }),
        }),
        { Id: 'rate', Expression: 'errors * 100', Label: 'Errors (%)', ReturnData: true },
      ]);

      await aws('delete-alarms', '--alarm-names', 'cli-errors', 'cli-rate');
      expect((await aws('describe-alarms')).MetricAlarms).toEqual([]);
    },
  );
});
