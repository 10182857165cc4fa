/**
 * End to end with the real sandbox services: a Lambda function fails → AWS/Lambda Errors → an
 * alarm on it goes to ALARM → the "CloudWatch Alarm State Change" event on the default bus →
 * an EventBridge rule matching it → a Lambda target receives the event in AWS's shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole } from '../lambda/fixtures.js';

let t: TestSandbox;
let lambda: LambdaClient;
const outDir = makeTempDir('alarm-e2e-out-');
const received = path.join(outDir, 'events.jsonl');

beforeAll(async () => {
  t = await startTestSandbox({ timeScale: 120 });
  lambda = new LambdaClient(t.clientConfig);
}, 60_000);
afterAll(() => t?.stop());

async function until<T>(probe: () => T | undefined, realMs = 30_000): Promise<T> {
  const end = Date.now() + realMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Lambda errors → alarm → EventBridge rule → target', () => {
  it('delivers the alarm state change event to the rule target', { timeout: 90_000 }, async () => {
    const role = await createRole(t, 'alarm-e2e');
    await createFunction(lambda, role, 'flaky', {
      'index.js': "exports.handler = async () => { throw new Error('upstream data is missing'); };",
    });
    await createFunction(
      lambda,
      role,
      'pager',
      {
        'index.js':
          "const fs = require('node:fs');\nexports.handler = async (event) => { fs.appendFileSync(process.env.OUT_FILE, JSON.stringify(event) + '\\n'); };",
      },
      { Environment: { Variables: { OUT_FILE: received } } },
    );

    const eb = new EventBridgeClient(t.clientConfig);
    const rule = await eb.send(
      new PutRuleCommand({
        Name: 'page-on-alarm',
        EventPattern: JSON.stringify({
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { state: { value: ['ALARM'] } },
        }),
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'pager',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: rule.RuleArn,
      }),
    );
    await eb.send(
      new PutTargetsCommand({
        Rule: 'page-on-alarm',
        Targets: [{ Id: 'pager', Arn: `arn:aws:lambda:us-east-1:${t.sandbox.accountId}:function:pager` }],
      }),
    );

    const cw = new CloudWatchClient(t.clientConfig);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'flaky-errors',
        AlarmDescription: 'The job failed',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'flaky' }));
    expect(failed.FunctionError).toBe('Unhandled');

    const event = await until(() => {
      if (!fs.existsSync(received)) return undefined;
      const line = fs.readFileSync(received, 'utf8').split('\n').find(Boolean);
      return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
    });
    const alarmArn = `arn:aws:cloudwatch:us-east-1:${t.sandbox.accountId}:alarm:flaky-errors`;
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: t.sandbox.accountId,
      region: 'us-east-1',
      resources: [alarmArn],
      detail: {
        alarmName: 'flaky-errors',
        configuration: {
          description: 'The job failed',
          metrics: [
            {
              id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
              metricStat: {
                metric: { dimensions: { FunctionName: 'flaky' }, name: 'Errors', namespace: 'AWS/Lambda' },
                period: 60,
                stat: 'Sum',
              },
              returnData: true,
            },
          ],
        },
        previousState: { value: 'INSUFFICIENT_DATA' },
        state: {
          value: 'ALARM',
          reason: expect.stringMatching(
            /^Threshold Crossed: 1 datapoint \[1\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than or equal to the threshold \(1\.0\)\.$/,
          ),
          reasonData: expect.stringContaining('"statistic":"Sum","period":60,"recentDatapoints":[1.0]'),
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
        },
      },
    });
    // The event's time is the state change's, on the sandbox clock.
    const detail = event.detail as { state: { timestamp: string } };
    expect(Date.parse(event.time as string)).toBe(
      Math.floor(Date.parse(detail.state.timestamp.replace('+0000', 'Z')) / 1000) * 1000,
    );
  });
});
