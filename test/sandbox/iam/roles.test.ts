import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';

const trust = (service = 'lambda.amazonaws.com'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/raw/*' }],
});

describe('IAM roles through @aws-sdk/client-iam', () => {
  let t: TestSandbox;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestSandbox();
    iam = new IAMClient(t.clientConfig);
  });
  afterAll(() => t.stop());

  it('creates a role and reads it back with the trust policy URL-encoded, as IAM returns it', async () => {
    const doc = trust();
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'course-demo1-exec',
        Path: '/service-role/',
        AssumeRolePolicyDocument: doc,
        Description: 'exec role',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'course:demo', Value: 'demo1' }],
      }),
    );
    expect(created.Role?.Arn).toBe('arn:aws:iam::000000000000:role/service-role/course-demo1-exec');
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'course-demo1-exec' }));
    expect(got.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(doc));
    expect(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)).toBe(doc);
    expect(got.Role).toMatchObject({
      Path: '/service-role/',
      Description: 'exec role',
      MaxSessionDuration: 7200,
      RoleId: created.Role?.RoleId,
      Tags: [{ Key: 'course:demo', Value: 'demo1' }],
    });
  });

  it('rejects duplicates, bad names and bad trust policies with IAM codes', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dup-role', AssumeRolePolicyDocument: trust() }));
    const dup = await errorOf(
      iam.send(new CreateRoleCommand({ RoleName: 'DUP-ROLE', AssumeRolePolicyDocument: trust() })),
    );
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    expect(dup.message).toBe('Role with name DUP-ROLE already exists.');

    const badName = await errorOf(
      iam.send(new CreateRoleCommand({ RoleName: 'bad name!', AssumeRolePolicyDocument: trust() })),
    );
    expect(badName.name).toBe('ValidationError');
    expect(badName.message).toContain("at 'roleName' failed to satisfy constraint");

    const cases: Array<[string, string]> = [
      ['{not json', 'This policy contains invalid Json'],
      [JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors in policy.'],
      [
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] }),
        'Policy document must be version 2012-10-17 or greater.',
      ],
      [
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
        'Missing required field Principal',
      ],
      [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }],
        }),
        'Has prohibited field Resource.',
      ],
      [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }],
        }),
        'Syntax errors in policy.',
      ],
    ];
    for (const [doc, message] of cases) {
      const err = await errorOf(
        iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: doc })),
      );
      expect(err, doc).toMatchObject({ name: 'MalformedPolicyDocumentException', message, status: 400 });
    }
    const missing = await errorOf(iam.send(new CreateRoleCommand({ RoleName: 'x' } as never)));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toContain("Value null at 'assumeRolePolicyDocument'");
  });

  it('reports unknown roles with NoSuchEntity', async () => {
    const err = await errorOf(iam.send(new GetRoleCommand({ RoleName: 'nope' })));
    expect(err).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name nope cannot be found.',
      status: 404,
    });
  });

  it('manages inline policies and refuses to delete a role that still has them', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'with-policies', AssumeRolePolicyDocument: trust() }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'b-read', PolicyDocument: policy }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'a-write', PolicyDocument: policy }),
    );
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'b-read' }));
    expect(got).toMatchObject({ RoleName: 'with-policies', PolicyName: 'b-read' });
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(policy);
    const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'with-policies' }));
    expect(listed.PolicyNames).toEqual(['a-write', 'b-read']);
    expect(listed.IsTruncated).toBe(false);

    const conflict = await errorOf(iam.send(new DeleteRoleCommand({ RoleName: 'with-policies' })));
    expect(conflict).toMatchObject({ name: 'DeleteConflictException', status: 409 });

    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'a-write' }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'b-read' }));
    const gone = await errorOf(
      iam.send(new GetRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'b-read' })),
    );
    expect(gone).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name b-read cannot be found.',
    });
    await iam.send(new DeleteRoleCommand({ RoleName: 'with-policies' }));
    expect((await errorOf(iam.send(new GetRoleCommand({ RoleName: 'with-policies' })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  it('validates identity policies: actions, resources, principal', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'policy-checks', AssumeRolePolicyDocument: trust() }));
    const cases: Array<[unknown, string]> = [
      [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] },
        'Policy statement must contain actions.',
      ],
      [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] },
        'Policy statement must contain resources.',
      ],
      [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' }],
        },
        'Has prohibited field Principal.',
      ],
      [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] },
        'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
      ],
      [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'bucket' }] },
        'Resource bucket must be in ARN format or "*".',
      ],
      [[1, 2], 'Syntax errors in policy.'],
    ];
    for (const [doc, message] of cases) {
      const err = await errorOf(
        iam.send(
          new PutRolePolicyCommand({
            RoleName: 'policy-checks',
            PolicyName: 'p',
            PolicyDocument: JSON.stringify(doc),
          }),
        ),
      );
      expect(err, JSON.stringify(doc)).toMatchObject({ name: 'MalformedPolicyDocumentException', message });
    }
    const noRole = await errorOf(
      iam.send(new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'p', PolicyDocument: policy })),
    );
    expect(noRole.name).toBe('NoSuchEntityException');
  });

  it('lists roles by path prefix with Marker/MaxItems paging', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) {
      await iam.send(
        new CreateRoleCommand({ RoleName: n, Path: '/paging/', AssumeRolePolicyDocument: trust() }),
      );
    }
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    expect(first.Roles?.map((r) => r.RoleName)).toEqual(['page-a', 'page-b']);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(
      new ListRolesCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker }),
    );
    expect(second.Roles?.map((r) => r.RoleName)).toEqual(['page-c']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    const all = await iam.send(new ListRolesCommand({}));
    expect(all.Roles?.length).toBeGreaterThanOrEqual(3);
  });

  it('tags, untags and lists role tags', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: trust() }));
    await iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'course:run', Value: 'r1' },
          { Key: 'course:managed-by', Value: 'course-cli' },
        ],
      }),
    );
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'course:run', Value: 'r2' }] }));
    let tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }));
    expect(tags.Tags).toEqual([
      { Key: 'course:run', Value: 'r2' },
      { Key: 'course:managed-by', Value: 'course-cli' },
    ]);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['course:run'] }));
    tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }));
    expect(tags.Tags).toEqual([{ Key: 'course:managed-by', Value: 'course-cli' }]);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await errorOf(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: tooMany })))).name).toBe(
      'LimitExceededException',
    );
    expect((await errorOf(iam.send(new ListRoleTagsCommand({ RoleName: 'ghost' })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  it('persists roles and policies across a restart', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'durable', AssumeRolePolicyDocument: trust() }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'durable', PolicyName: 'p', PolicyDocument: policy }),
    );
    await t.restart();
    iam = new IAMClient(t.clientConfig);
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'durable', PolicyName: 'p' }));
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(policy);
  });
});
