/**
 * The alarm and metric-filter kinds' handling of AWS's answers (unit tests with mocked clients):
 * CloudWatch's own "not found" spelling, a filter whose log group is gone, and the re-tagging of an
 * alarm an earlier attempt left untagged (PutMetricAlarm ignores Tags on update).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DeleteMetricFilterCommand,
  ListTagsForResourceCommand as LogsTags,
} from '@aws-sdk/client-cloudwatch-logs';
import { resourceContext } from '../../src/cloud/resourceManager.js';
import { toCliCommand } from '../../src/cloud/cliEquivalent.js';
import { sanitizeInput } from '../../src/cloud/callLog.js';
import { alarmTeardown, createAlarm } from '../../src/cloud/resources/alarm.js';
import { metricFilterTeardown } from '../../src/cloud/resources/metricFilter.js';
import { tagList } from '../../src/cloud/naming.js';
import type { AlarmSpec } from '../../src/cloud/resourceTypes.js';
import { awsErr, mockTarget, ourTags } from './mockTarget.js';

let t: ReturnType<typeof mockTarget>;
afterEach(() => t?.cleanup());

const ctx = () => resourceContext({ clients: t.clients, info: t.info, ledger: t.ledger });
const spec: AlarmSpec = {
  part: 'errors',
  description: 'd',
  metric: {
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: 'f' },
    stat: 'Sum',
    period: 60,
  },
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
};

describe('alarm kind', () => {
  it('counts CloudWatch’s ResourceNotFound on delete as already gone', async () => {
    t = mockTarget();
    const name = `course-demo1-${t.ledger.runId}-errors`;
    t.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: name }] });
    t.mocks.cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: tagList(ourTags(t.ledger.runId)) });
    t.mocks.cloudwatch.on(DeleteAlarmsCommand).rejects(awsErr('ResourceNotFound', 'gone', 404));
    expect(await alarmTeardown.remove(ctx(), { name }, true)).toBe('gone');
  });

  it('re-tags an untagged alarm the ledger named (PutMetricAlarm ignores Tags on update)', async () => {
    t = mockTarget();
    const name = `course-demo1-${t.ledger.runId}-errors`;
    t.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: name }] });
    t.mocks.cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    t.mocks.cloudwatch.on(PutMetricAlarmCommand).resolves({});
    t.mocks.cloudwatch.on(TagResourceCommand).resolves({});
    const arn = await createAlarm(ctx(), spec, name, true);
    expect(arn).toBe(`arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`);
    const put = t.mocks.cloudwatch.commandCalls(PutMetricAlarmCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ AlarmName: name, Dimensions: [{ Name: 'FunctionName', Value: 'f' }] });
    expect(put.Tags).toBeUndefined();
    expect(t.mocks.cloudwatch.commandCalls(TagResourceCommand)[0]!.args[0].input.Tags).toEqual(
      tagList(ourTags(t.ledger.runId)),
    );
  });
});

describe('metric-filter kind', () => {
  it('is gone when its log group is gone, without a delete call', async () => {
    t = mockTarget();
    t.mocks.logs
      .on(LogsTags)
      .rejects(awsErr('ResourceNotFoundException', 'The specified log group does not exist.'));
    const outcome = await metricFilterTeardown.remove(ctx(), { name: 'f', parent: '/aws/lambda/x' }, true);
    expect(outcome).toBe('gone');
    expect(t.mocks.logs.commandCalls(DeleteMetricFilterCommand)).toHaveLength(0);
  });

  it('refuses a filter whose log group is not this run’s', async () => {
    t = mockTarget();
    t.mocks.logs.on(LogsTags).resolves({ tags: ourTags('other1') });
    const outcome = await metricFilterTeardown.remove(ctx(), { name: 'f', parent: '/aws/lambda/x' }, true);
    expect(outcome).toEqual({ refused: `its log group is tagged for run other1, not ${t.ledger.runId}` });
  });
});

describe('AWS CLI equivalents', () => {
  it('renders the alarm and filter calls as commands the CLI takes', () => {
    const line = (service: string, operation: string, input: unknown): string =>
      toCliCommand({
        service,
        operation,
        input: sanitizeInput(input),
        startedAt: 0,
        durationMs: 1,
        outcome: 'ok',
      });
    expect(
      line('CloudWatch', 'PutMetricAlarm', {
        AlarmName: 'a',
        ActionsEnabled: true,
        OKActions: [],
        Dimensions: [{ Name: 'FunctionName', Value: 'f' }],
        Threshold: 1,
      }),
    ).toBe(
      `aws cloudwatch put-metric-alarm --alarm-name a --actions-enabled --ok-actions '[]' --dimensions '[{"Name":"FunctionName","Value":"f"}]' --threshold 1`,
    );
    expect(
      line('CloudWatch Logs', 'PutMetricFilter', {
        logGroupName: '/aws/lambda/f',
        filterName: 'errors',
        filterPattern: '{ $.level = "ERROR" }',
        metricTransformations: [{ metricName: 'E', metricNamespace: 'N', metricValue: '1' }],
      }),
    ).toBe(
      `aws logs put-metric-filter --log-group-name /aws/lambda/f --filter-name errors --filter-pattern '{ $.level = "ERROR" }' --metric-transformations '[{"metricName":"E","metricNamespace":"N","metricValue":"1"}]'`,
    );
  });
});
