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
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
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

const homes: string[] = [];
/** A fresh home per test, so one test's broken state directory cannot spill into the next. */
function newHome(): { home: string; stateDir: string } {
  const home = makeTempDir('course-cli-write-failure-');
  homes.push(home);
  return { home, stateDir: path.join(home, 'sandbox') };
}
const readOrEmpty = (file: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
afterAll(async () => {
  if (sb) await stopSandboxProcess(sb);
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
});

it(
  'a failed background state write is logged and retried; the sandbox keeps serving',
  { timeout: 90_000 },
  async () => {
    const { home, stateDir } = newHome();
    const onDisk = (): string => readOrEmpty(path.join(stateDir, 'iam', 'roles.json'));
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

it(
  'execution data that cannot be written stays readable and is written once the disk is back',
  { timeout: 90_000 },
  async () => {
    const states = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    if (sb) await stopSandboxProcess(sb);
    const { home, stateDir } = newHome();
    sb = await startSandboxProcess(home);
    const role = await new IAMClient(sb.config).send(
      new CreateRoleCommand({ RoleName: 'machine-role', AssumeRolePolicyDocument: states }),
    );
    const sfn = new SFNClient(sb.config);
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: 'kept',
        roleArn: role.Role!.Arn!,
        definition: JSON.stringify({
          StartAt: 'P',
          States: { P: { Type: 'Pass', Result: 'done', End: true } },
        }),
      }),
    );
    const dir = path.join(stateDir, 'stepfunctions');
    await eventually('the state machine on disk', () => fs.existsSync(path.join(dir, 'registry.json')));
    fs.renameSync(dir, `${dir}.moved`);
    fs.writeFileSync(dir, 'not a directory');

    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn }),
    );
    const finished = async (): Promise<string | undefined> =>
      (await sfn.send(new DescribeExecutionCommand({ executionArn })))?.status;
    for (let i = 0; i < 100 && (await finished()) === 'RUNNING'; i++)
      await new Promise((r) => setTimeout(r, 50));
    await eventually('the failure in the sandbox log', () =>
      /state write failed.*execution data/.test(sb!.log()),
    );
    expect(await finished()).toBe('SUCCEEDED');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.at(-1)?.type).toBe('ExecutionSucceeded');

    fs.rmSync(dir);
    fs.renameSync(`${dir}.moved`, dir);
    await eventually('the retried write', () => /state written again: execution data/.test(sb!.log()));
    expect(await stopSandboxProcess(sb)).toBe(0);
    sb = await startSandboxProcess(home);
    const again = await new SFNClient(sb.config).send(new GetExecutionHistoryCommand({ executionArn }));
    expect(again.events?.at(-1)?.type).toBe('ExecutionSucceeded');
  },
);

it(
  'an object overwritten while its metadata cannot be written keeps the body that metadata names',
  { timeout: 90_000 },
  async () => {
    if (sb) await stopSandboxProcess(sb);
    const { home, stateDir } = newHome();
    sb = await startSandboxProcess(home);
    const s3 = new S3Client({ ...sb.config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'first' }));
    const objects = path.join(stateDir, 's3', 'objects');
    const shardsOnDisk = (): string =>
      fs.existsSync(objects)
        ? fs
            .readdirSync(objects, { recursive: true, encoding: 'utf8' })
            // A temp file is a write still in flight (renamed into place next): only a shard counts.
            .filter((f) => !f.endsWith('.tmp'))
            .map((f) => readOrEmpty(path.join(objects, f)))
            .join('')
        : '';
    await eventually('the first version on disk', () => shardsOnDisk().includes('"k"'));
    fs.renameSync(objects, `${objects}.moved`);
    fs.writeFileSync(objects, 'not a directory');

    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'second' }));
    await eventually('the failure in the sandbox log', () => /state write failed.*objects/.test(sb!.log()));
    await new Promise((r) => setTimeout(r, 1500)); // past the moment the replaced body would go

    // The process dies before the retry lands; the disk still says version one, whose body is kept.
    const killed = sb;
    const exited = new Promise((r) => killed.child.once('exit', r));
    killed.child.kill('SIGKILL');
    await exited;
    sb = undefined;
    fs.rmSync(objects);
    fs.renameSync(`${objects}.moved`, objects);
    sb = await startSandboxProcess(home);
    const body = await new S3Client({ ...sb.config, forcePathStyle: true })
      .send(new GetObjectCommand({ Bucket: 'kept', Key: 'k' }))
      .then(
        (got) => got.Body!.transformToString(),
        (err: Error) => `${err.name}: ${err.message}`,
      );
    expect(body).toBe('first');
  },
);
