/**
 * A state write that fails in the background (disk full, EACCES, a directory gone) must not take
 * the sandbox down: it is logged, the sandbox keeps serving from memory, and the write is retried
 * until it lands. The failure is made by replacing a state directory with a plain file, which stops
 * writes even for root (where chmod would not). A real `sandbox start` process, so an uncaught
 * error in the flush timer would kill it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { makeTempDir } from '../../helpers/sandbox.js';
import {
  startSandboxProcess,
  stopSandboxProcess,
  type SandboxProcess,
} from '../../helpers/sandboxProcess.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let sb: SandboxProcess | undefined;

async function eventually(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (sb && sb.child.exitCode !== null) throw new Error(`the sandbox exited:\n${sb.log()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const home = makeTempDir('course-cli-write-failure-');
const stateDir = path.join(home, 'sandbox');
const rolesFile = path.join(stateDir, 'iam', 'roles.json');
const onDisk = (): string => {
  try {
    return fs.readFileSync(rolesFile, 'utf8');
  } catch {
    return '';
  }
};
afterAll(async () => {
  if (sb) await stopSandboxProcess(sb);
  fs.rmSync(home, { recursive: true, force: true });
});

it(
  'a failed background state write is logged and retried; the sandbox keeps serving',
  { timeout: 90_000 },
  async () => {
    sb = await startSandboxProcess(home);
    const iam = new IAMClient(sb.config);
    await iam.send(new CreateRoleCommand({ RoleName: 'before-failure', AssumeRolePolicyDocument: TRUST }));
    await eventually('the first role on disk', () => onDisk().includes('before-failure'));

    // The state's iam directory becomes a file: every write under it now fails, even as root.
    fs.renameSync(path.join(stateDir, 'iam'), path.join(stateDir, 'iam.moved'));
    fs.writeFileSync(path.join(stateDir, 'iam'), 'not a directory');

    await iam.send(new CreateRoleCommand({ RoleName: 'during-failure', AssumeRolePolicyDocument: TRUST }));
    await eventually('the failure in the sandbox log', () =>
      /state write failed.*roles\.json/.test(sb!.log()),
    );
    // Still serving, from memory; the failed write is retried about once a second but logged once.
    await new Promise((r) => setTimeout(r, 2500));
    expect(sb.child.exitCode, sb.log()).toBeNull();
    const listed = await iam.send(new ListRolesCommand({}));
    expect(listed.Roles!.map((r) => r.RoleName).sort()).toEqual(['before-failure', 'during-failure']);
    expect(sb.log().match(/state write failed/g)).toHaveLength(1);

    // Repaired: the retry lands without any further request.
    fs.rmSync(path.join(stateDir, 'iam'));
    fs.renameSync(path.join(stateDir, 'iam.moved'), path.join(stateDir, 'iam'));
    await eventually('the retried write', () => onDisk().includes('during-failure'));
    expect(sb.log()).toMatch(/state written again: .*roles\.json/);

    // Nothing was lost: a new process on the same state sees the role created during the failure.
    expect(await stopSandboxProcess(sb)).toBe(0);
    sb = await startSandboxProcess(home);
    const role = await new IAMClient(sb.config).send(new GetRoleCommand({ RoleName: 'during-failure' }));
    expect(role.Role!.RoleName).toBe('during-failure');
  },
);
