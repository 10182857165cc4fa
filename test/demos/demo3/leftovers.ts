/** What of demo3 (any run) exists in a sandbox state directory, asked through List/Describe calls. */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startSandbox } from '../../../src/sandbox/index.js';

export interface Demo3Leftovers {
  buckets: string[];
  roles: string[];
  functions: string[];
  rules: string[];
  stateMachines: string[];
  logGroups: string[];
  alarms: string[];
  resourcePolicies: string[];
}

export const NOTHING_LEFT: Demo3Leftovers = {
  buckets: [],
  roles: [],
  functions: [],
  rules: [],
  stateMachines: [],
  logGroups: [],
  alarms: [],
  resourcePolicies: [],
};

export async function demo3Leftovers(stateDir: string): Promise<Demo3Leftovers> {
  const sb = await startSandbox({ stateDir });
  try {
    const cfg = { region: sb.region, endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
    const ours = (n: string | undefined): n is string => !!n && n.includes('course-demo3-');
    const logs = new CloudWatchLogsClient(cfg);
    const [buckets, roles, functions, rules, machines, groups, alarms, policies] = await Promise.all([
      new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({})),
      new IAMClient(cfg).send(new ListRolesCommand({})),
      new LambdaClient(cfg).send(new ListFunctionsCommand({})),
      new EventBridgeClient(cfg).send(new ListRulesCommand({ NamePrefix: 'course-demo3-' })),
      new SFNClient(cfg).send(new ListStateMachinesCommand({})),
      logs.send(new DescribeLogGroupsCommand({})),
      new CloudWatchClient(cfg).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'course-demo3-' })),
      logs.send(new DescribeResourcePoliciesCommand({})),
    ]);
    return {
      buckets: (buckets.Buckets ?? []).map((b) => b.Name).filter(ours),
      roles: (roles.Roles ?? []).map((r) => r.RoleName).filter(ours),
      functions: (functions.Functions ?? []).map((f) => f.FunctionName).filter(ours),
      rules: (rules.Rules ?? []).map((r) => r.Name).filter(ours),
      stateMachines: (machines.stateMachines ?? []).map((m) => m.name).filter(ours),
      logGroups: (groups.logGroups ?? []).map((g) => g.logGroupName).filter(ours),
      alarms: (alarms.MetricAlarms ?? []).map((a) => a.AlarmName).filter(ours),
      resourcePolicies: (policies.resourcePolicies ?? []).map((p) => p.policyName).filter(ours),
    };
  } finally {
    await sb.stop();
  }
}
