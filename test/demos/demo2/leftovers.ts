/** What of demo2 (any run) exists in a sandbox state directory, asked through List/Describe calls. */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startSandbox } from '../../../src/sandbox/index.js';

export interface Demo2Leftovers {
  buckets: string[];
  roles: string[];
  functions: string[];
  rules: string[];
  stateMachines: string[];
  logGroups: string[];
}

export const NOTHING_LEFT: Demo2Leftovers = {
  buckets: [],
  roles: [],
  functions: [],
  rules: [],
  stateMachines: [],
  logGroups: [],
};

export async function demo2Leftovers(stateDir: string): Promise<Demo2Leftovers> {
  const sb = await startSandbox({ stateDir });
  try {
    const cfg = { region: sb.region, endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
    const ours = (n: string | undefined): n is string => !!n && n.startsWith('course-demo2-');
    const logs = new CloudWatchLogsClient(cfg);
    const [buckets, roles, functions, rules, machines, lambdaGroups, stateGroups] = await Promise.all([
      new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({})),
      new IAMClient(cfg).send(new ListRolesCommand({})),
      new LambdaClient(cfg).send(new ListFunctionsCommand({})),
      new EventBridgeClient(cfg).send(new ListRulesCommand({ NamePrefix: 'course-demo2-' })),
      new SFNClient(cfg).send(new ListStateMachinesCommand({})),
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/course-demo2-' })),
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/vendedlogs/states/course-demo2-' })),
    ]);
    return {
      buckets: (buckets.Buckets ?? []).map((b) => b.Name).filter(ours),
      roles: (roles.Roles ?? []).map((r) => r.RoleName).filter(ours),
      functions: (functions.Functions ?? []).map((f) => f.FunctionName).filter(ours),
      rules: (rules.Rules ?? []).map((r) => r.Name).filter(ours),
      stateMachines: (machines.stateMachines ?? []).map((m) => m.name).filter(ours),
      logGroups: [...(lambdaGroups.logGroups ?? []), ...(stateGroups.logGroups ?? [])].map(
        (g) => g.logGroupName ?? '',
      ),
    };
  } finally {
    await sb.stop();
  }
}
