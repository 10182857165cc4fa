import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
} from '@aws-sdk/client-iam';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('managed policy attachments through @aws-sdk/client-iam', () => {
  let t: TestSandbox;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestSandbox();
    iam = new IAMClient(t.clientConfig);
    await iam.send(new CreateRoleCommand({ RoleName: 'attached', AssumeRolePolicyDocument: trust }));
  });
  afterAll(() => t.stop());

  it('attaches, lists and detaches AWS-managed policies; DeleteRole waits for detachment', async () => {
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: BASIC }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: BASIC }));
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached' }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC },
    ]);
    const byPath = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'attached', PathPrefix: '/other/' }),
    );
    expect(byPath.AttachedPolicies).toEqual([]);

    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'attached' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: BASIC }));
    await expect(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: BASIC })),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(
      (await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'attached' }))).InstanceProfiles,
    ).toEqual([]);
    await iam.send(new DeleteRoleCommand({ RoleName: 'attached' }));
  });

  it('refuses policies the sandbox does not have', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'attach-bad', AssumeRolePolicyDocument: trust }));
    await expect(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'attach-bad',
          PolicyArn: 'arn:aws:iam::000000000000:policy/mine',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::000000000000:policy/mine does not exist or is not attachable.',
    });
    await expect(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'ghost', PolicyArn: BASIC })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name ghost cannot be found.',
    });
  });
});
