import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  PutBucketNotificationConfigurationCommand,
} from '@aws-sdk/client-s3';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  ListTagsCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { LedgerResourceManager } from '../../src/cloud/resourceManager.js';
import { IamPropagationTimeoutError, ResourceConflictError } from '../../src/cloud/errors.js';
import { FaultTally } from '../../src/cloud/faultTally.js';
import { awsErr, mockTarget, ourTags } from './mockTarget.js';
import { tagList } from '../../src/cloud/naming.js';

let t: ReturnType<typeof mockTarget>;
afterEach(() => t?.cleanup());

function manager(
  opts: { onWait?: (m: string, ordinary?: boolean) => void; sleeps?: number[]; tally?: FaultTally } = {},
) {
  return new LedgerResourceManager({
    clients: t.clients,
    info: t.info,
    ledger: t.ledger,
    onWait: opts.onWait,
    tally: opts.tally,
    sleep: async (ms) => {
      opts.sleeps?.push(ms);
    },
  });
}

const fnSpec = (roleArn = 'arn:aws:iam::000000000000:role/r') => ({
  part: 'agg',
  description: 'd',
  roleArn,
  runtime: 'nodejs22.x' as const,
  handler: 'index.handler',
  zip: new Uint8Array([1, 2, 3]),
  timeoutSeconds: 30,
  memoryMb: 256,
});

describe('buckets', () => {
  it('records the intent before CreateBucket, confirms after, tags, and omits LocationConstraint in us-east-1', async () => {
    t = mockTarget();
    const m = manager();
    let stateDuringCreate: string | undefined;
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchBucket', 'none', 404));
    t.mocks.s3.on(CreateBucketCommand).callsFake(() => {
      stateDuringCreate = JSON.parse(fs.readFileSync(t.ledger.file, 'utf8')).entries[0]?.state;
      return {};
    });
    t.mocks.s3.on(PutBucketTaggingCommand).resolves({});
    t.mocks.s3.on(PutBucketNotificationConfigurationCommand).resolves({});
    const r = await m.bucket({ part: 'data', eventBridge: true });
    expect(stateDuringCreate).toBe('intended');
    expect(r).toEqual({
      kind: 's3-bucket',
      name: `course-demo1-${m.runId}-000000000000-data`,
      arn: `arn:aws:s3:::${r.name}`,
    });
    expect(t.mocks.s3.commandCalls(CreateBucketCommand)[0].args[0].input).toEqual({ Bucket: r.name });
    expect(t.mocks.s3.commandCalls(PutBucketTaggingCommand)[0].args[0].input.Tagging?.TagSet).toEqual(
      tagList(ourTags(m.runId)),
    );
    expect(
      t.mocks.s3.commandCalls(PutBucketNotificationConfigurationCommand)[0].args[0].input
        .NotificationConfiguration,
    ).toEqual({
      EventBridgeConfiguration: {},
    });
    expect(t.ledger.find('s3-bucket', r.name)?.state).toBe('created');
  });

  it('sets LocationConstraint outside us-east-1', async () => {
    t = mockTarget('eu-west-1');
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchBucket', 'none', 404));
    t.mocks.s3.on(CreateBucketCommand).resolves({});
    t.mocks.s3.on(PutBucketTaggingCommand).resolves({});
    await manager().bucket({ part: 'data' });
    expect(t.mocks.s3.commandCalls(CreateBucketCommand)[0].args[0].input.CreateBucketConfiguration).toEqual({
      LocationConstraint: 'eu-west-1',
    });
  });

  it('adopts a bucket of ours that already exists', async () => {
    t = mockTarget();
    const m = manager();
    t.mocks.s3.on(CreateBucketCommand).rejects(awsErr('BucketAlreadyOwnedByYou', 'owned', 409));
    t.mocks.s3.on(GetBucketTaggingCommand).resolves({ TagSet: tagList(ourTags(m.runId)) });
    t.mocks.s3.on(PutBucketTaggingCommand).resolves({});
    const r = await m.bucket({ part: 'data' });
    expect(t.ledger.find('s3-bucket', r.name)?.state).toBe('created');
  });

  it('refuses a bucket tagged for another run, and drops the intent', async () => {
    t = mockTarget();
    const m = manager();
    t.mocks.s3.on(CreateBucketCommand).rejects(awsErr('BucketAlreadyOwnedByYou', 'owned', 409));
    t.mocks.s3.on(GetBucketTaggingCommand).resolves({ TagSet: tagList(ourTags('zzzzzz')) });
    const err = await m.bucket({ part: 'data' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceConflictError);
    expect((err as Error).message).toMatch(/tagged for run zzzzzz/);
    expect(t.mocks.s3.commandCalls(PutBucketTaggingCommand)).toHaveLength(0);
    expect(t.ledger.entries()).toEqual([]);
  });

  it('refuses a name taken by another account', async () => {
    t = mockTarget();
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchBucket', 'none', 404));
    t.mocks.s3.on(CreateBucketCommand).rejects(awsErr('BucketAlreadyExists', 'taken', 409));
    await expect(manager().bucket({ part: 'data' })).rejects.toThrow(/another AWS account/);
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('AccessDenied', 'Access Denied', 403));
    await expect(manager().bucket({ part: 'data' })).rejects.toThrow(/another AWS account/);
  });

  it('asks before creating: an existing bucket of another run is refused even where CreateBucket would say 200', async () => {
    t = mockTarget();
    t.mocks.s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'team', Value: 'x' }] });
    t.mocks.s3.on(CreateBucketCommand).resolves({});
    await expect(manager().bucket({ part: 'data' })).rejects.toThrow(/not tagged as managed by course-cli/);
    expect(t.mocks.s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });

  it('adopts an untagged bucket only when the ledger already named it (crash between create and tag)', async () => {
    t = mockTarget();
    const m = manager();
    const name = m.nameFor('s3-bucket', 'data');
    t.mocks.s3.on(CreateBucketCommand).rejects(awsErr('BucketAlreadyOwnedByYou', 'owned', 409));
    t.mocks.s3.on(GetBucketTaggingCommand).rejects(awsErr('NoSuchTagSet', 'none', 404));
    t.mocks.s3.on(PutBucketTaggingCommand).resolves({});
    await expect(m.bucket({ part: 'data' })).rejects.toThrow(ResourceConflictError);
    t.ledger.intend('s3-bucket', name); // the earlier process wrote its intent, then died
    await expect(m.bucket({ part: 'data' })).resolves.toMatchObject({ name });
  });
});

