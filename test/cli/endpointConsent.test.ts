/**
 * `--endpoint URL` that is not on this machine, with the built CLI: without a terminal and without
 * --yes the command refuses in one line and sends nothing; with --yes it says whose credentials it
 * signs with and goes ahead; in a terminal it says so and asks (no: nothing sent; yes: it proceeds).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { TmuxSession } from './tmuxSession.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { networkAddress, startFakeEndpoint, type FakeEndpoint } from '../helpers/fakeEndpoint.js';

const CHAIN_KEY = 'AKIACHAINCHAINCHAIN1';
const LEARNER = {
  AWS_ACCESS_KEY_ID: CHAIN_KEY,
  AWS_SECRET_ACCESS_KEY: 'chain-secret',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: '',
};

let fake: FakeEndpoint;
let remote: string;
let term: TmuxSession | undefined;

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeEndpoint();
  remote = `http://${networkAddress()}:${fake.port}`;
}, 300_000);
afterAll(() => fake.close());
afterEach(() => {
  term?.close();
  term = undefined;
  fake.keyIds.length = 0;
});

const saying = () =>
  `${remote} is not on this machine: course-cli will send it requests signed with your AWS credentials (access key AKIA…AIN1)`;

describe('--endpoint not on this machine', () => {
  it.each([
    ['demo1', 'run'],
    ['demo1', 'teardown'],
    ['demo1', 'status'],
  ])('without a terminal, %s %s refuses without --yes and sends nothing', async (...command) => {
    const home = makeTempDir('course-endpoint-cli-');
    const r = await runCli(['--home', home, ...command, '--endpoint', remote], LEARNER);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: ${saying()}; add --yes to confirm (there is no terminal to ask).\n`);
    expect(fake.keyIds).toEqual([]);
  });

  it('with --yes it says whose credentials it signs with, then uses them', async () => {
    const home = makeTempDir('course-endpoint-cli-');
    const r = await runCli(
      ['--home', home, 'demo1', 'status', '--endpoint', remote, '--yes', '--json'],
      LEARNER,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`! ${saying()}.\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ target: { kind: 'endpoint' } });
    expect([...new Set(fake.keyIds)]).toEqual([CHAIN_KEY]);
  });

  it('in a terminal it asks: no sends nothing, yes goes ahead', async () => {
    const home = makeTempDir('course-endpoint-cli-');
    const env = Object.entries(LEARNER).map(([k, v]) => `${k}=${v}`);
    term = new TmuxSession();
    const question = `Send requests to ${remote}?`;

    term.launch(['--home', home, 'demo1', 'status', '--endpoint', remote], env);
    await term.answer(question, 1, ['n', 'Enter']);
    const declined = await term.exited('the declined status');
    expect(declined.code).toBe(0);
    expect(declined.text).toContain(saying());
    expect(declined.text).toContain(`Nothing was sent to ${remote}.`);
    expect(fake.keyIds).toEqual([]);

    term.launch(['--home', home, 'demo1', 'status', '--endpoint', remote], env);
    await term.answer(question, 1, ['y', 'Enter']);
    const accepted = await term.exited('the accepted status');
    expect(accepted.code, accepted.text).toBe(0);
    expect([...new Set(fake.keyIds)]).toEqual([CHAIN_KEY]);
  }, 120_000);
});
