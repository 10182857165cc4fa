/**
 * The cloud layer against a real embedded sandbox (real HTTP, real SigV4): every resource kind
 * created twice (adopted, never duplicated), crashes between intent and create, teardown twice,
 * and a sweep that finds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import {
  ListBucketsCommand,
  PutObjectCommand,
  CreateBucketCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { tagList, courseTags } from '../../src/cloud/naming.js';
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-it-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const handlerZip = zipSync({ 'index.mjs': strToU8('export const handler = async () => ({ ok: true });\n') });

async function deployAll(demo: string) {
  const rm = target.resources(demo);
  const logs = (part: string): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: part }],
  });
  const fnName = rm.nameFor('lambda-function', 'agg');
  const [bucket, role, sfnRole, logGroup] = await Promise.all([
    rm.bucket({ part: 'data', eventBridge: true }),
    rm.role({
      part: 'exec',
      description: 'test',
      trustedService: 'lambda.amazonaws.com',
      inlinePolicies: { logs: logs('*') },
    }),
    rm.role({
      part: 'sfn',
      description: 'test',
      trustedService: 'states.amazonaws.com',
      inlinePolicies: { logs: logs('*') },
    }),
    rm.logGroup({ name: `/aws/lambda/${fnName}`, retentionInDays: 1 }),
  ]);
  const fn = await rm.lambdaFunction({
    part: 'agg',
    description: 'test',
    roleArn: role.arn,
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    zip: handlerZip,
    timeoutSeconds: 10,
    memoryMb: 128,
    environment: { BUCKET: bucket.name },
  });
  const ruleName = rm.nameFor('events-rule', 'tick');
  const ruleArn = `arn:aws:events:us-east-1:000000000000:rule/${ruleName}`;
  const perm = await rm.lambdaPermission({
    functionName: fn.name,
    statementId: 'allow-events',
    principal: 'events.amazonaws.com',
    sourceArn: ruleArn,
  });
  const rule = await rm.rule({
    part: 'tick',
    description: 'test',
    scheduleExpression: 'rate(1 day)',
    targets: [{ id: 'fn', arn: fn.arn }],
  });
  const sm = await rm.stateMachine({
    part: 'flow',
    roleArn: sfnRole.arn,
    definition: { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } },
  });
  return { rm, bucket, role, sfnRole, logGroup, fn, perm, rule, sm };
}

async function countOf(prefix: string) {
  const c = target.clients;
  const [b, r, f, ru, sm, lg] = await Promise.all([
    c.s3.send(new ListBucketsCommand({})),
    c.iam.send(new ListRolesCommand({})),
    c.lambda.send(new ListFunctionsCommand({})),
    c.events.send(new ListRulesCommand({ NamePrefix: prefix })),
    c.sfn.send(new ListStateMachinesCommand({})),
    c.logs.send(new DescribeLogGroupsCommand({})),
  ]);
  return {
    buckets: (b.Buckets ?? []).filter((x) => x.Name?.startsWith(prefix)).length,
    roles: (r.Roles ?? []).filter((x) => x.RoleName?.startsWith(prefix)).length,
    functions: (f.Functions ?? []).filter((x) => x.FunctionName?.startsWith(prefix)).length,
    rules: (ru.Rules ?? []).length,
    stateMachines: (sm.stateMachines ?? []).filter((x) => x.name?.startsWith(prefix)).length,
    logGroups: (lg.logGroups ?? []).filter((x) => x.logGroupName?.includes(prefix)).length,
  };
}

describe('cloud layer on the embedded sandbox', () => {
  it('connects to an embedded sandbox with its identity, and records calls as AWS CLI commands', async () => {
    expect(target.info).toMatchObject({
      kind: 'sandbox',
      id: 'sandbox',
      accountId: '000000000000',
      region: 'us-east-1',
    });
    expect(target.clock.timeScale).toBe(60);
    const mark = target.calls.mark();
    await target.clients.s3.send(new ListBucketsCommand({}));
    const [call] = target.calls.since(mark);
    expect(call).toMatchObject({ service: 'S3', operation: 'ListBuckets', outcome: 'ok' });
    expect(target.calls.toCli(call)).toBe(`aws s3api list-buckets --endpoint-url ${target.info.endpoint}`);
  });

  it('a second connection on the same home reuses the running sandbox and leaves it running on close', async () => {
    const again = await connectTarget({ kind: 'sandbox' }, { home });
    expect(again.info.endpoint).toBe(target.info.endpoint);
    await again.close();
    await expect(target.clients.s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });

  it('creates each kind once even when asked twice, tears down completely, twice', async () => {
    const first = await deployAll('demo1');
    const prefix = `course-demo1-${first.rm.runId}-`;
    await target.clients.s3.send(
      new PutObjectCommand({ Bucket: first.bucket.name, Key: 'raw/a.jsonl', Body: '{}\n' }),
    );
    const second = await deployAll('demo1');
    expect(second.rm.runId).toBe(first.rm.runId);
    expect(second.fn.arn).toBe(first.fn.arn);
    expect(await countOf(prefix)).toEqual({
      buckets: 1,
      roles: 2,
      functions: 1,
      rules: 1,
      stateMachines: 1,
      logGroups: 1,
    });
    const policy = await target.clients.lambda.send(new GetPolicyCommand({ FunctionName: first.fn.name }));
    expect(JSON.parse(policy.Policy ?? '{}').Statement).toHaveLength(1);
    const targets = await target.clients.events.send(new ListTargetsByRuleCommand({ Rule: first.rule.name }));
    expect(targets.Targets).toHaveLength(1);

    const ledger = target.ledger('demo1');
    expect(ledger?.live().every((e) => e.state === 'created')).toBe(true);
    expect(ledger?.live()).toHaveLength(8);
    expect(target.describeDeployment('demo1')?.resources.map((r) => r.kind)).toContain('lambda-permission');

    const plan = target.planTeardown('demo1');
    expect(plan.map((s) => s.entry.kind)[0]).toBe('events-rule');
    const report = await target.teardown('demo1');
    expect(report.failed).toEqual([]);
    expect(report.refused).toEqual([]);
    expect(report.leftovers).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.deleted).toHaveLength(8);
    expect(await countOf(prefix)).toEqual({
      buckets: 0,
      roles: 0,
      functions: 0,
      rules: 0,
      stateMachines: 0,
      logGroups: 0,
    });

    const again = await target.teardown('demo1');
    expect(again).toMatchObject({ deleted: [], failed: [], leftovers: [] });
    // the next deployment gets a new run id
    expect(target.resources('demo1').runId).not.toBe(first.rm.runId);
  }, 120_000);

  it('tears down after crashes between intent and create, and between create and confirm', async () => {
    const rm = target.resources('demo2');
    const ledger = target.ledger('demo2');
    if (!ledger) throw new Error('ledger missing');
    // 1. intent written, process died before CreateRole
    ledger.intend('iam-role', rm.nameFor('iam-role', 'never-made'));
    // 2. CreateBucket happened, process died before tagging and confirming
    const untagged = rm.nameFor('s3-bucket', 'untagged');
    ledger.intend('s3-bucket', untagged);
    await target.clients.s3.send(new CreateBucketCommand({ Bucket: untagged }));
    // 3. created and tagged, process died before confirming
    const tagged = rm.nameFor('s3-bucket', 'tagged');
    ledger.intend('s3-bucket', tagged);
    await target.clients.s3.send(new CreateBucketCommand({ Bucket: tagged }));
    await target.clients.s3.send(
      new PutBucketTaggingCommand({
        Bucket: tagged,
        Tagging: { TagSet: tagList(courseTags('demo2', rm.runId)) },
      }),
    );
    // 4. a resumed run re-asks for a bucket the dead one half-made: adopted, not duplicated
    await expect(rm.bucket({ part: 'untagged' })).resolves.toMatchObject({ name: untagged });

    expect(
      target
        .planTeardown('demo2')
        .filter((s) => s.uncertain)
        .map((s) => s.entry.kind),
    ).toEqual(['iam-role', 's3-bucket']);
    const report = await target.teardown('demo2');
    expect(report.failed).toEqual([]);
    expect(report.deleted.map((r) => r.name).sort()).toEqual([tagged, untagged].sort());
    expect(report.alreadyGone.map((r) => r.kind)).toEqual(['iam-role']);
    expect(report.leftovers).toEqual([]);
    expect(await countOf(`course-demo2-${rm.runId}-`)).toMatchObject({ buckets: 0, roles: 0 });
  }, 60_000);

  it('leaves alone a resource in the ledger whose tags are not this run', async () => {
    const rm = target.resources('demo3');
    const ledger = target.ledger('demo3');
    if (!ledger) throw new Error('ledger missing');
    const foreign = rm.nameFor('s3-bucket', 'foreign');
    await target.clients.s3.send(new CreateBucketCommand({ Bucket: foreign }));
    await target.clients.s3.send(
      new PutBucketTaggingCommand({
        Bucket: foreign,
        Tagging: { TagSet: [{ Key: 'owner', Value: 'someone' }] },
      }),
    );
    await expect(rm.bucket({ part: 'foreign' })).rejects.toThrow(/not this run's/);
    ledger.intend('s3-bucket', foreign); // e.g. a hand-edited or stale ledger
    const report = await target.teardown('demo3');
    expect(report.refused?.map((r) => r.resource.name)).toEqual([foreign]);
    const names = (await target.clients.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toContain(foreign);
  }, 60_000);
});
