// CloudWatch alarms and Logs metric filters: the cost of one alarm evaluation pass over many
// alarms (it runs every 10 sandbox seconds, a third of a real second at the CLI's time-scale), and
// what metric filters add to PutLogEvents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { SandboxClock } from '../dist/src/sandbox/clock.js';
import { StateStore } from '../dist/src/sandbox/store.js';
import { MetricStore } from '../dist/src/sandbox/cloudwatch/metricStore.js';
import { AlarmStore } from '../dist/src/sandbox/cloudwatch/alarmStore.js';
import { AlarmEngine } from '../dist/src/sandbox/cloudwatch/alarmEngine.js';
import { readAlarmConfig } from '../dist/src/sandbox/cloudwatch/alarmInput.js';
import { clientConfig, median, withSandbox } from './benchSupport.mjs';

const ALARMS = 500;

/** One evaluation pass over ALARMS alarms, each on its own metric with a datapoint per minute. */
function alarmPass() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-bench-alarms-'));
  const clock = new SandboxClock(1);
  try {
    const store = new StateStore(dir);
    const metrics = new MetricStore(store, clock);
    const alarms = new AlarmStore(store, clock);
    const engine = new AlarmEngine({ alarms, metrics, clock, log: () => undefined });
    const now = clock.now();
    for (let i = 0; i < ALARMS; i++) {
      const dims = [{ Name: 'FunctionName', Value: `fn-${i}` }];
      for (let m = 1; m <= 5; m++) {
        metrics.record({
          region: 'us-east-1',
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: dims,
          value: i % 2,
          unit: 'Count',
          timestamp: now - m * 60_000,
        });
      }
      const config = readAlarmConfig({
        AlarmName: `alarm-${i}`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: dims,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      alarms.put({
        region: 'us-east-1',
        arn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:alarm-${i}`,
        config,
        configUpdatedAt: now,
        state: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: now },
        tags: [],
      });
    }
    const samples = [];
    for (let round = 0; round < 7; round++) {
      for (const a of alarms.all()) engine.reevaluateSoon(a.arn);
      const t0 = performance.now();
      engine.tick();
      samples.push(performance.now() - t0);
    }
    return median(samples);
  } finally {
    clock.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function putLogEvents(logs, group, n) {
  const t0 = performance.now();
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: 's',
      logEvents: Array.from({ length: n }, (_, i) => ({
        timestamp: now,
        message: JSON.stringify({ level: i % 10 === 0 ? 'ERROR' : 'INFO', ms: i, service: 'api' }),
      })),
    }),
  );
  return performance.now() - t0;
}

export async function run() {
  const passMs = alarmPass();
  const [plain, filtered] = await withSandbox('course-cli-bench-logs-', {}, async (sb) => {
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    for (const group of ['plain', 'filtered']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    }
    const patterns = ['{ $.level = "ERROR" }', '{ $.ms > 500 }', 'ERROR', '%ERR.R%', '{ $.service = api* }'];
    for (const [i, filterPattern] of patterns.entries()) {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: 'filtered',
          filterName: `f${i}`,
          filterPattern,
          metricTransformations: [
            { metricName: `M${i}`, metricNamespace: 'Bench', metricValue: '1', defaultValue: 0 },
          ],
        }),
      );
    }
    const a = [];
    const b = [];
    for (let round = 0; round < 9; round++) {
      a.push(await putLogEvents(logs, 'plain', 1000));
      b.push(await putLogEvents(logs, 'filtered', 1000));
    }
    return [median(a), median(b)];
  });
  return [
    {
      area: 'cloudwatch',
      metric: `alarm evaluation pass, ${ALARMS} alarms (2 of 3 datapoints), median`,
      target: '≤ 50 ms',
      measured: `${passMs.toFixed(1)} ms`,
      ok: passMs <= 50,
    },
    {
      area: 'logs',
      metric: 'PutLogEvents 1,000 events: 5 metric filters vs none, median',
      target: '≤ 3×',
      measured: `${filtered.toFixed(1)} ms vs ${plain.toFixed(1)} ms (${(filtered / plain).toFixed(2)}×)`,
      ok: filtered <= plain * 3,
    },
  ];
}
