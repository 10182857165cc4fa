/**
 * The cloud layer on a sandbox having a bad day (real HTTP, real SDK): the clients' retries absorb
 * what the sandbox injects and the tally counts exactly that; a fault past every retry becomes one
 * actionable line while other errors keep their names; IAM propagation and Lambda's Pending are
 * waited out visibly, on the target's clock, and counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { ServiceBusyError } from '../../src/cloud/errors.js';
import { makeTempDir, startTestSandbox } from '../helpers/sandbox.js';
import { baseConfig, buildClients, destroyClients } from '../../src/cloud/clients.js';
import { RecordingCallLog } from '../../src/cloud/callLog.js';
import { FaultTally } from '../../src/cloud/faultTally.js';
import { profileFromJson } from '../../src/sandbox/faults/index.js';
import { thrownBy } from '../helpers/awsErrors.js';
import { LOG_DELIVERY_ACTIONS } from '../sandbox/stepfunctions/fixtures.js';

let target: ConnectedTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function connect(profile: Record<string, unknown>, timeScale = 30): Promise<ConnectedTarget> {
  const home = makeTempDir('course-cloud-faults-');
  const file = path.join(home, 'profile.json');
  fs.writeFileSync(file, JSON.stringify(profile));
  target = await connectTarget({ kind: 'sandbox', timeScale }, { home, sandboxFaults: file });
  return target;
}

const handlerZip = zipSync({ 'index.mjs': strToU8('export const handler = async () => ({ ok: true });\n') });

describe('SDK retries, counted', () => {
  it('absorbs what the sandbox injects, and the tally counts each one', async () => {
    // Mostly server errors: their backoff starts at 50 ms, throttling's at a second.
    const t = await connect({ seed: 21, throttling: 0.05, serverErrors: 0.3 });
    expect(t.faultProfile).toEqual({ profile: expect.stringMatching(/profile\.json$/), seed: 21 });
    expect(t.warnings.join('\n')).toMatch(
      /Sandbox fault profile .*profile\.json \(seed 21\): 5% throttled, 30% server errors/,
    );
    let attempts = 0;
    for (let i = 0; i < 15; i++) {
      for (const out of await Promise.all([
        t.clients.s3.send(new ListBucketsCommand({})),
        t.clients.iam.send(new ListRolesCommand({})),
        t.clients.lambda.send(new ListFunctionsCommand({})),
      ])) {
        attempts += out.$metadata.attempts ?? 1;
      }
    }
    // 45 calls all answered; every attempt beyond the first was a fault met and absorbed.
    expect(t.faults.sdkRetries).toBe(attempts - 45);
    expect(t.faults.sdkRetries).toBeGreaterThan(0);
    expect(t.faults.notAbsorbed).toBe(0);
    expect(t.faults.notable).toBe(true);
    expect(t.faults.summary(t.faultProfile)).toMatch(
      new RegExp(
        `^Faults met under fault profile .*profile\\.json \\(seed 21\\): ${attempts - 45}, all absorbed — ${attempts - 45} retried by the SDK \\(\\d+ [A-Za-z]+`,
      ),
    );
  }, 120_000);

  it('past every retry, a fault becomes one line that says what to do', async () => {
    // The CLI's clients make ten attempts; three here keep the test short (the backoff doubles).
    const sb = await startTestSandbox({
      faults: profileFromJson({ seed: 1, services: { sts: { serverErrors: 1 } } }, 'p'),
    });
    try {
      const log = new RecordingCallLog();
      const tally = new FaultTally();
      const clients = buildClients({ ...sb.clientConfig, maxAttempts: 3 }, log, tally);
      const err = await thrownBy(clients.sts.send(new GetCallerIdentityCommand({})), ServiceBusyError);
      expect(err.message).toMatch(
        /^STS GetCallerIdentity still failed after 3 attempts \((InternalFailure|ServiceUnavailable): AWS is failing on its side\); wait a minute, then run the same command again — what was created so far is in the ledger\.$/,
      );
      expect(tally.notAbsorbed).toBe(3);
      expect(tally.summary()).toMatch(
        /^Faults met: 3, 0 absorbed, 3 not; not absorbed: STS GetCallerIdentity refused 3 times \(last: (InternalFailure|ServiceUnavailable)\)\.$/,
      );
      // The call log keeps AWS's own error for "show details".
      expect(log.all().at(-1)).toMatchObject({ operation: 'GetCallerIdentity', outcome: 'error' });
      expect(log.all().at(-1)?.errorName).toMatch(/InternalFailure|ServiceUnavailable/);
      destroyClients(clients);
    } finally {
      await sb.stop();
    }
  });

  it('every client retries in standard mode with ten attempts', () => {
    expect(baseConfig({ region: 'us-east-1' })).toMatchObject({ retryMode: 'standard', maxAttempts: 10 });
    expect(baseConfig({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' })).toMatchObject({
      retryMode: 'standard',
      maxAttempts: 10,
    });
  });

  it('other errors keep their names after retries (a missing key is still NoSuchKey)', async () => {
    const t = await connect({
      seed: 4,
      services: { s3: { operations: { GetObject: { throttling: 0.6 } } } },
    });
    await t.clients.s3.send(new CreateBucketCommand({ Bucket: 'fault-bucket' }));
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const err = await thrownBy<Error>(
        t.clients.s3.send(new GetObjectCommand({ Bucket: 'fault-bucket', Key: 'missing' })),
      );
      names.add(err.name);
    }
    expect([...names]).toEqual(['NoSuchKey']);
    expect(t.faults.sdkRetries).toBeGreaterThan(0);
  }, 120_000);
});

describe('cloud-layer waits, counted', () => {
  it('IAM propagation: CreateFunction retried on the target clock, each wait shown', async () => {
    const t = await connect({ seed: 1, iamPropagationSeconds: 45 }, 30);
    const waits: string[] = [];
    const rm = t.resources('demo1', { onWait: (m) => waits.push(m) });
    const role = await rm.role({
      part: 'exec',
      description: 'test',
      trustedService: 'lambda.amazonaws.com',
      inlinePolicies: {},
    });
    const started = performance.now();
    await rm.lambdaFunction({
      part: 'fn',
      description: 'test',
      roleArn: role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      zip: handlerZip,
      timeoutSeconds: 3,
      memoryMb: 128,
    });
    const realMs = performance.now() - started;
    expect(waits[0]).toMatch(
      /^IAM is still propagating role .*-exec; retrying creating function .* in 1 s \(retry 1, waited 0 of at most 60 s\)$/,
    );
    // 45 sandbox seconds at time-scale 30 is 1.5 real seconds: waited on the sandbox clock, not
    // 1 + 2 + 4 + 8 + 16 + 10 real seconds.
    expect(realMs).toBeLessThan(20_000);
    expect(t.faults.summary()).toContain('IAM propagation');
    expect(t.faults.cloudWaits).toBeGreaterThanOrEqual(1);
    expect(t.faults.notable).toBe(true);
  }, 120_000);

  it("a role policy not in force yet: Step Functions' Log Destination refusal is waited out like propagation", async () => {
    const t = await connect({ seed: 1, iamPropagationSeconds: 45 }, 30);
    const waits: string[] = [];
    const rm = t.resources('demo2', { onWait: (m) => waits.push(m) });
    const roleSpec = { part: 'states', description: 'test', trustedService: 'states.amazonaws.com' };
    const role = await rm.role({ ...roleSpec, inlinePolicies: {} });
    const group = await rm.logGroup({ name: '/aws/vendedlogs/states/propagation-test', retentionInDays: 1 });
    const definition = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
    // Once the role itself can be assumed (45 sandbox seconds, 1.5 s real) a state machine without
    // logging is accepted…
    await rm.stateMachine({ part: 'plain', roleArn: role.arn, definition });
    // …then the log-delivery permissions are added, and the machine with logging is created at
    // once: AWS refuses it ("not authorized to access the Log Destination") until they propagate.
    await rm.role({
      ...roleSpec,
      inlinePolicies: {
        'deliver-logs': {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: LOG_DELIVERY_ACTIONS,
              Resource: '*',
            },
          ],
        },
      },
    });
    const before = waits.length;
    const logged = await rm.stateMachine({
      part: 'logged',
      roleArn: role.arn,
      definition,
      logGroupArn: `${group.arn.replace(/:\*$/, '')}:*`,
    });
    expect(logged.arn).toMatch(/:stateMachine:.*-logged$/);
    expect(waits.slice(before)[0]).toMatch(
      /^IAM is still propagating role .*-states; retrying creating state machine .*-logged in 1 s \(retry 1/,
    );
    expect(t.faults.summary()).toContain('IAM propagation');
  }, 120_000);

  it("Lambda's Pending: waited for, shown and counted, but ordinary on its own", async () => {
    const t = await connect({ seed: 1, lambdaPendingSeconds: 30 }, 30);
    const waits: string[] = [];
    const rm = t.resources('demo1', { onWait: (m) => waits.push(m) });
    const role = await rm.role({
      part: 'exec',
      description: 'test',
      trustedService: 'lambda.amazonaws.com',
      inlinePolicies: {},
    });
    await rm.lambdaFunction({
      part: 'fn',
      description: 'test',
      roleArn: role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      zip: handlerZip,
      timeoutSeconds: 3,
      memoryMb: 128,
    });
    expect(waits).toEqual([
      expect.stringMatching(
        /^Lambda is still creating function .*-fn \(State Pending\); waiting until it is Active \(at most 5 min\)$/,
      ),
    ]);
    expect(t.faults.summary()).toBe(
      'Faults met: 1, all absorbed — 1 waited out by the CLI (1 Lambda Pending or updating).',
    );
    expect(t.faults.notable).toBe(false);
  }, 120_000);
});
