/**
 * `--endpoint URL`: which credentials sign the requests, and where nothing is sent at all. A local
 * HTTP server stands in for an emulator (test/helpers/fakeEndpoint.ts), reached over loopback and
 * over this machine's network address (not loopback).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../src/cloud/target.js';
import { InvalidTargetError } from '../../src/cloud/errors.js';
import { isLoopbackEndpoint } from '../../src/cloud/endpointCredentials.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { networkAddress, startFakeEndpoint, type FakeEndpoint } from '../helpers/fakeEndpoint.js';

const CHAIN_KEY = 'AKIACHAINCHAINCHAIN1';
const PROFILE_KEY = 'AKIAPROFILEPROFILE01';

let fake: FakeEndpoint;
let port: number;
let keyIds: string[];

beforeAll(async () => {
  fake = await startFakeEndpoint();
  port = fake.port;
  keyIds = fake.keyIds;
});
afterAll(() => fake.close());

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  keyIds.length = 0;
});

/** A learner whose default chain has credentials, and who has a profile "learner" as well. */
function learnerWithCredentials(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  const dir = makeTempDir('course-endpoint-');
  fs.writeFileSync(path.join(dir, 'config'), '[profile learner]\nregion = us-east-1\n');
  fs.writeFileSync(
    path.join(dir, 'credentials'),
    `[learner]\naws_access_key_id = ${PROFILE_KEY}\naws_secret_access_key = profile-secret\n`,
  );
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: CHAIN_KEY,
    AWS_SECRET_ACCESS_KEY: 'chain-secret',
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

async function keyIdsSentTo(endpoint: string, more: { profile?: string; remoteConfirmed?: boolean } = {}) {
  const t = await connectTarget(
    { kind: 'endpoint', endpoint, region: 'us-east-1', ...more },
    { home: '/nonexistent' },
  );
  await t.close();
  return [...new Set(keyIds)];
}

describe('--endpoint credentials', () => {
  it.each([
    ['http://localhost:4566', true],
    ['http://127.0.0.1:4566', true],
    ['http://127.8.9.10', true],
    ['http://[::1]:4566', true],
    ['http://app.localhost:4566', true],
    ['http://localhost.localstack.cloud:4566', false],
    ['http://127.0.0.1.example.com', false],
    ['http://10.0.0.5:4566', false],
    ['https://s3.eu-west-1.amazonaws.com', false],
    ['http://0.0.0.0:4566', false],
  ])('%s is loopback: %s', (url, loopback) => {
    expect(isLoopbackEndpoint(new URL(url))).toBe(loopback);
  });

  it("a loopback endpoint gets the emulator's test credentials, not the learner's", async () => {
    learnerWithCredentials();
    expect(await keyIdsSentTo(`http://127.0.0.1:${port}`)).toEqual(['test']);
  });

  it('a loopback endpoint with --profile gets that profile', async () => {
    learnerWithCredentials();
    expect(await keyIdsSentTo(`http://localhost:${port}`, { profile: 'learner' })).toEqual([PROFILE_KEY]);
  });

  it('an endpoint elsewhere is sent nothing until confirmed, then the learner’s credentials', async () => {
    learnerWithCredentials();
    const remote = `http://${networkAddress()}:${port}`;
    const refused = await keyIdsSentTo(remote).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidTargetError);
    expect((refused as Error).message).toContain('is not on this machine');
    expect(keyIds).toEqual([]);
    expect(await keyIdsSentTo(remote, { remoteConfirmed: true })).toEqual([CHAIN_KEY]);
  });
});
