/**
 * The 'log-resource-policy' resource kind against a real sandbox: created through the ledger,
 * adopted on a second create, refused when a policy of the same name grants another run's
 * resources (or the demo's own document would not prove it ours), found by the sweep, deleted by
 * teardown only when its document proves it this run's — and it really lets EventBridge write
 * matched events into the run's log group.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeResourcePoliciesCommand,
  FilterLogEventsCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { ResourceConflictError } from '../../src/cloud/errors.js';
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';
import { stillListed } from '../../src/cloud/remaining.js';
import { thrownBy } from '../helpers/awsErrors.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-logpolicy-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const grant = (groupArn: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EventBridgeWritesEvents',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: groupArn,
    },
  ],
});

async function policyNames(): Promise<string[]> {
  const out = await target.clients.logs.send(new DescribeResourcePoliciesCommand({}));
  return (out.resourcePolicies ?? []).map((p) => p.policyName ?? '');
}

describe('log resource policies', () => {
  it('creates, adopts, lets EventBridge write, is swept and torn down', { timeout: 60_000 }, async () => {
    const rm = target.resources('demo9');
    const groupName = `/aws/events/${rm.nameFor('events-rule', 'arrivals')}`;
    const group = await rm.logGroup({ name: groupName, retentionInDays: 1 });
    const first = await rm.logResourcePolicy({ part: 'events-to-logs', policyDocument: grant(group.arn) });
    const again = await rm.logResourcePolicy({ part: 'events-to-logs', policyDocument: grant(group.arn) });
    expect(again).toEqual(first);
    expect((await policyNames()).filter((n) => n === first.name)).toHaveLength(1);

    // The policy does what it says: a rule's log-group target now receives the event.
    const rule = await rm.rule({
      part: 'arrivals',
      description: 'test',
      eventPattern: { source: ['course.test'] },
      targets: [{ id: 'log', arn: group.arn.replace(/:\*$/, '') }],
    });
    await target.clients.events.send(
      new PutEventsCommand({ Entries: [{ Source: 'course.test', DetailType: 'probe', Detail: '{"n":1}' }] }),
    );
    await expect
      .poll(async () => {
        const out = await target.clients.logs.send(new FilterLogEventsCommand({ logGroupName: groupName }));
        return (out.events ?? []).map((e) => (JSON.parse(e.message ?? '{}') as { source?: string }).source);
      })
      .toEqual(['course.test']);
    expect(rule.name).toContain('arrivals');

    const report = await target.teardown('demo9');
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);
    expect(report.deleted.map((r) => r.kind)).toContain('log-resource-policy');
    expect(await policyNames()).not.toContain(first.name);
    expect(await stillListed(target.clients, [{ kind: 'log-resource-policy', name: first.name }])).toEqual(
      [],
    );
  });

  it("never adopts or deletes a same-named policy that grants another run's resources", async () => {
    const rm = target.resources('demo8');
    const name = rm.nameFor('log-resource-policy', 'shared');
    const foreign = JSON.stringify(
      grant('arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/someone-else:*'),
    );
    await target.clients.logs.send(
      new PutResourcePolicyCommand({ policyName: name, policyDocument: foreign }),
    );
    const groupArn = `arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/${rm.nameFor('events-rule', 'x')}:*`;
    const err = await thrownBy(
      rm.logResourcePolicy({ part: 'shared', policyDocument: grant(groupArn) }),
      ResourceConflictError,
    );
    expect(err.message).toMatch(/grants resources of another run/);

    // A document that would not prove itself ours is refused before any call.
    await expect(
      rm.logResourcePolicy({
        part: 'loose',
        policyDocument: grant('arn:aws:logs:us-east-1:000000000000:log-group:*'),
      }),
    ).rejects.toBeInstanceOf(ResourceConflictError);

    const report = await target.teardown('demo8');
    expect(report.deleted).toEqual([]);
    expect(await policyNames()).toContain(name);
    const out = await target.clients.logs.send(new DescribeResourcePoliciesCommand({}));
    expect(out.resourcePolicies?.find((p) => p.policyName === name)?.policyDocument).toBe(foreign);
  });
});
