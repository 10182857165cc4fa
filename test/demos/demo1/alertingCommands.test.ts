/**
 * demo1's alerting steps through "show details": every create/put call they make, printed as an AWS
 * CLI v2 command laid out for a 60-column terminal, runs as printed against the sandbox and recreates
 * what the SDK call created (the alarm with its tags, the metric filter, the events log group, the
 * Logs resource policy, the rule with its pattern and target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteResourcePolicyCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { connectTarget, type ConnectedTarget } from '../../../src/cloud/target.js';
import { commandLines } from '../../../src/course/callSummary.js';
import { targetTime } from '../../../src/course/targetTime.js';
import type { StepContext } from '../../../src/course/model.js';
import { recoverySteps } from '../../../demos/demo1-scheduler-lambda/steps/recovery.js';
import type { Demo1State } from '../../../demos/demo1-scheduler-lambda/state.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { pasteIntoShell } from '../../helpers/pasteCommand.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { RecordingIO } from '../../course/fakes.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  requireTool(AWS_CLI, 'awscli');
  home = makeTempDir('course-demo1-alerting-cli-');
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);
afterAll(() => target?.close());

const paste = (line: string): Promise<void> => pasteIntoShell(home, line);

const CREATES = [
  'PutMetricFilter',
  'PutMetricAlarm',
  'CreateLogGroup',
  'PutRetentionPolicy',
  'PutResourcePolicy',
  'PutRule',
  'PutTargets',
];

describe('demo1 alerting commands under "show details"', () => {
  it(
    'run as printed and recreate the alarm, filter, group, policy and rule',
    { timeout: 180_000 },
    async () => {
      const rm = target.resources('demo1');
      const functionName = rm.nameFor('lambda-function', 'hourly-aggregate');
      const fnGroup = `/aws/lambda/${functionName}`;
      await rm.logGroup({ name: fnGroup, retentionInDays: 1 });
      const state: Demo1State = { seed: 's', functionName, logGroupName: fnGroup };
      const ctx = {
        aws: target.clients,
        target: target.info,
        clock: target.clock,
        time: targetTime('sandbox', target.clock),
        resources: rm,
        state,
        out: new RecordingIO(false),
        calls: target.calls,
        signal: new AbortController().signal,
        teardown: () => target.teardown('demo1'),
      } satisfies StepContext<Demo1State>;

      const mark = target.calls.mark();
      for (const id of ['alarm-on-errors', 'route-alarm-events']) {
        await recoverySteps.find((s) => s.id === id)!.run(ctx);
      }
      const lines = target.calls
        .since(mark)
        .filter((c) => CREATES.includes(c.operation))
        .map((c) => target.calls.toCli(c));
      expect(lines).toHaveLength(CREATES.length);
      expect(lines.join('\n')).not.toContain('more chars');
      const describe = async () => {
        const c = target.clients;
        const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [state.alarmName!] })))
          .MetricAlarms?.[0];
        const tags = alarm
          ? (await c.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: alarm.AlarmArn }))).Tags
          : undefined;
        const filter = (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: fnGroup })))
          .metricFilters?.[0];
        const policy = (await c.logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies?.find(
          (p) => p.policyName === state.alarmEventsPolicy,
        );
        const rule = await c.events.send(new DescribeRuleCommand({ Name: state.alarmRuleName }));
        const targets = await c.events.send(new ListTargetsByRuleCommand({ Rule: state.alarmRuleName }));
        return {
          alarm: alarm && {
            metric: [alarm.Namespace, alarm.MetricName, alarm.Dimensions, alarm.Statistic, alarm.Period],
            rule: [
              alarm.ComparisonOperator,
              alarm.Threshold,
              alarm.EvaluationPeriods,
              alarm.TreatMissingData,
            ],
            description: alarm.AlarmDescription,
          },
          tags: tags?.sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? '')),
          filter: filter && [filter.filterName, filter.filterPattern, filter.metricTransformations],
          policy: policy && JSON.parse(policy.policyDocument ?? '{}'),
          rule: [rule.State, JSON.parse(rule.EventPattern ?? '{}'), rule.Description],
          targets: targets.Targets?.map((t) => [t.Id, t.Arn]),
        };
      };
      const created = await describe();
      expect(created.alarm).toBeDefined();
      expect(created.tags?.length).toBe(3);

      // Gone again (the function's log group stays: the filter lives in it), then recreated by the
      // printed commands alone, pasted as a 60-column terminal lays them out.
      const c = target.clients;
      await c.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [state.alarmName!] }));
      await c.logs.send(
        new DeleteMetricFilterCommand({ logGroupName: fnGroup, filterName: state.errorLinesFilter }),
      );
      await c.events.send(
        new RemoveTargetsCommand({ Rule: state.alarmRuleName, Ids: ['alarm-events-log-group'] }),
      );
      await c.events.send(new DeleteRuleCommand({ Name: state.alarmRuleName }));
      await c.logs.send(new DeleteResourcePolicyCommand({ policyName: state.alarmEventsPolicy }));
      await c.logs.send(new DeleteLogGroupCommand({ logGroupName: state.alarmEventsGroup }));
      for (const line of lines)
        await paste(
          commandLines(line, 60)
            .join('\n')
            .replace(/^\s*\$ /, ''),
        );

      expect(await describe()).toEqual(created);
      expect((await target.teardown('demo1')).failed).toEqual([]);
    },
  );
});
