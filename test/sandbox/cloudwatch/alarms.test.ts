/**
 * CloudWatch metric alarms through @aws-sdk/client-cloudwatch (awsJson 1.0) against the sandbox:
 * the API's shapes and errors, and alarms evaluated on the sandbox clock with AWS's state reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';

/** 240 sandbox seconds per real second: an alarm minute passes in a quarter of a second. */
const TIME_SCALE = 240;

let t: TestSandbox;
let cw: CloudWatchClient;

beforeAll(async () => {
  t = await startTestSandbox({ timeScale: TIME_SCALE });
  cw = new CloudWatchClient(t.clientConfig);
});
afterAll(() => t.stop());

const arnOf = (name: string): string => `arn:aws:cloudwatch:us-east-1:${t.sandbox.accountId}:alarm:${name}`;

async function describe1(name: string): Promise<MetricAlarm> {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  expect(out.MetricAlarms).toHaveLength(1);
  return out.MetricAlarms![0]!;
}

interface StateChange {
  stateValue: string;
  stateReason: string;
  stateReasonData?: Record<string, unknown>;
}

/**
 * Poll the alarm's history until it has moved to `state` (history, not the current state, so a
 * loaded machine cannot make the test miss a short-lived state).
 */
async function waitForTransition(name: string, state: string, realMs = 20_000): Promise<StateChange> {
  const deadline = Date.now() + realMs;
  for (;;) {
    const out = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: name,
        HistoryItemType: 'StateUpdate',
        ScanBy: 'TimestampAscending',
      }),
    );
    for (const h of out.AlarmHistoryItems ?? []) {
      const change = JSON.parse(h.HistoryData!) as { newState: StateChange };
      if (change.newState.stateValue === state) return change.newState;
    }
    if (Date.now() > deadline) throw new Error(`alarm ${name} never went to ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function alarmInput(
  name: string,
  more: Partial<PutMetricAlarmCommandInput> = {},
): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: 'Course/Alarms',
    MetricName: name,
    Dimensions: [{ Name: 'Run', Value: 'r1' }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...more,
  };
}

async function put(name: string, value: number, at?: number): Promise<void> {
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'Course/Alarms',
      MetricData: [
        {
          MetricName: name,
          Dimensions: [{ Name: 'Run', Value: 'r1' }],
          Value: value,
          Timestamp: at === undefined ? undefined : new Date(at),
        },
      ],
    }),
  );
}

const pad = (n: number): string => String(n).padStart(2, '0');
const reasonDate = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
};

describe('PutMetricAlarm and DescribeAlarms', () => {
  it('creates an alarm in INSUFFICIENT_DATA, echoes its configuration and keeps its tags', async () => {
    const before = t.sandbox.clock.now();
    await cw.send(
      new PutMetricAlarmCommand(
        alarmInput('shape', {
          AlarmDescription: 'errors of the hourly job',
          DatapointsToAlarm: 1,
          TreatMissingData: 'missing',
          Tags: [{ Key: 'course:run', Value: 'r1' }],
          // No data: evaluations keep it in INSUFFICIENT_DATA with its initial reason.
        }),
      ),
    );
    const a = await describe1('shape');
    expect(a).toMatchObject({
      AlarmName: 'shape',
      AlarmArn: arnOf('shape'),
      AlarmDescription: 'errors of the hourly job',
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      MetricName: 'shape',
      Namespace: 'Course/Alarms',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'Run', Value: 'r1' }],
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
    });
    expect(a.AlarmConfigurationUpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('shape') }));
    expect(tags.Tags).toEqual([{ Key: 'course:run', Value: 'r1' }]);
    await cw.send(new TagResourceCommand({ ResourceARN: arnOf('shape'), Tags: [{ Key: 'b', Value: '2' }] }));
    await cw.send(new UntagResourceCommand({ ResourceARN: arnOf('shape'), TagKeys: ['course:run'] }));
    expect((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('shape') }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
  });

  it('filters by prefix, state and action prefix, and pages', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) {
      await cw.send(
        new PutMetricAlarmCommand(
          alarmInput(n, { Threshold: 1e9, AlarmActions: ['arn:aws:sns:us-east-1:000000000000:pager'] }),
        ),
      );
    }
    const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2 }));
    expect(first.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-a', 'page-b']);
    const second = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2, NextToken: first.NextToken }),
    );
    expect(second.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
    const byAction = await cw.send(
      new DescribeAlarmsCommand({ ActionPrefix: 'arn:aws:sns:us-east-1:000000000000:pag' }),
    );
    expect(byAction.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-a', 'page-b', 'page-c']);
    const composite = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }));
    expect(composite).toMatchObject({ MetricAlarms: [], CompositeAlarms: [] });
    const forMetric = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'Course/Alarms',
        MetricName: 'page-b',
        Dimensions: [{ Name: 'Run', Value: 'r1' }],
      }),
    );
    expect(forMetric.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['page-b']);
  });

  it('answers mistakes with CloudWatch errors', async () => {
    expect(
      await errorOf(cw.send(new PutMetricAlarmCommand(alarmInput('bad', { Period: 45 })))),
    ).toMatchObject({
      name: 'ValidationException',
      status: 400,
      message: expect.stringContaining('Period must be 10, 20, 30 or a multiple of 60'),
    });
    expect(
      await errorOf(
        cw.send(new PutMetricAlarmCommand(alarmInput('bad', { EvaluationPeriods: 2, DatapointsToAlarm: 3 }))),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'DatapointsToAlarm must be less than or equal to EvaluationPeriods.',
    });
    expect(
      await errorOf(cw.send(new PutMetricAlarmCommand(alarmInput('bad', { TreatMissingData: 'sometimes' })))),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        'Option sometimes is not supported. Supported options for parameter TreatMissingData are missing, ignore, breaching and notBreaching.',
    });
    expect(
      await errorOf(
        cw.send(new PutMetricAlarmCommand(alarmInput('bad', { Period: 600, EvaluationPeriods: 145 }))),
      ),
    ).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('more than a day') });
    expect(
      await errorOf(
        cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })),
      ),
    ).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    expect(
      await errorOf(
        cw.send(
          new SetAlarmStateCommand({
            AlarmName: 'shape',
            StateValue: 'ALARM',
            StateReason: 'x',
            StateReasonData: '{',
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidFormatFault', status: 400 });
    expect(
      await errorOf(cw.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('nope') }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    // One unknown name: nothing is deleted.
    expect(await errorOf(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['page-a', 'nope'] })))).toMatchObject(
      {
        name: 'ResourceNotFound',
        status: 404,
      },
    );
    await describe1('page-a');
  });
});

describe('alarms evaluated on the sandbox clock', () => {
  it('goes to ALARM with AWS reason and reason data, then INSUFFICIENT_DATA when data stops', async () => {
    await cw.send(new PutMetricAlarmCommand(alarmInput('errors')));
    await put('errors', 2);
    const a = await waitForTransition('errors', 'ALARM');
    const data = a.stateReasonData!;
    const evaluated = (data.evaluatedDatapoints as Array<{ timestamp: string }>)[0]!;
    const at = Date.parse(evaluated.timestamp.replace('+0000', 'Z'));
    expect(a.stateReason).toBe(
      `Threshold Crossed: 1 datapoint [2.0 (${reasonDate(at)})] was greater than or equal to the threshold (1.0).`,
    );
    expect(data).toMatchObject({
      version: '1.0',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [2],
      threshold: 1,
      evaluatedDatapoints: [{ sampleCount: 1, value: 2 }],
    });
    expect(at % 60_000).toBe(0);

    const back = await waitForTransition('errors', 'INSUFFICIENT_DATA');
    expect(back.stateReason).toBe('Insufficient Data: 1 datapoint was unknown.');
    const current = await describe1('errors');
    expect(current.StateValue).toBe('INSUFFICIENT_DATA');
    // StateReasonData as AWS writes it: Java-style doubles.
    expect(current.StateReasonData).toContain('"recentDatapoints":[],"threshold":1.0}');
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors' }));
    expect(history.AlarmHistoryItems!.map((h) => [h.HistoryItemType, h.HistorySummary])).toEqual([
      ['StateUpdate', 'Alarm updated from ALARM to INSUFFICIENT_DATA'],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['ConfigurationUpdate', 'Alarm "errors" created'],
    ]);
    const change = JSON.parse(history.AlarmHistoryItems![1]!.HistoryData!) as Record<string, unknown>;
    expect(change).toMatchObject({
      version: '1.0',
      oldState: { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' },
      newState: { stateValue: 'ALARM', stateReason: a.stateReason },
    });
  });

  it('writes the M out of N reason for alarms created with DatapointsToAlarm', async () => {
    // Data first: an alarm evaluates what was published before it existed, as on AWS.
    const minute = Math.floor(t.sandbox.clock.now() / 60_000) * 60_000;
    await put('m-of-n', 0, minute - 180_000);
    await put('m-of-n', 5, minute - 120_000);
    await put('m-of-n', 7, minute - 60_000);
    await cw.send(
      new PutMetricAlarmCommand(
        alarmInput('m-of-n', {
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          TreatMissingData: 'notBreaching',
        }),
      ),
    );
    const a = await waitForTransition('m-of-n', 'ALARM');
    expect(a.stateReason).toBe(
      `Threshold Crossed: 2 out of the last 3 datapoints [7.0 (${reasonDate(minute - 60_000)}), 5.0 (${reasonDate(minute - 120_000)})] were greater than or equal to the threshold (1.0) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).`,
    );
  });

  it('alarms on a metric math expression', async () => {
    const math = (id: string, metric: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'Course/Alarms',
          MetricName: metric,
          Dimensions: [{ Name: 'Run', Value: 'r1' }],
        },
        Period: 60,
        Stat: 'Sum',
      },
    });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'error-rate',
        Metrics: [
          math('failed', 'rate-errors'),
          math('total', 'rate-invocations'),
          { Id: 'rate', Expression: '100 * failed / total', Label: 'Error rate (%)', ReturnData: true },
        ],
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    // One timestamp for both: at 240× a sandbox minute is a quarter of a real second, and two puts
    // on a loaded machine could otherwise land in different minutes (no minute with both, no ALARM).
    const at = t.sandbox.clock.now();
    await put('rate-errors', 3, at);
    await put('rate-invocations', 4, at);
    const a = await waitForTransition('error-rate', 'ALARM');
    expect(a.stateReason).toMatch(
      /^Threshold Crossed: 1 datapoint \[75\.0 \(.*\)\] was greater than the threshold \(50\.0\)\.$/,
    );
    expect(a.stateReasonData).toMatchObject({ period: 60, recentDatapoints: [75], threshold: 50 });
    expect(a.stateReasonData!.statistic).toBeUndefined();
    expect((await describe1('error-rate')).Metrics!.map((m) => m.Id)).toEqual(['failed', 'total', 'rate']);

    // GetMetricData evaluates the same expression.
    const now = t.sandbox.clock.now();
    const result = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          math('failed', 'rate-errors'),
          math('total', 'rate-invocations'),
          { Id: 'rate', Expression: '100 * failed / total' },
        ],
      }),
    );
    expect(result.MetricDataResults!.map((r) => [r.Id, r.Values])).toEqual([['rate', [75]]]);
  });

  it('SetAlarmState changes the state until the next evaluation; actions can be disabled', async () => {
    await cw.send(new PutMetricAlarmCommand(alarmInput('manual', { TreatMissingData: 'notBreaching' })));
    await waitForTransition('manual', 'OK');
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'manual',
        StateValue: 'ALARM',
        StateReason: 'testing the pager',
      }),
    );
    // Back to OK at its next evaluation: the third transition.
    for (let i = 0; i < 1000; i++) {
      const h = await cw.send(
        new DescribeAlarmHistoryCommand({ AlarmName: 'manual', HistoryItemType: 'StateUpdate' }),
      );
      if (h.AlarmHistoryItems!.length >= 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const history = await cw.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'manual',
        HistoryItemType: 'StateUpdate',
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    expect(JSON.parse(history.AlarmHistoryItems![1]!.HistoryData!)).toMatchObject({
      newState: { stateValue: 'ALARM', stateReason: 'testing the pager' },
    });
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['manual'] }));
    expect((await describe1('manual')).ActionsEnabled).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['manual'] }));
    expect((await describe1('manual')).ActionsEnabled).toBe(true);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['manual'] }));
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['manual'] }))).MetricAlarms).toEqual([]);
  });
});

describe('persistence', () => {
  it('keeps alarms, their state, tags and history across a restart', async () => {
    const before = await describe1('shape');
    await t.restart({ timeScale: TIME_SCALE });
    cw = new CloudWatchClient(t.clientConfig);
    const after = await describe1('shape');
    expect(after).toEqual(before);
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: arnOf('shape') }));
    expect(tags.Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'm-of-n' }));
    expect(history.AlarmHistoryItems!.at(-1)!.HistorySummary).toBe('Alarm "m-of-n" created');
  });
});
