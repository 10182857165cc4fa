import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteFunctionCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand as EventsTags,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand as SfnTags,
} from '@aws-sdk/client-sfn';
import {
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as LogsTags,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { applyTeardown } from '../../src/cloud/teardown.js';
import { DELETED_AFTER, TEARDOWN_ORDER, planTeardown } from '../../src/cloud/teardownPlan.js';
import type { ResourceKind } from '../../src/cloud/resourceTypes.js';
import { tagList } from '../../src/cloud/naming.js';
import { awsErr, mockTarget, ourTags } from './mockTarget.js';

let t: ReturnType<typeof mockTarget>;
afterEach(() => t?.cleanup());

/** A ledger naming one resource of each kind, created in dependency order. */
function fillLedger(state: 'created' | 'intended' = 'created') {
  const l = t.ledger;
  const r = l.runId;
  const add = (kind: Parameters<typeof l.intend>[0], name: string, parent?: string) => {
    l.intend(kind, name, parent);
    if (state === 'created') l.confirm(kind, name, `arn:${kind}:${name}`, parent);
  };
  add('s3-bucket', `course-demo1-${r}-000000000000-data`);
  add('iam-role', `course-demo1-${r}-exec`);
  add('log-group', `/aws/lambda/course-demo1-${r}-agg`);
  add('lambda-function', `course-demo1-${r}-agg`);
  add('events-rule', `course-demo1-${r}-tick`);
  add('lambda-permission', 'events', `course-demo1-${r}-agg`);
  add('state-machine', `course-demo1-${r}-sm`);
}

/** Every service answers as if all resources exist and are ours; deletes are logged in order. */
function allOurs(order: string[]) {
  const tags = ourTags(t.ledger.runId);
  const log = (name: string) => (): object => {
    order.push(name);
    return {};
  };
  t.mocks.s3.on(GetBucketTaggingCommand).resolves({ TagSet: tagList(tags) });
  t.mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'raw/a' }, { Key: 'raw/b' }] });
  t.mocks.s3.on(DeleteObjectsCommand).callsFake(log('DeleteObjects'));
  t.mocks.s3.on(DeleteBucketCommand).callsFake(log('DeleteBucket'));
  t.mocks.s3.on(ListBucketsCommand).resolves({ Buckets: [] });
  t.mocks.iam.on(ListRoleTagsCommand).resolves({ Tags: tagList(tags) });
  t.mocks.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['p1'] });
  t.mocks.iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
  t.mocks.iam.on(DetachRolePolicyCommand).callsFake(log('DetachRolePolicy'));
  t.mocks.iam.on(DeleteRolePolicyCommand).callsFake(log('DeleteRolePolicy'));
  t.mocks.iam.on(DeleteRoleCommand).callsFake(log('DeleteRole'));
  t.mocks.iam.on(ListRolesCommand).resolves({ Roles: [] });
  t.mocks.logs.on(LogsTags).resolves({ tags });
  t.mocks.logs.on(DeleteLogGroupCommand).callsFake(log('DeleteLogGroup'));
  t.mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  t.mocks.lambda.on(ListTagsCommand).resolves({ Tags: tags });
  t.mocks.lambda.on(RemovePermissionCommand).callsFake(log('RemovePermission'));
  t.mocks.lambda.on(DeleteFunctionCommand).callsFake(log('DeleteFunction'));
  t.mocks.lambda.on(ListFunctionsCommand).resolves({ Functions: [] });
  t.mocks.events.on(DescribeRuleCommand).resolves({ Arn: 'arn:aws:events:us-east-1:000000000000:rule/x' });
  t.mocks.events.on(EventsTags).resolves({ Tags: tagList(tags) });
  t.mocks.events.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 't1', Arn: 'a' }] });
  t.mocks.events.on(RemoveTargetsCommand).callsFake(() => {
    order.push('RemoveTargets');
    return { FailedEntryCount: 0 };
  });
  t.mocks.events.on(DeleteRuleCommand).callsFake(log('DeleteRule'));
  t.mocks.events.on(ListRulesCommand).resolves({ Rules: [] });
  t.mocks.sfn.on(SfnTags).resolves({ tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  // No execution still running: teardown asks before it deletes the state machine.
  t.mocks.sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  t.mocks.sfn.on(DeleteStateMachineCommand).callsFake(log('DeleteStateMachine'));
  t.mocks.sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
  t.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
}

describe('planTeardown', () => {
  it('orders resources in reverse dependency order and flags unconfirmed ones', () => {
    t = mockTarget();
    fillLedger();
    t.ledger.intend('iam-role', 'half-made');
    const plan = planTeardown(t.ledger);
    expect(plan.map((s) => s.entry.kind)).toEqual([
      'events-rule',
      'lambda-permission',
      'state-machine',
      'lambda-function',
      'log-group',
      'iam-role',
      'iam-role',
      's3-bucket',
    ]);
    // newest first within a kind
    expect(plan[5].entry.name).toBe('half-made');
    expect(plan[5].uncertain).toBe(true);
    expect(plan[6].uncertain).toBe(false);
    expect(plan.every((s) => s.action.length > 0)).toBe(true);
  });
});

describe('applyTeardown', () => {
  it('deletes in reverse dependency order, children first, marks each entry, and archives the ledger', async () => {
    t = mockTarget();
    fillLedger();
    const order: string[] = [];
    allOurs(order);
    const progress: string[] = [];
    const report = await applyTeardown({
      clients: t.clients,
      info: t.info,
      ledger: t.ledger,
      onProgress: (p) => progress.push(`${p.step.entry.kind}:${p.outcome}`),
    });
    expect([...order].sort()).toEqual(
      [
        'RemoveTargets',
        'DeleteRule',
        'RemovePermission',
        'DeleteStateMachine',
        'DeleteFunction',
        'DeleteLogGroup',
        'DetachRolePolicy',
        'DeleteRolePolicy',
        'DeleteRole',
        'DeleteObjects',
        'DeleteBucket',
      ].sort(),
    );
    // Children first, and every kind only after what it waits for is gone.
    const at = (op: string) => order.indexOf(op);
    expect(at('RemoveTargets')).toBeLessThan(at('DeleteRule'));
    expect(at('DetachRolePolicy')).toBeLessThan(at('DeleteRolePolicy'));
    expect(at('DeleteRolePolicy')).toBeLessThan(at('DeleteRole'));
    expect(at('DeleteObjects')).toBeLessThan(at('DeleteBucket'));
    const lastOf: Partial<Record<ResourceKind, string>> = {
      'events-rule': 'DeleteRule',
      'lambda-permission': 'RemovePermission',
      'state-machine': 'DeleteStateMachine',
      'lambda-function': 'DeleteFunction',
    };
    const firstOf: Partial<Record<ResourceKind, string>> = {
      ...lastOf,
      'events-rule': 'RemoveTargets',
      'log-group': 'DeleteLogGroup',
      'iam-role': 'DetachRolePolicy',
      's3-bucket': 'DeleteObjects',
    };
    for (const [kind, first] of Object.entries(firstOf) as Array<[ResourceKind, string]>) {
      for (const before of DELETED_AFTER[kind].filter((k) => lastOf[k])) {
        expect(at(lastOf[before]!), `${before} before ${kind}`).toBeLessThan(at(first));
      }
    }
    expect(report.deleted).toHaveLength(7);
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);
    expect(progress).toHaveLength(7);
    expect(report.archivedLedger).toBeDefined();
    expect(fs.existsSync(t.ledger.file)).toBe(false);
    const archived = JSON.parse(fs.readFileSync(report.archivedLedger as string, 'utf8'));
    expect(archived.entries.every((e: { state: string }) => e.state === 'deleted')).toBe(true);
  });

  it('deletes kinds that wait for nothing left side by side: role, bucket and log group at once', async () => {
    t = mockTarget();
    fillLedger();
    const order: string[] = [];
    allOurs(order);
    const slow = (name: string) => async (): Promise<object> => {
      order.push(`${name} sent`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${name} answered`);
      return {};
    };
    t.mocks.iam.on(DeleteRoleCommand).callsFake(slow('DeleteRole'));
    t.mocks.s3.on(DeleteBucketCommand).callsFake(slow('DeleteBucket'));
    t.mocks.logs.on(DeleteLogGroupCommand).callsFake(slow('DeleteLogGroup'));
    const report = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(report.failed).toEqual([]);
    const sent = ['DeleteRole', 'DeleteBucket', 'DeleteLogGroup'].map((n) => order.indexOf(`${n} sent`));
    const answered = ['DeleteRole', 'DeleteBucket', 'DeleteLogGroup'].map((n) =>
      order.indexOf(`${n} answered`),
    );
    expect(Math.max(...sent)).toBeLessThan(Math.min(...answered));
    // …and still after the function they wait for.
    expect(order.indexOf('DeleteFunction')).toBeLessThan(Math.min(...sent));
  });

  it('TEARDOWN_ORDER lists every kind after the kinds it waits for (one order DELETED_AFTER allows)', () => {
    for (const [i, kind] of TEARDOWN_ORDER.entries()) {
      for (const before of DELETED_AFTER[kind]) expect(TEARDOWN_ORDER.indexOf(before), kind).toBeLessThan(i);
    }
  });

  it('counts NotFound as done, for confirmed and intended-only entries alike', async () => {
    t = mockTarget();
    fillLedger('intended');
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchBucket', 'gone', 404));
    t.mocks.iam.on(ListRoleTagsCommand).rejects(awsErr('NoSuchEntity', 'gone', 404));
    t.mocks.logs.on(LogsTags).rejects(awsErr('ResourceNotFoundException', 'gone'));
    t.mocks.lambda.on(ListTagsCommand).rejects(awsErr('ResourceNotFoundException', 'gone', 404));
    t.mocks.events.on(DescribeRuleCommand).rejects(awsErr('ResourceNotFoundException', 'gone'));
    t.mocks.sfn.on(SfnTags).rejects(awsErr('ResourceNotFound', 'gone'));
    t.mocks.sfn.on(SfnTags).rejects(awsErr('StateMachineDoesNotExist', 'gone'));
    const report = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger, sweep: false });
    expect(report.failed).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(report.alreadyGone).toHaveLength(7);
    expect(report.archivedLedger).toBeDefined();
  });

  it('refuses to delete a resource whose tags are not this run, and says why', async () => {
    t = mockTarget();
    fillLedger();
    const order: string[] = [];
    allOurs(order);
    t.mocks.iam.on(ListRoleTagsCommand).resolves({ Tags: tagList(ourTags('other1')) });
    const report = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(order).not.toContain('DeleteRole');
    expect(order).not.toContain('DeleteRolePolicy');
    expect(report.refused).toEqual([
      {
        resource: expect.objectContaining({ kind: 'iam-role' }),
        reason: 'it is tagged for run other1, not ' + t.ledger.runId,
      },
    ]);
    expect(report.deleted).toHaveLength(6);
  });

  it('deletes an untagged bucket the ledger names (crash between CreateBucket and tagging) but no untagged role', async () => {
    t = mockTarget();
    fillLedger('intended');
    const order: string[] = [];
    allOurs(order);
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchTagSet', 'none', 404));
    t.mocks.iam.on(ListRoleTagsCommand).resolves({ Tags: [] });
    const report = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(order).toContain('DeleteBucket');
    expect(order).not.toContain('DeleteRole');
    expect(report.refused?.map((r) => r.resource.kind)).toEqual(['iam-role']);
  });

  it('keeps the ledger when something fails, and a second run resumes and finishes', async () => {
    t = mockTarget();
    fillLedger();
    const order: string[] = [];
    allOurs(order);
    t.mocks.iam.on(DeleteRoleCommand).rejectsOnce(awsErr('ServiceFailure', 'try again', 500));
    const first = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(first.failed).toEqual([
      { resource: expect.objectContaining({ kind: 'iam-role' }), error: 'ServiceFailure: try again' },
    ]);
    expect(first.archivedLedger).toBeUndefined();
    expect(t.ledger.live().map((e) => e.kind)).toEqual(['iam-role']);

    order.length = 0;
    t.mocks.iam.on(DeleteRoleCommand).callsFake(() => {
      order.push('DeleteRole');
      return {};
    });
    const second = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(order.filter((o) => o.includes('Role'))).toEqual([
      'DetachRolePolicy',
      'DeleteRolePolicy',
      'DeleteRole',
    ]);
    expect(second.deleted.map((r) => r.kind)).toEqual(['iam-role']);
    expect(second.archivedLedger).toBeDefined();
  });

  it('sweeps for anything still carrying the run tag and reports it as a leftover', async () => {
    t = mockTarget();
    const order: string[] = [];
    allOurs(order);
    const r = t.ledger.runId;
    t.mocks.iam.on(ListRolesCommand).resolves({
      Roles: [
        { RoleName: `course-demo1-${r}-stray`, Arn: 'arn:stray' } as never,
        { RoleName: 'unrelated', Arn: 'arn:u' } as never,
      ],
    });
    const report = await applyTeardown({ clients: t.clients, info: t.info, ledger: t.ledger });
    expect(report.leftovers).toEqual([
      { kind: 'iam-role', name: `course-demo1-${r}-stray`, arn: 'arn:stray' },
    ]);
    // only the candidate with this run's name prefix was tag-checked
    expect(t.mocks.iam.commandCalls(ListRoleTagsCommand).map((c) => c.args[0].input.RoleName)).toEqual([
      `course-demo1-${r}-stray`,
    ]);
  });
});
