/**
 * The proof tests' hooks (src/cloud/testHooks.ts): what a dropped action does to a role's policies,
 * and that neither hook is honoured anywhere but a sandbox on this machine — the built CLI refuses
 * them on an --endpoint target before creating anything. (What the hooks do to a run is proven by
 * the least-privilege and crash-safety tests next to this one.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_TEST_HOOKS, narrowRoleSpec, testHooksFor } from '../../src/cloud/testHooks.js';
import type { RoleSpec } from '../../src/cloud/resourceTypes.js';
import { ensureBuilt } from '../cli/builtCli.js';
import { startFakeEndpoint, type FakeEndpoint } from '../helpers/fakeEndpoint.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { runCourseCli } from './processes.js';

const SANDBOX = { kind: 'sandbox' as const, endpoint: 'http://127.0.0.1:4599', label: 'sandbox' };

const spec: RoleSpec = {
  part: 'worker-role',
  description: 'test',
  trustedService: 'lambda.amazonaws.com',
  inlinePolicies: {
    first: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/raw/*' },
        {
          Sid: 'Write',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: 'arn:aws:s3:::b/out/*',
        },
      ],
    },
    second: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }],
    },
  },
};

describe('COURSE_TEST_DROP_ACTIONS', () => {
  it('removes the action from every statement of the named role; a statement left empty goes', () => {
    const narrowed = narrowRoleSpec(spec, ['s3:getobject']);
    expect(narrowed.inlinePolicies.first!.Statement).toEqual([
      { Sid: 'Write', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/out/*' },
    ]);
    expect(narrowed.inlinePolicies.second).toEqual(spec.inlinePolicies.second);
    expect(spec.inlinePolicies.first!.Statement).toHaveLength(2);
  });

  it('only the role it names, through the hooks of a loopback sandbox', () => {
    const hooks = testHooksFor(SANDBOX, { COURSE_TEST_DROP_ACTIONS: 'worker-role:logs:PutLogEvents' });
    // `second` had only that action: a policy with no statement is not put at all.
    expect(Object.keys(hooks.roleSpec(spec).inlinePolicies)).toEqual(['first']);
    expect(hooks.roleSpec({ ...spec, part: 'other-role' })).toEqual({ ...spec, part: 'other-role' });
  });

  it('refuses to drop what the role does not grant (a proof would pass for the wrong reason)', () => {
    expect(() => narrowRoleSpec(spec, ['s3:DeleteObject'])).toThrow(/grants no s3:DeleteObject to drop/);
  });

  it('refuses a value it cannot read', () => {
    expect(() => testHooksFor(SANDBOX, { COURSE_TEST_DROP_ACTIONS: 's3:PutObject' })).toThrow(
      /is not <role part>:<service>:<Action>/,
    );
    expect(() => testHooksFor(SANDBOX, { COURSE_TEST_KILL_AT: '0' })).toThrow(/is not a boundary number/);
    expect(() => testHooksFor(SANDBOX, { COURSE_TEST_KILL_AT: 'soon' })).toThrow(/is not a boundary number/);
  });
});

describe('the hooks are for a sandbox on this machine only', () => {
  it('unset, there are none', () => {
    expect(testHooksFor({ kind: 'aws', label: 'AWS account 123456789012 (us-east-1)' }, {})).toBe(
      NO_TEST_HOOKS,
    );
  });

  it.each([
    { kind: 'aws' as const, label: 'AWS account 123456789012 (us-east-1)' },
    { kind: 'endpoint' as const, endpoint: 'http://127.0.0.1:4566', label: 'endpoint http://127.0.0.1:4566' },
    { kind: 'sandbox' as const, endpoint: 'http://10.0.0.5:4599', label: 'sandbox (http://10.0.0.5:4599)' },
  ])('refused on $label', (info) => {
    for (const env of [{ COURSE_TEST_KILL_AT: '1' }, { COURSE_TEST_DROP_ACTIONS: 'r:s3:PutObject' }]) {
      expect(() => testHooksFor(info, env)).toThrow(/test hook for the sandbox on this machine only/);
    }
  });

  let endpoint: FakeEndpoint | undefined;
  beforeAll(() => ensureBuilt(), 300_000);
  afterEach(async () => endpoint?.close());

  it('the CLI on an --endpoint: one line, exit 2, nothing created', async () => {
    endpoint = await startFakeEndpoint();
    const home = makeTempDir('course-proof-hooks-');
    const url = `http://127.0.0.1:${endpoint.port}`;
    const r = await runCourseCli(['--home', home, 'demo1', 'run', '--yes', '--endpoint', url], {
      COURSE_TEST_KILL_AT: '1',
      COURSE_TEST_DROP_ACTIONS: 'hourly-aggregate-role:s3:PutObject',
    });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `error: COURSE_TEST_DROP_ACTIONS and COURSE_TEST_KILL_AT are test hooks for the sandbox on this machine only, not endpoint ${url} (us-east-1): unset them.`,
    ]);
    // It learned the account (STS) and stopped: no ledger, so nothing was ever about to be created.
    expect(fs.existsSync(path.join(home, 'ledgers'))).toBe(false);
  }, 60_000);
});
