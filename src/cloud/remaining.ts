/**
 * Which of a demo's resources a List call still shows: the proof a teardown step offers the
 * learner, asked the way they would ask the console (List/Describe), not through the ledger.
 * Kinds that have no List call of their own (a Lambda permission lives and dies with its
 * function) are not looked for.
 */
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { DescribeLogGroupsCommand, DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { isNotFound } from './awsErrors.js';
import type { ResourceKind } from './resourceTypes.js';
import type { AwsClients } from './types.js';

export interface NamedResource {
  kind: ResourceKind;
  name: string;
}

/** How a remaining resource is named to the learner, e.g. `function course-demo1-…`. */
export const REMAINING_LABEL: Partial<Record<ResourceKind, string>> = {
  's3-bucket': 'bucket',
  'iam-role': 'role',
  'lambda-function': 'function',
  'events-rule': 'rule',
  'log-group': 'log group',
  'state-machine': 'state machine',
  alarm: 'alarm',
  'log-resource-policy': 'log resource policy',
};

async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    items.push(...p.items);
    token = p.next;
  } while (token);
  return items;
}

async function bucketNames(aws: AwsClients): Promise<string[]> {
  const out = await aws.s3.send(new ListBucketsCommand({}));
  return (out.Buckets ?? []).map((b) => b.Name ?? '');
}

function roleNames(aws: AwsClients): Promise<string[]> {
  return allPages(async (marker) => {
    const page = await aws.iam.send(new ListRolesCommand({ Marker: marker }));
    return {
      items: (page.Roles ?? []).map((r) => r.RoleName ?? ''),
      next: page.IsTruncated ? page.Marker : undefined,
    };
  });
}

function functionNames(aws: AwsClients): Promise<string[]> {
  return allPages(async (marker) => {
    const page = await aws.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    return { items: (page.Functions ?? []).map((f) => f.FunctionName ?? ''), next: page.NextMarker };
  });
}

function ruleNames(aws: AwsClients, prefix: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await aws.events.send(new ListRulesCommand({ NamePrefix: prefix, NextToken: token }));
    return { items: (page.Rules ?? []).map((r) => r.Name ?? ''), next: page.NextToken };
  });
}

function logGroupNames(aws: AwsClients, prefix: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken: token }),
    );
    return { items: (page.logGroups ?? []).map((g) => g.logGroupName ?? ''), next: page.nextToken };
  });
}

function logResourcePolicyNames(aws: AwsClients): Promise<string[]> {
  return allPages(async (token) => {
    const page = await aws.logs.send(new DescribeResourcePoliciesCommand({ nextToken: token }));
    return { items: (page.resourcePolicies ?? []).map((p) => p.policyName ?? ''), next: page.nextToken };
  });
}

function alarmNames(aws: AwsClients, prefix: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await aws.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, NextToken: token }),
    );
    return { items: (page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ''), next: page.NextToken };
  });
}

/** State machines still listed, except those AWS is deleting (it deletes them asynchronously). */
async function stateMachineNames(aws: AwsClients): Promise<string[]> {
  const listed = await allPages(async (token) => {
    const page = await aws.sfn.send(new ListStateMachinesCommand({ nextToken: token }));
    return { items: page.stateMachines ?? [], next: page.nextToken };
  });
  const names: string[] = [];
  for (const m of listed) {
    if (!m.name || !m.stateMachineArn) continue;
    try {
      const d = await aws.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: m.stateMachineArn }));
      if (d.status !== 'DELETING') names.push(m.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return names;
}

/** The listing that can show a resource of `kind` named `name`, or undefined when there is none. */
function lister(aws: AwsClients, r: NamedResource): (() => Promise<string[]>) | undefined {
  switch (r.kind) {
    case 's3-bucket':
      return () => bucketNames(aws);
    case 'iam-role':
      return () => roleNames(aws);
    case 'lambda-function':
      return () => functionNames(aws);
    case 'events-rule':
      return () => ruleNames(aws, r.name);
    case 'log-group':
      return () => logGroupNames(aws, r.name);
    case 'state-machine':
      return () => stateMachineNames(aws);
    case 'alarm':
      return () => alarmNames(aws, r.name);
    case 'log-resource-policy':
      return () => logResourcePolicyNames(aws);
    default:
      return undefined;
  }
}

/**
 * The resources among `resources` that their kind's List call still shows, labelled for the
 * learner (`bucket …`, `state machine …`), in the order given. Each listing runs once.
 */
export async function stillListed(aws: AwsClients, resources: NamedResource[]): Promise<string[]> {
  const listings = new Map<string, Promise<string[]>>();
  const lookups = resources.map((r) => {
    const list = lister(aws, r);
    if (!list) return Promise.resolve(false);
    // Prefix listings differ per name; full listings are shared by every resource of the kind.
    const byPrefix = r.kind === 'events-rule' || r.kind === 'log-group' || r.kind === 'alarm';
    const key = byPrefix ? `${r.kind}:${r.name}` : r.kind;
    let listing = listings.get(key);
    if (!listing) {
      listing = list();
      listings.set(key, listing);
    }
    return listing.then((names) => names.includes(r.name));
  });
  const found = await Promise.all(lookups);
  return resources.filter((_, i) => found[i]).map((r) => `${REMAINING_LABEL[r.kind] ?? r.kind} ${r.name}`);
}
