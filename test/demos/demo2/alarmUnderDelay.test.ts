/**
 * demo2's alarm on failed executions, as the demo defines it (its queries and evaluation), against a
 * sandbox whose metrics arrive 3 minutes late (the top of AWS's 1–3): a failed execution still moves
 * it to ALARM once ExecutionsFailed arrives, and it clears afterwards. The same alarm judging only
 * the last minute — the demo's earlier design — never fires: with FILL(failed, 0) the most recent
 * minute is a quiet 0 by the time the failure's datapoint arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  PutMetricAlarmCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  ALARM_EVALUATION,
  alarmQueries,
} from '../../../demos/demo2-event-driven-step-functions/alarmWatch.js';
import { profileFromJson } from '../../../src/sandbox/faults/index.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createRole, waitForExecution } from '../../sandbox/stepfunctions/fixtures.js';

const DELAY_MS = 180_000;
let sb: TestSandbox;
let cw: CloudWatchClient;

beforeAll(async () => {
  // A sandbox minute per real second: the alarm is evaluated on the sandbox clock.
  sb = await startTestSandbox({
    timeScale: 60,
    faults: profileFromJson({ seed: 1, metricDelaySeconds: DELAY_MS / 1000 }, 'late-metrics'),
  });
  cw = new CloudWatchClient(sb.clientConfig);
}, 60_000);
afterAll(() => sb?.stop());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** PutMetricAlarm for the demo's queries, as the cloud layer sends them. */
async function putAlarm(name: string, stateMachineArn: string, evaluationPeriods: number, m: number) {
  const metrics: MetricDataQuery[] = alarmQueries(stateMachineArn).map((q) => ({
    Id: q.id,
    Expression: q.expression,
    Label: q.label,
    ReturnData: q.returnData ?? false,
    MetricStat: q.metric && {
      Metric: {
        Namespace: q.metric.namespace,
        MetricName: q.metric.metricName,
        Dimensions: Object.entries(q.metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: q.metric.period,
      Stat: q.metric.stat,
    },
  }));
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Metrics: metrics,
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: m,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
}

async function changes(name: string): Promise<Array<{ at: number; summary: string }>> {
  const out = await cw.send(
    new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }),
  );
  return (out.AlarmHistoryItems ?? [])
    .map((h) => ({ at: h.Timestamp!.getTime(), summary: h.HistorySummary! }))
    .sort((a, b) => a.at - b.at);
}

describe("demo2's alarm when ExecutionsFailed arrives 3 minutes late", () => {
  it('fires once the failure arrives and clears afterwards; judging the last minute alone never fires', async () => {
    const sfn = new SFNClient(sb.clientConfig);
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: 'pipeline',
        roleArn: await createRole(sb, 'pipeline-role'),
        definition: JSON.stringify({ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Broken' } } }),
      }),
    );
    const arn = machine.stateMachineArn!;
    await putAlarm('demo-alarm', arn, ALARM_EVALUATION.evaluationPeriods, ALARM_EVALUATION.datapointsToAlarm);
    await putAlarm('last-minute-only', arn, 1, 1);

    const run = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const failed = await waitForExecution(sfn, run.executionArn!);
    expect(failed.status).toBe('FAILED');
    const failedAt = failed.stopDate!.getTime();

    let history = await changes('demo-alarm');
    const cleared = (): boolean => history.some((h) => h.summary === 'Alarm updated from ALARM to OK');
    for (let i = 0; i < 600 && !cleared(); i++) {
      await sleep(50);
      history = await changes('demo-alarm');
    }
    const toAlarm = history.find((h) => h.summary === 'Alarm updated from OK to ALARM');
    expect(toAlarm, JSON.stringify(history)).toBeDefined();
    // It fired on the late datapoint, not before it could have arrived…
    expect(toAlarm!.at).toBeGreaterThanOrEqual(failedAt + DELAY_MS);
    // …and cleared once the failure's minute left the minutes it judges.
    expect(history.map((h) => h.summary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);

    // By now the failure has been visible for minutes: the last-minute alarm had every chance.
    expect(sb.sandbox.clock.now()).toBeGreaterThan(failedAt + DELAY_MS + 2 * 60_000);
    expect((await changes('last-minute-only')).map((h) => h.summary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
    ]);
  }, 90_000);
});
