/**
 * The cloud layer's `alarm` and `metric-filter` kinds against a real embedded sandbox: write-ahead
 * ledger, tags (a metric filter is proven ours by its log group), adopt on a second create, refuse
 * someone else's, teardown (twice) and a sweep that finds what is left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { ResourceConflictError } from '../../src/cloud/errors.js';
import type { AlarmSpec, MetricFilterSpec } from '../../src/cloud/resourceTypes.js';
import { courseTags, tagList } from '../../src/cloud/naming.js';
import { thrownBy } from '../helpers/awsErrors.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-alarms-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function deploy(demo: string) {
  const rm = target.resources(demo);
  const groupName = `/aws/lambda/${rm.nameFor('lambda-function', 'job')}`;
  const group = await rm.logGroup({ name: groupName, retentionInDays: 1 });
  const filterSpec: MetricFilterSpec = {
    part: 'error-lines',
    logGroupName: groupName,
    filterPattern: '{ $.level = "ERROR" }',
    metricNamespace: `Course/${rm.runId}`,
    metricName: 'ErrorLines',
    metricValue: '1',
    defaultValue: 0,
  };
  const filter = await rm.metricFilter(filterSpec);
  const alarmSpec: AlarmSpec = {
    part: 'job-errors',
    description: 'The job logged an error',
    metric: { namespace: `Course/${rm.runId}`, metricName: 'ErrorLines', stat: 'Sum', period: 60 },
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  };
  const alarm = await rm.alarm(alarmSpec);
  return { rm, group, filter, alarm, groupName, filterSpec, alarmSpec };
}

const alarmsWith = async (prefix: string) =>
  (await target.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix })))
    .MetricAlarms ?? [];

const filtersOf = async (group: string) =>
  (await target.clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters ??
  [];

describe('alarm and metric-filter resource kinds on the sandbox', () => {
  it('creates them tagged and once, tears them down with the rest, twice', async () => {
    const first = await deploy('demo1');
    const prefix = `course-demo1-${first.rm.runId}-`;
    expect(first.alarm).toEqual({
      kind: 'alarm',
      name: `${prefix}job-errors`,
      arn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${prefix}job-errors`,
    });
    expect(first.filter).toMatchObject({ kind: 'metric-filter', name: `${prefix}error-lines` });
    const tags = await target.clients.cloudwatch.send(
      new ListTagsForResourceCommand({ ResourceARN: first.alarm.arn }),
    );
    expect(tags.Tags).toEqual(expect.arrayContaining(tagList(courseTags('demo1', first.rm.runId))));

    const second = await deploy('demo1');
    expect(second.alarm).toEqual(first.alarm);
    expect(await alarmsWith(prefix)).toHaveLength(1);
    expect(await filtersOf(first.groupName)).toEqual([
      expect.objectContaining({ filterName: `${prefix}error-lines`, filterPattern: '{ $.level = "ERROR" }' }),
    ]);
    const ledger = target.ledger('demo1')!;
    expect(ledger.find('metric-filter', `${prefix}error-lines`, first.groupName)?.state).toBe('created');
    expect(target.describeDeployment('demo1')?.resources.map((r) => r.kind)).toEqual([
      'log-group',
      'metric-filter',
      'alarm',
    ]);

    const plan = target.planTeardown('demo1').map((s) => s.entry.kind);
    expect(plan).toEqual(['alarm', 'metric-filter', 'log-group']);
    const report = await target.teardown('demo1');
    expect(report).toMatchObject({ failed: [], refused: [], leftovers: [], warnings: [] });
    expect(report.deleted.map((r) => r.kind)).toEqual(['alarm', 'metric-filter', 'log-group']);
    expect(await alarmsWith(prefix)).toEqual([]);
    const again = await target.teardown('demo1');
    expect(again).toMatchObject({ deleted: [], failed: [], leftovers: [] });
  }, 60_000);

  it('refuses an alarm of the same name that is not this run’s, and leaves it alone', async () => {
    const rm = target.resources('demo3');
    const name = rm.nameFor('alarm', 'taken');
    await target.clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'Someone/Else',
        MetricName: 'M',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Tags: [{ Key: 'owner', Value: 'someone-else' }],
      }),
    );
    const err = await thrownBy(
      rm.alarm({
        part: 'taken',
        description: 'mine',
        metric: { namespace: 'Course/X', metricName: 'M', stat: 'Sum', period: 60 },
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanThreshold',
      }),
      ResourceConflictError,
    );
    expect(err.message).toContain('not tagged as managed by course-cli');
    expect(target.ledger('demo3')?.live()).toEqual([]);
    expect((await alarmsWith(name))[0]?.Namespace).toBe('Someone/Else');
  });

  it('tears down after a crash between intent and create, and the sweep finds a leftover filter', async () => {
    const { rm, groupName } = await deploy('demo2');
    const ledger = target.ledger('demo2')!;
    // Intent written, process died before PutMetricAlarm.
    ledger.intend('alarm', rm.nameFor('alarm', 'never-made'));
    // A filter of this run the ledger does not name (created by hand, say).
    await target.clients.logs.send(
      new PutMetricFilterCommand({
        logGroupName: groupName,
        filterName: rm.nameFor('metric-filter', 'stray'),
        filterPattern: 'ERROR',
        metricTransformations: [{ metricName: 'Stray', metricNamespace: 'Course/X', metricValue: '1' }],
      }),
    );
    // Teardown without the log group: the stray filter stays, and the sweep reports it.
    ledger.markDeleted('log-group', groupName, undefined, 'kept for this test');
    const report = await target.teardown('demo2');
    expect(report.failed).toEqual([]);
    expect(report.alreadyGone.map((r) => r.name)).toEqual([rm.nameFor('alarm', 'never-made')]);
    expect(report.leftovers).toEqual([
      expect.objectContaining({ kind: 'metric-filter', name: rm.nameFor('metric-filter', 'stray') }),
      expect.objectContaining({ kind: 'log-group', name: groupName }),
    ]);
  }, 60_000);
});
