/**
 * What of a demo (any run) exists in a sandbox state directory, asked through List/Describe calls:
 * everything whose name carries `course-<demo>-`. A demo's end-to-end tests expect NOTHING_LEFT
 * after its teardown.
 */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startSandbox } from '../../src/sandbox/index.js';

export interface DemoLeftovers {
  buckets: string[];
  roles: string[];
  functions: string[];
  rules: string[];
  stateMachines: string[];
  /** /aws/lambda/…, /aws/vendedlogs/states/… and /aws/events/… groups of the demo. */
  logGroups: string[];
  metricFilters: string[];
  /** The demo's own; AWS's shared log-delivery policy is not the demo's to remove. */
  logResourcePolicies: string[];
  alarms: string[];
}

export const NOTHING_LEFT: DemoLeftovers = {
  buckets: [],
  roles: [],
  functions: [],
  rules: [],
  stateMachines: [],
  logGroups: [],
  metricFilters: [],
  logResourcePolicies: [],
  alarms: [],
};

export async function demoLeftovers(
  stateDir: string,
  demo: 'demo1' | 'demo2' | 'demo3',
): Promise<DemoLeftovers> {
  const prefix = `course-${demo}-`;
  const sb = await startSandbox({ stateDir });
  try {
    const cfg = { region: sb.region, endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
    const ours = (n: string | undefined): n is string => !!n && n.includes(prefix);
    const logs = new CloudWatchLogsClient(cfg);
    const [buckets, roles, functions, rules, machines, groups, filters, policies, alarms] = await Promise.all(
      [
        new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({})),
        new IAMClient(cfg).send(new ListRolesCommand({})),
        new LambdaClient(cfg).send(new ListFunctionsCommand({})),
        new EventBridgeClient(cfg).send(new ListRulesCommand({ NamePrefix: prefix })),
        new SFNClient(cfg).send(new ListStateMachinesCommand({})),
        logs.send(new DescribeLogGroupsCommand({})),
        logs.send(new DescribeMetricFiltersCommand({})),
        logs.send(new DescribeResourcePoliciesCommand({})),
        new CloudWatchClient(cfg).send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix })),
      ],
    );
    return {
      buckets: (buckets.Buckets ?? []).map((b) => b.Name).filter(ours),
      roles: (roles.Roles ?? []).map((r) => r.RoleName).filter(ours),
      functions: (functions.Functions ?? []).map((f) => f.FunctionName).filter(ours),
      rules: (rules.Rules ?? []).map((r) => r.Name).filter(ours),
      stateMachines: (machines.stateMachines ?? []).map((m) => m.name).filter(ours),
      logGroups: (groups.logGroups ?? []).map((g) => g.logGroupName).filter(ours),
      metricFilters: (filters.metricFilters ?? []).map((f) => f.filterName).filter(ours),
      logResourcePolicies: (policies.resourcePolicies ?? []).map((p) => p.policyName).filter(ours),
      alarms: (alarms.MetricAlarms ?? []).map((a) => a.AlarmName).filter(ours),
    };
  } finally {
    await sb.stop();
  }
}