describe('roles', () => {
  it('creates with trust policy and tags, then puts each inline policy', async () => {
    t = mockTarget();
    const m = manager();
    t.mocks.iam
      .on(CreateRoleCommand)
      .resolves({ Role: { Arn: 'arn:aws:iam::000000000000:role/x' } as never });
    t.mocks.iam.on(PutRolePolicyCommand).resolves({});
    const doc = {
      Version: '2012-10-17' as const,
      Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/raw/*' }],
    };
    const r = await m.role({
      part: 'exec',
      description: 'd',
      trustedService: 'lambda.amazonaws.com',
      inlinePolicies: { read: doc },
    });
    expect(r.arn).toBe('arn:aws:iam::000000000000:role/x');
    const input = t.mocks.iam.commandCalls(CreateRoleCommand)[0].args[0].input;
    expect(JSON.parse(input.AssumeRolePolicyDocument ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(input.Tags).toEqual(tagList(ourTags(m.runId)));
    const put = t.mocks.iam.commandCalls(PutRolePolicyCommand)[0].args[0].input;
    expect(JSON.parse(put.PolicyDocument ?? '')).toEqual(doc); // exactly as given: never widened
  });

  it('adopts its own role: removes inline policies no longer in the spec, keeps trust policy if equal', async () => {
    t = mockTarget();
    const m = manager();
    const trust = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    t.mocks.iam.on(CreateRoleCommand).rejects(awsErr('EntityAlreadyExists', 'exists', 409));
    t.mocks.iam.on(ListRoleTagsCommand).resolves({ Tags: tagList(ourTags(m.runId)) });
    t.mocks.iam.on(GetRoleCommand).resolves({
      Role: {
        Arn: 'arn:aws:iam::000000000000:role/x',
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
      } as never,
    });
    t.mocks.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['old', 'read'] });
    t.mocks.iam.on(DeleteRolePolicyCommand).resolves({});
    t.mocks.iam.on(PutRolePolicyCommand).resolves({});
    await m.role({
      part: 'exec',
      description: 'd',
      trustedService: 'lambda.amazonaws.com',
      inlinePolicies: { read: { Version: '2012-10-17', Statement: [] } },
    });
    expect(t.mocks.iam.commandCalls(DeleteRolePolicyCommand).map((c) => c.args[0].input.PolicyName)).toEqual([
      'old',
    ]);
    expect(t.mocks.iam.commandCalls(TagRoleCommand)).toHaveLength(0);
  });
});

describe('functions: IAM propagation', () => {
  it('retries CreateFunction while the role cannot be assumed, reporting each wait, then waits for Active', async () => {
    t = mockTarget();
    const waits: string[] = [];
    const sleeps: number[] = [];
    const m = manager({ onWait: (w) => waits.push(w), sleeps });
    const notYet = awsErr(
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
    );
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .rejectsOnce(notYet)
      .rejectsOnce(notYet)
      .resolves({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
    t.mocks.lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active' } });
    const r = await m.lambdaFunction(fnSpec());
    expect(r.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:f');
    expect(sleeps).toEqual([1000, 2000]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toMatch(
      /IAM is still propagating role r; retrying creating function .* \(retry 1, waited 0 of at most 60 s\)/,
    );
    expect(t.mocks.lambda.commandCalls(CreateFunctionCommand)[0].args[0].input.Tags).toEqual(
      ourTags(m.runId),
    );
  });

  it('gives up after a bounded wait with a named error, counted as a fault not absorbed', async () => {
    t = mockTarget();
    const sleeps: number[] = [];
    const tally = new FaultTally();
    const m = manager({ sleeps, tally });
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .rejects(
        awsErr(
          'InvalidParameterValueException',
          'The role defined for the function cannot be assumed by Lambda.',
        ),
      );
    await expect(m.lambdaFunction(fnSpec())).rejects.toThrow(IamPropagationTimeoutError);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(10_000);
    // The intent stays: the create may have half-happened, so teardown must look.
    expect(t.ledger.live()[0].state).toBe('intended');
    // The wait absorbed nothing: the closing line must not call it absorbed.
    expect(tally.summary()).toBe(
      'Faults met: 1, 0 absorbed, 1 not; not absorbed: IAM propagation: arn:aws:iam::000000000000:role/r still not assumable after 60 s.',
    );
  });

  it('a function that never becomes Active: the wait for it is a fault not absorbed', async () => {
    t = mockTarget();
    const tally = new FaultTally();
    const m = manager({ tally });
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .resolves({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
    t.mocks.lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { State: 'Pending' } })
      .resolves({ Configuration: { State: 'Failed', StateReasonCode: 'InternalError' } });
    await expect(m.lambdaFunction(fnSpec())).rejects.toThrow();
    expect(tally.notAbsorbed).toBe(1);
    expect(tally.cloudWaits).toBe(0);
    expect(tally.summary()).toMatch(
      /^Faults met: 1, 0 absorbed, 1 not; not absorbed: Lambda Pending or updating: function \S+ did not become Active\.$/,
    );
  });

  it('says a Pending function is waited for as an ordinary wait, IAM propagation as an unusual one', async () => {
    t = mockTarget();
    const waits: [string, boolean | undefined][] = [];
    const m = manager({ onWait: (w, ordinary) => waits.push([w, ordinary]), sleeps: [] });
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .rejectsOnce(
        awsErr(
          'InvalidParameterValueException',
          'The role defined for the function cannot be assumed by Lambda.',
        ),
      )
      .resolves({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' });
    t.mocks.lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { State: 'Pending' } })
      .resolves({ Configuration: { State: 'Active' } });
    await m.lambdaFunction(fnSpec());
    expect(waits.map(([w, ordinary]) => [w.split(' ').slice(0, 4).join(' '), ordinary === true])).toEqual([
      ['IAM is still propagating', false],
      ['Lambda is still creating', true],
    ]);
  });

  it("a permission refused past the propagation budget fails with AWS's own words", async () => {
    t = mockTarget();
    const m = manager({ sleeps: [] });
    t.mocks.sfn
      .on(CreateStateMachineCommand)
      .rejects(
        awsErr(
          'AccessDeniedException',
          'The state machine IAM Role is not authorized to access the Log Destination',
        ),
      );
    const err = await m
      .stateMachine({
        part: 'sm',
        roleArn: 'arn:aws:iam::000000000000:role/r',
        definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/states/x:*',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IamPropagationTimeoutError);
    expect((err as Error).message).toBe(
      'AWS still refused with the role arn:aws:iam::000000000000:role/r after 60 s (AccessDeniedException: The state machine IAM Role is not authorized to access the Log Destination). If its policy changed moments ago, IAM may still be propagating it: run the step again in a minute; otherwise the policy lacks that permission.',
    );
    expect(t.mocks.sfn.commandCalls(CreateStateMachineCommand).length).toBeGreaterThan(2);
  });

  it('does not retry other errors', async () => {
    t = mockTarget();
    const sleeps: number[] = [];
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .rejects(awsErr('InvalidParameterValueException', 'Unzipped size must be smaller'));
    await expect(manager({ sleeps }).lambdaFunction(fnSpec())).rejects.toThrow(/Unzipped/);
    expect(sleeps).toEqual([]);
  });

  it('refuses an existing function that is not ours', async () => {
    t = mockTarget();
    t.mocks.lambda
      .on(CreateFunctionCommand)
      .rejects(awsErr('ResourceConflictException', 'Function already exist: f', 409));
    t.mocks.lambda.on(ListTagsCommand).resolves({ Tags: {} });
    await expect(manager().lambdaFunction(fnSpec())).rejects.toThrow(/has no tags/);
  });
});

describe('permissions', () => {
  const permSpec = {
    functionName: 'course-demo1-x-f',
    statementId: 'events',
    principal: 'events.amazonaws.com',
    sourceArn: 'arn:rule',
  };
  const statement = (sourceArn: string) =>
    JSON.stringify({
      Statement: [
        {
          Sid: 'events',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
        },
      ],
    });

  it.each([
    ['adopts an identical statement without removing it', 'arn:rule', 0, 1],
    ['replaces a statement that says something else', 'arn:other', 1, 2],
  ])('%s', async (_label, existingSource, removes, adds) => {
    t = mockTarget();
    const m = manager();
    t.mocks.lambda.on(ListTagsCommand).resolves({ Tags: ourTags(m.runId) });
    t.mocks.lambda
      .on(AddPermissionCommand)
      .rejectsOnce(
        awsErr('ResourceConflictException', 'The statement id (events) provided already exists.', 409),
      )
      .resolves({});
    t.mocks.lambda.on(GetPolicyCommand).resolves({ Policy: statement(existingSource) });
    t.mocks.lambda.on(RemovePermissionCommand).resolves({});
    await m.lambdaPermission(permSpec);
    expect(t.mocks.lambda.commandCalls(RemovePermissionCommand)).toHaveLength(removes);
    expect(t.mocks.lambda.commandCalls(AddPermissionCommand)).toHaveLength(adds);
    expect(t.ledger.find('lambda-permission', 'events', 'course-demo1-x-f')?.state).toBe('created');
  });

  it('never adds a statement to a function that is not ours', async () => {
    t = mockTarget();
    t.mocks.lambda.on(ListTagsCommand).resolves({ Tags: ourTags('other1') });
    await expect(
      manager().lambdaPermission({
        functionName: 'f',
        statementId: 's',
        principal: 'events.amazonaws.com',
        sourceArn: 'a',
      }),
    ).rejects.toThrow(ResourceConflictError);
    expect(t.mocks.lambda.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });
});
