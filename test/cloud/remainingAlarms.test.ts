/**
 * stillListed for alarms (DescribeAlarms by name prefix) and CloudWatch Logs resource policies
 * (DescribeResourcePolicies), against a real sandbox: listed while they exist, gone once deleted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { stillListed, type NamedResource } from '../../src/cloud/remaining.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-remaining-alarms-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('stillListed, alarms and log resource policies', () => {
  it('names them while they exist and not after', async () => {
    const rm = target.resources('demo9');
    const alarm = await rm.alarm({
      part: 'missing',
      description: 'test',
      metric: { namespace: 'Test/NS', metricName: 'M', stat: 'Maximum', period: 60 },
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const group = `/aws/events/${rm.nameFor('events-rule', 'pager')}`;
    await rm.logGroup({ name: group, retentionInDays: 1 });
    const policy = await rm.logResourcePolicy({
      part: 'to-pager',
      logGroupName: group,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'logs:PutLogEvents',
            Resource: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`,
          },
        ],
      },
    });
    const asked: NamedResource[] = [
      { kind: 'alarm', name: alarm.name },
      // A prefix of a real alarm's name is not that alarm.
      { kind: 'alarm', name: alarm.name.slice(0, -2) },
      { kind: 'log-resource-policy', name: policy.name },
      { kind: 'log-resource-policy', name: rm.nameFor('log-resource-policy', 'never-made') },
    ];
    expect(await stillListed(target.clients, asked)).toEqual([
      `alarm ${alarm.name}`,
      `log resource policy ${policy.name}`,
    ]);
    await target.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarm.name] }));
    await target.clients.logs.send(new DeleteResourcePolicyCommand({ policyName: policy.name }));
    expect(await stillListed(target.clients, asked)).toEqual([]);
    await target.teardown('demo9');
  }, 60_000);
});
