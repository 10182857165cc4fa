/**
 * The cloud layer's `log-resource-policy` kind against an embedded sandbox: created once (a second
 * create updates it), tied to this run's log group (a group that is not ours is refused), removed by
 * teardown before its group, and a leftover found by the sweep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLogGroupCommand,
  DeleteResourcePolicyCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { ResourceConflictError } from '../../src/cloud/errors.js';
import { logResourcePolicyTeardown } from '../../src/cloud/resources/logResourcePolicy.js';
import { resourceContext } from '../../src/cloud/resourceManager.js';
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-rp-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const openTo = (group: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`,
    },
  ],
});

async function policies(): Promise<Map<string, string>> {
  const out = await target.clients.logs.send(new DescribeResourcePoliciesCommand({}));
  return new Map((out.resourcePolicies ?? []).map((p) => [p.policyName!, p.policyDocument!]));
}

describe('log-resource-policy resources', () => {
  it('are created once for one of this run’s log groups and torn down before it', async () => {
    const rm = target.resources('demo8');
    const group = `/aws/events/${rm.nameFor('events-rule', 'pager')}`;
    await rm.logGroup({ name: group, retentionInDays: 1 });
    const first = await rm.logResourcePolicy({
      part: 'to-pager',
      logGroupName: group,
      document: openTo(group),
    });
    const second = await rm.logResourcePolicy({
      part: 'to-pager',
      logGroupName: group,
      document: openTo(group),
    });
    expect(second).toEqual(first);
    expect(first.name).toBe(`course-demo8-${rm.runId}-to-pager`);
    expect(JSON.parse((await policies()).get(first.name)!)).toEqual(openTo(group));

    const plan = target.planTeardown('demo8').map((s) => s.entry.kind);
    expect(plan.indexOf('log-resource-policy')).toBeLessThan(plan.indexOf('log-group'));
    const report = await target.teardown('demo8');
    expect(report).toMatchObject({ failed: [], leftovers: [], refused: [] });
    expect(report.deleted.map((r) => r.kind).sort()).toEqual(['log-group', 'log-resource-policy']);
    expect((await policies()).has(first.name)).toBe(false);
  }, 60_000);

  it('refuse to open a log group that is not this run’s', async () => {
    const rm = target.resources('demo8');
    await target.clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/someone-else' }));
    await expect(
      rm.logResourcePolicy({
        part: 'to-other',
        logGroupName: '/aws/events/someone-else',
        document: openTo('/aws/events/someone-else'),
      }),
    ).rejects.toBeInstanceOf(ResourceConflictError);
    expect((await policies()).has(rm.nameFor('log-resource-policy', 'to-other'))).toBe(false);
    await target.teardown('demo8');
  }, 60_000);

  it('left behind, are found by the sweep; a policy already deleted is simply gone', async () => {
    const rm = target.resources('demo8');
    const ctx = resourceContext({
      clients: target.clients,
      info: target.info,
      ledger: target.ledger('demo8')!,
    });
    const name = rm.nameFor('log-resource-policy', 'stray');
    await target.clients.logs.send(
      new PutResourcePolicyCommand({
        policyName: name,
        policyDocument: JSON.stringify(openTo('/aws/events/x')),
      }),
    );
    expect((await logResourcePolicyTeardown.sweep(ctx)).map((f) => f.name)).toEqual([name]);
    await target.clients.logs.send(new DeleteResourcePolicyCommand({ policyName: name }));
    expect(await logResourcePolicyTeardown.remove(ctx, { name, parent: '/aws/events/x' }, true)).toBe('gone');
    expect(await logResourcePolicyTeardown.sweep(ctx)).toEqual([]);
  }, 60_000);
});
