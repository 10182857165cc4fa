/**
 * Creates run side by side (sideBySide) keep the write-ahead ledger true: each create's intent is on
 * disk before its call is sent, and when one of them fails the step waits for the others, so the
 * ledger confirms those and names the failed one as its failure warrants.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateRoleCommand, ListRoleTagsCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { LedgerResourceManager } from '../../src/cloud/resourceManager.js';
import { ResourceConflictError } from '../../src/cloud/errors.js';
import { sideBySide } from '../../src/cloud/sideBySide.js';
import type { LedgerEntry } from '../../src/cloud/ledger.js';
import { awsErr, mockTarget } from './mockTarget.js';
import { tagList } from '../../src/cloud/naming.js';

let t: ReturnType<typeof mockTarget>;
afterEach(() => t?.cleanup());

const manager = () =>
  new LedgerResourceManager({ clients: t.clients, info: t.info, ledger: t.ledger, sleep: async () => {} });

const roleSpec = (part: string) => ({
  part,
  description: 'd',
  trustedService: 'lambda.amazonaws.com',
  inlinePolicies: {},
});

const onDisk = (): LedgerEntry[] => JSON.parse(fs.readFileSync(t.ledger.file, 'utf8')).entries;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The role's part, from its full name (`course-demo1-<run>-<part>`). */
const partOf = (name: string | undefined) => name?.split('-').at(-1);

describe('sideBySide', () => {
  it('returns every result in the order given, though they finish in another', async () => {
    const done: number[] = [];
    const out = await sideBySide(
      [30, 0, 15].map((ms, i) => async () => {
        await pause(ms);
        done.push(i);
        return i * 10;
      }),
    );
    expect(out).toEqual([0, 10, 20]);
    expect(done).toEqual([1, 2, 0]);
  });

  it('waits for every task before throwing the first failure (in the order given)', async () => {
    const finished: string[] = [];
    const run = sideBySide([
      async () => {
        await pause(40);
        finished.push('slow');
        return 'slow';
      },
      async () => {
        await pause(5);
        throw new Error('second failed');
      },
      async () => {
        await pause(1);
        throw new Error('third failed');
      },
    ]);
    await expect(run).rejects.toThrow('second failed');
    expect(finished).toEqual(['slow']);
  });
});

describe('roles created side by side', () => {
  it('each intent is on disk before its CreateRole is sent; all confirmed after', async () => {
    t = mockTarget();
    const m = manager();
    const seenAtCreate = new Map<string, string | undefined>();
    t.mocks.iam.on(CreateRoleCommand).callsFake(async (input: { RoleName: string }) => {
      seenAtCreate.set(partOf(input.RoleName)!, onDisk().find((e) => e.name === input.RoleName)?.state);
      // Answer in the reverse order of the calls: the creates really overlap.
      await pause(partOf(input.RoleName) === 'a' ? 30 : partOf(input.RoleName) === 'b' ? 15 : 0);
      return { Role: { Arn: `arn:aws:iam::000000000000:role/${input.RoleName}` } };
    });
    t.mocks.iam.on(PutRolePolicyCommand).resolves({});
    const created = await sideBySide(['a', 'b', 'c'].map((p) => () => m.role(roleSpec(p))));
    expect(created.map((r) => partOf(r.name))).toEqual(['a', 'b', 'c']);
    expect(Object.fromEntries(seenAtCreate)).toEqual({ a: 'intended', b: 'intended', c: 'intended' });
    expect(onDisk().map((e) => [partOf(e.name), e.state])).toEqual([
      ['a', 'created'],
      ['b', 'created'],
      ['c', 'created'],
    ]);
    expect(new Set(onDisk().map((e) => e.seq)).size).toBe(3);
  });

  it('one create fails with an unknown outcome: the others are confirmed, it stays intended', async () => {
    t = mockTarget();
    const m = manager();
    t.mocks.iam.on(CreateRoleCommand).callsFake(async (input: { RoleName: string }) => {
      if (partOf(input.RoleName) === 'b') throw awsErr('ServiceFailure', 'internal', 500);
      await pause(partOf(input.RoleName) === 'c' ? 30 : 0);
      return { Role: { Arn: `arn:aws:iam::000000000000:role/${input.RoleName}` } };
    });
    t.mocks.iam.on(PutRolePolicyCommand).resolves({});
    await expect(sideBySide(['a', 'b', 'c'].map((p) => () => m.role(roleSpec(p))))).rejects.toMatchObject({
      name: 'ServiceFailure',
    });
    // b may exist (the create's outcome is unknown): teardown must still look for it.
    expect(onDisk().map((e) => [partOf(e.name), e.state])).toEqual([
      ['a', 'created'],
      ['b', 'intended'],
      ['c', 'created'],
    ]);
  });

  it("one name belongs to someone else: its intent is dropped, the others' are confirmed", async () => {
    t = mockTarget();
    const m = manager();
    t.mocks.iam.on(CreateRoleCommand).callsFake(async (input: { RoleName: string }) => {
      if (partOf(input.RoleName) === 'b') throw awsErr('EntityAlreadyExists', 'exists', 409);
      await pause(partOf(input.RoleName) === 'a' ? 30 : 0);
      return { Role: { Arn: `arn:aws:iam::000000000000:role/${input.RoleName}` } };
    });
    t.mocks.iam.on(ListRoleTagsCommand).resolves({ Tags: tagList({ owner: 'someone-else' }) });
    t.mocks.iam.on(PutRolePolicyCommand).resolves({});
    const run = sideBySide(['a', 'b', 'c'].map((p) => () => m.role(roleSpec(p))));
    await expect(run).rejects.toBeInstanceOf(ResourceConflictError);
    expect(onDisk().map((e) => [partOf(e.name), e.state])).toEqual([
      ['a', 'created'],
      ['c', 'created'],
    ]);
  });
});
