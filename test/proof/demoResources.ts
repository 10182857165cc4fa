/**
 * What of a demo (any run) a sandbox still holds, read back through List and tag calls of every
 * kind the course creates: anything tagged `course:demo=<demo>`, or named with the demo's prefix
 * (`course-<demo>-…`; an untagged one is what a crash between a create and its tagging would leave).
 * Independent of the cloud layer's own sweep, so it can catch that sweep missing something.
 */
import { GetBucketTaggingCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand as ListRuleTagsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as ListLogTagsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ListStateMachinesCommand,
  ListTagsForResourceCommand as ListMachineTagsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
} from '@aws-sdk/client-cloudwatch';
import { startSandbox } from '../../src/sandbox/index.js';

export interface SandboxAccess {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface DemoResource {
  kind: string;
  name: string;
}

type Tag = { Key?: string; Value?: string };

/** What each service answers for a resource that is not there (any more). */
const GONE_ERRORS = new Set([
  'NoSuchBucket',
  'NoSuchEntityException',
  'ResourceNotFoundException',
  'ResourceNotFound',
  'StateMachineDoesNotExist',
]);

/**
 * The tags of a listed resource, or `gone` when it was deleted between the listing and this call
 * (another run's teardown, in the crash table's concurrent runs): it is not there, so not left.
 */
async function tagsUnlessGone<T>(lookup: () => Promise<T>): Promise<T | 'gone'> {
  try {
    return await lookup();
  } catch (err) {
    if (GONE_ERRORS.has((err as Error).name)) return 'gone';
    throw err;
  }
}

const tagValue = (tags: Tag[] | Record<string, string> | undefined, key: string): string | undefined =>
  Array.isArray(tags) ? tags.find((t) => t.Key === key)?.Value : tags?.[key];

/** Every resource of `demo` the sandbox at `access` holds now. */
export async function demoResources(access: SandboxAccess, demo: string): Promise<DemoResource[]> {
  const cfg = { ...access, maxAttempts: 1 };
  const prefix = `course-${demo}-`;
  const ours = (name: string, tags: Tag[] | Record<string, string> | undefined): boolean =>
    name.includes(prefix) || tagValue(tags, 'course:demo') === demo;
  const found: DemoResource[] = [];
  const keep = (
    kind: string,
    name: string | undefined,
    tags: Tag[] | Record<string, string> | undefined | 'gone',
  ) => {
    if (name && tags !== 'gone' && ours(name, tags)) found.push({ kind, name });
  };

  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const iam = new IAMClient(cfg);
  const lambda = new LambdaClient(cfg);
  const events = new EventBridgeClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const sfn = new SFNClient(cfg);
  const cloudwatch = new CloudWatchClient(cfg);
  try {
    await Promise.all([
      (async () => {
        for (const b of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
          // An untagged bucket answers NoSuchTagSet: it may still be ours by its name.
          const tags = await tagsUnlessGone(() =>
            s3
              .send(new GetBucketTaggingCommand({ Bucket: b.Name }))
              .then((t) => t.TagSet)
              .catch((err: Error) => {
                if (err.name === 'NoSuchBucket') throw err;
                return undefined;
              }),
          );
          keep('s3-bucket', b.Name, tags);
        }
      })(),
      (async () => {
        for (const r of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
          const tags = await tagsUnlessGone(
            async () => (await iam.send(new ListRoleTagsCommand({ RoleName: r.RoleName }))).Tags,
          );
          keep('iam-role', r.RoleName, tags);
        }
      })(),
      (async () => {
        for (const f of (await lambda.send(new ListFunctionsCommand({}))).Functions ?? []) {
          const tags = await tagsUnlessGone(
            async () => (await lambda.send(new ListTagsCommand({ Resource: f.FunctionArn }))).Tags,
          );
          keep('lambda-function', f.FunctionName, tags);
        }
      })(),
      (async () => {
        for (const r of (await events.send(new ListRulesCommand({}))).Rules ?? []) {
          const tags = await tagsUnlessGone(
            async () => (await events.send(new ListRuleTagsCommand({ ResourceARN: r.Arn }))).Tags,
          );
          keep('events-rule', r.Name, tags);
        }
      })(),
      (async () => {
        for (const g of (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []) {
          const arn = g.arn?.replace(/:\*$/, '');
          const tags = await tagsUnlessGone(
            async () => (await logs.send(new ListLogTagsCommand({ resourceArn: arn }))).tags,
          );
          keep('log-group', g.logGroupName, tags);
        }
      })(),
      (async () => {
        for (const m of (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []) {
          const tags = await tagsUnlessGone(
            async () => (await sfn.send(new ListMachineTagsCommand({ resourceArn: m.stateMachineArn }))).tags,
          );
          keep(
            'state-machine',
            m.name,
            tags === 'gone' ? tags : tags?.map((t) => ({ Key: t.key, Value: t.value })),
          );
        }
      })(),
      (async () => {
        for (const a of (await cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []) {
          const tags = await tagsUnlessGone(
            async () => (await cloudwatch.send(new ListAlarmTagsCommand({ ResourceARN: a.AlarmArn }))).Tags,
          );
          keep('alarm', a.AlarmName, tags);
        }
      })(),
    ]);
  } finally {
    for (const c of [s3, iam, lambda, events, logs, sfn, cloudwatch]) c.destroy();
  }
  return found.sort((a, b) => `${a.kind} ${a.name}`.localeCompare(`${b.kind} ${b.name}`));
}

/** The same, for a sandbox state directory no process serves now (a sandbox is started on it briefly). */
export async function demoResourcesIn(stateDir: string, demo: string): Promise<DemoResource[]> {
  const sb = await startSandbox({ stateDir });
  try {
    return await demoResources(
      { region: sb.region, endpoint: sb.endpoint, credentials: { ...sb.credentials } },
      demo,
    );
  } finally {
    await sb.stop();
  }
}

/** Every `<role part> / <inline policy>` of the demo's roles (names `course-<demo>-<run id>-<part>`). */
export async function rolePolicies(access: SandboxAccess, demo: string): Promise<string[]> {
  const iam = new IAMClient({ ...access, maxAttempts: 1 });
  try {
    const roles = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).filter((r) =>
      r.RoleName?.startsWith(`course-${demo}-`),
    );
    const pairs: string[] = [];
    for (const r of roles) {
      const part = r.RoleName!.split('-').slice(3).join('-');
      const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: r.RoleName }));
      for (const policy of listed.PolicyNames ?? []) pairs.push(`${part} / ${policy}`);
    }
    return pairs.sort();
  } finally {
    iam.destroy();
  }
}
