import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CorruptStateError,
  PortInUseError,
  SandboxAlreadyRunningError,
  startSandbox,
} from '../../../src/sandbox/index.js';
import { makeTempDir, startTestSandbox } from '../../helpers/sandbox.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('sandbox persistence and exclusivity', () => {
  it('keeps state and credentials across restarts', async () => {
    const t = await startTestSandbox();
    cleanups.push(() => t.stop());
    const before = t.sandbox.credentials;
    await new IAMClient(t.clientConfig).send(
      new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trust }),
    );
    await new CloudWatchLogsClient(t.clientConfig).send(new CreateLogGroupCommand({ logGroupName: 'kept' }));
    await t.restart();
    expect(t.sandbox.credentials).toEqual(before);
    const role = await new IAMClient(t.clientConfig).send(new GetRoleCommand({ RoleName: 'kept' }));
    expect(role.Role?.RoleName).toBe('kept');
    const groups = await new CloudWatchLogsClient(t.clientConfig).send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: 'kept' }),
    );
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(['kept']);
  });

  it('refuses a corrupt state file, names it, and leaves it untouched', async () => {
    const t = await startTestSandbox();
    await new IAMClient(t.clientConfig).send(
      new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust }),
    );
    await t.stop();
    const file = path.join(t.stateDir, 'iam', 'roles.json');
    expect(fs.existsSync(file)).toBe(true);
    fs.writeFileSync(file, '{"roles": {"r": ');
    const err = await startSandbox({ stateDir: t.stateDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptStateError);
    expect((err as CorruptStateError).file).toBe(file);
    expect((err as Error).message).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"roles": {"r": ');
    // The failed start released its lock: repairing the file is enough to start again.
    fs.writeFileSync(file, '{"roles": {}}');
    const again = await startSandbox({ stateDir: t.stateDir });
    await again.stop();
  });

  it('a second start on the same directory in this process names the running one', async () => {
    const t = await startTestSandbox();
    cleanups.push(() => t.stop());
    const err = await startSandbox({ stateDir: t.stateDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxAlreadyRunningError);
    expect((err as SandboxAlreadyRunningError).pid).toBe(process.pid);
    expect((err as SandboxAlreadyRunningError).endpoint).toBe(t.sandbox.endpoint);
    expect((err as Error).message).toContain(t.sandbox.endpoint);
    // The running sandbox still serves.
    const role = new IAMClient(t.clientConfig).send(new GetRoleCommand({ RoleName: 'none' }));
    await expect(role).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('a directory locked by another live process names its pid and endpoint', async () => {
    const stateDir = makeTempDir();
    const other: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    cleanups.push(() => other.kill());
    fs.writeFileSync(
      path.join(stateDir, 'sandbox.lock'),
      JSON.stringify({
        pid: other.pid,
        port: 4999,
        endpoint: 'http://127.0.0.1:4999',
        startedAt: new Date().toISOString(),
      }),
    );
    const err = await startSandbox({ stateDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxAlreadyRunningError);
    expect((err as Error).message).toContain(`pid ${other.pid}`);
    expect((err as Error).message).toContain('http://127.0.0.1:4999');
  });

  it('a port in use gives PortInUseError and releases the lock', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as net.AddressInfo).port;
    const stateDir = makeTempDir();
    const err = await startSandbox({ stateDir, port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toContain(String(port));
    const ok = await startSandbox({ stateDir });
    await ok.stop();
  });
});
