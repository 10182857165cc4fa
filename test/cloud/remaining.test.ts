/**
 * stillListed: what a teardown step shows as "still there", asked through List calls against a real
 * sandbox — including state machines (and not counting one AWS is deleting), log groups, rules and
 * alarms found by prefix, and kinds without a List call of their own left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteStateMachineCommand } from '@aws-sdk/client-sfn';
import { DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { stillListed, type NamedResource } from '../../src/cloud/remaining.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-remaining-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('stillListed', () => {
  it('names what List calls still show, state machines included, in the order asked', async () => {
    const rm = target.resources('demo9');
    const role = await rm.role({
      part: 'sfn',
      description: 'test',
      trustedService: 'states.amazonaws.com',
      inlinePolicies: {
        none: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
      },
    });
    const sm = await rm.stateMachine({
      part: 'flow',
      roleArn: role.arn,
      definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
    });
    const group = `/aws/vendedlogs/states/${sm.name}`;
    await rm.logGroup({ name: group, retentionInDays: 1 });
    const alarm = await rm.alarm({
      part: 'fails',
      description: 'test',
      metric: {
        namespace: 'AWS/States',
        metricName: 'ExecutionsFailed',
        dimensions: { StateMachineArn: sm.arn },
        stat: 'Sum',
        period: 60,
      },
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const asked: NamedResource[] = [
      { kind: 'state-machine', name: sm.name },
      { kind: 'log-group', name: group },
      // A prefix of a real group is not that group.
      { kind: 'log-group', name: group.slice(0, -3) },
      { kind: 'iam-role', name: role.name },
      { kind: 'alarm', name: alarm.name },
      // A prefix of a real alarm is not that alarm.
      { kind: 'alarm', name: alarm.name.slice(0, -2) },
      { kind: 'lambda-function', name: rm.nameFor('lambda-function', 'never-made') },
      { kind: 'events-rule', name: rm.nameFor('events-rule', 'never-made') },
      { kind: 's3-bucket', name: rm.nameFor('s3-bucket', 'never-made') },
      // No List call of its own: never reported.
      { kind: 'lambda-permission', name: 'allow-something' },
    ];
    expect(await stillListed(target.clients, asked)).toEqual([
      `state machine ${sm.name}`,
      `log group ${group}`,
      `role ${role.name}`,
      `alarm ${alarm.name}`,
    ]);

    await target.clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: sm.arn }));
    await target.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarm.name] }));
    expect(await stillListed(target.clients, asked)).toEqual([`log group ${group}`, `role ${role.name}`]);
  });
});
