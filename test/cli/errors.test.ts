/**
 * Every way to use the command line wrongly, run as a real process: exit 2 (usage) or 1 (runtime),
 * ONE line on stderr saying what to do, no stack trace, and nothing lost.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expect as globalExpect, it, type ExpectStatic } from 'vitest';
import { ensureBuilt, runCli, type CliResult } from './builtCli.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const NO_AWS_CREDENTIALS: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
  AWS_WEB_IDENTITY_TOKEN_FILE: '',
};

interface Case {
  name: string;
  args: (home: string) => string[];
  exit: 1 | 2;
  /** Part of the one line on stderr. */
  says: RegExp;
  env?: NodeJS.ProcessEnv;
  /** Prepare the home; return files that must be byte-identical afterwards. */
  setup?: (home: string) => string[];
  /** Paths under the home that must not exist afterwards. */
  leavesNo?: string[];
}

/** A file in the home as course-cli writes it (private), so the CLI has nothing to tighten or say. */
function writeFile(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

const cases: Case[] = [
  { name: 'unknown command', args: () => ['fly'], exit: 2, says: /unknown command or demo 'fly'/ },
  { name: 'unknown demo', args: () => ['demo7', 'run'], exit: 2, says: /unknown command or demo 'demo7'/ },
  {
    name: 'unknown demo action',
    args: () => ['demo1', 'launch'],
    exit: 2,
    says: /unknown action 'launch'.*run, teardown or status/,
  },
  {
    name: 'unknown option',
    args: () => ['demo1', 'run', '--fast'],
    exit: 2,
    says: /unknown option '--fast'.*--help/,
  },
  {
    name: 'bad --target',
    args: () => ['demo1', 'run', '--target', 'gcp'],
    exit: 2,
    says: /'gcp' is invalid.*sandbox, aws/,
  },
  {
    name: 'unknown --phase',
    args: () => ['demo1', 'run', '--phase', 'deploy'],
    exit: 2,
    says: /'deploy' is invalid.*setup, execution/,
  },
  {
    name: '--phase out of order',
    args: () => ['demo1', 'run', '--phase', 'failure', '--phase', 'setup'],
    exit: 2,
    says: /--phase setup after --phase failure is out of order/,
  },
  {
    name: 'repeated --phase',
    args: () => ['demo1', 'run', '--phase', 'setup', '--phase', 'setup'],
    exit: 2,
    says: /out of order/,
  },
  {
    name: 'bad --time-scale',
    args: () => ['demo1', 'run', '--time-scale', 'fast'],
    exit: 2,
    says: /--time-scale.*'fast' is invalid/,
  },
  {
    name: 'zero --time-scale',
    args: () => ['demo1', 'run', '--time-scale', '0'],
    exit: 2,
    says: /greater than 0/,
  },
  {
    name: 'bad --region',
    args: () => ['demo1', 'run', '--target', 'aws', '--region', 'mars-1'],
    exit: 2,
    says: /AWS region such as us-east-1/,
  },
  {
    name: 'bad --port',
    args: () => ['sandbox', 'start', '--port', '70000'],
    exit: 2,
    says: /port number from 1 to 65535/,
  },
  {
    name: 'bad --endpoint',
    args: () => ['demo1', 'run', '--endpoint', 'not a url'],
    exit: 2,
    says: /--endpoint needs a URL/,
  },
  {
    name: '--endpoint with --target',
    args: () => ['demo1', 'run', '--endpoint', 'http://localhost:4566', '--target', 'aws'],
    exit: 2,
    says: /cannot be combined/,
  },
  {
    name: '--profile without --target aws',
    args: () => ['demo1', 'status', '--profile', 'dev'],
    exit: 2,
    says: /need --target aws/,
  },
  {
    name: '--keep with --phase teardown',
    args: () => ['demo1', 'run', '--keep', '--phase', 'teardown'],
    exit: 2,
    says: /--keep skips teardown/,
  },
  {
    name: 'aws run without a terminal and without --yes',
    args: () => ['demo1', 'run', '--target', 'aws'],
    exit: 2,
    says: /needs confirmation.*add --yes/,
  },
  {
    name: 'aws teardown without --yes',
    args: () => ['demo1', 'teardown', '--target', 'aws'],
    exit: 2,
    says: /add --yes/,
  },
  { name: 'teardown without --all', args: () => ['teardown'], exit: 2, says: /teardown needs --all/ },
  { name: 'sandbox reset without a terminal', args: () => ['sandbox', 'reset'], exit: 2, says: /add --yes/ },
  {
    name: "a demo's own option out of range",
    args: () => ['demo3', 'run', '--hours', '3'],
    exit: 2,
    says: /option '--hours <n>' argument '3' is invalid\. expected a whole number from 4 to 720/,
  },
  {
    name: "a demo's own option, by the demo's long name",
    args: () => ['hybrid-reconciliation', 'run', '--records-per-hour', 'many'],
    exit: 2,
    says: /option '--records-per-hour <n>' argument 'many' is invalid/,
  },
  {
    name: "another demo's option",
    args: () => ['demo1', 'run', '--hours', '6'],
    exit: 2,
    says: /unknown option '--hours'/,
  },
  {
    name: 'sandbox env with no sandbox',
    args: () => ['sandbox', 'env'],
    exit: 1,
    says: /No sandbox is running.*sandbox start/,
  },
  {
    name: '--target aws without credentials',
    args: () => ['demo1', 'status', '--target', 'aws'],
    env: NO_AWS_CREDENTIALS,
    exit: 1,
    says: /No AWS credentials found.*aws configure/,
  },
  {
    name: 'corrupt progress file',
    args: () => ['demo1', 'status'],
    exit: 1,
    says: /Progress file .*demo1\.json is unreadable.*move it aside/,
    setup: (home) => [
      writeFile(path.join(home, 'progress', 'sandbox', 'demo1.json'), '{"version":1,"steps":'),
    ],
  },
  {
    name: 'corrupt ledger',
    args: () => ['demo1', 'status', '--json'],
    exit: 1,
    says: /ledger .*demo1\.json is corrupt.*left untouched/,
    setup: (home) => [writeFile(path.join(home, 'ledgers', 'sandbox', 'demo1.json'), 'garbage\n')],
  },
  {
    name: 'mistyped demo',
    args: () => ['dmeo1'],
    exit: 2,
    says: /unknown command or demo 'dmeo1'\. Did you mean "demo1"\?/,
  },
  {
    name: 'mistyped action',
    args: () => ['demo1', 'rnu'],
    exit: 2,
    says: /unknown action 'rnu' for demo1.*Did you mean "run"\?/,
  },
  {
    name: 'home on a read-only file system (status)',
    args: () => ['--home', '/sys/nope', 'demo1', 'status'],
    exit: 1,
    says: /home \/sys\/nope cannot be used .*--home DIR/,
  },
  {
    name: 'home under /proc (used to hang)',
    args: () => ['--home', '/proc/x', 'demo1', 'run', '--yes'],
    exit: 1,
    says: /home \/proc\/x cannot be used/,
  },
  {
    name: 'a phase without the phases it builds on',
    args: () => ['demo1', 'run', '--phase', 'recovery', '--yes'],
    exit: 2,
    says: /recovery builds on setup, execution and failure \(recovery: it repairs the hour the failure phase left wrong\), which have not run on this deployment\. Run them together: .*demo1 run --phase setup --phase execution --phase failure --phase recovery/,
    // Refused before anything was created: no (empty) ledger, no progress.
    leavesNo: ['ledgers/sandbox/demo1.json', 'progress/sandbox/demo1.json'],
  },
  {
    name: "demo2's failure phase without the execution it builds on",
    args: () => ['demo2', 'run', '--phase', 'failure', '--yes'],
    exit: 2,
    says: /failure builds on setup and execution \(failure: its files belong to the hour execution's first upload chose\), which have not run on this deployment\. Run them together: .*demo2 run --phase setup --phase execution --phase failure/,
  },
];

let sandbox: TestSandbox | undefined;
let blocker: net.Server | undefined;

beforeAll(() => ensureBuilt(), 300_000);
afterAll(async () => {
  await sandbox?.stop();
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
});

function expectOneLineError(
  r: CliResult,
  exit: number,
  says: RegExp,
  expect: ExpectStatic = globalExpect,
): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: exit });
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(says);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('command-line errors (built CLI as a process)', () => {
  // Each case is its own process; a few at a time keeps the file quick on two cores.
  it.concurrent.for(cases)('$name', async (c, { expect }) => {
    const home = makeTempDir('course-cli-errors-');
    const kept = c.setup?.(home) ?? [];
    const before = kept.map((f) => fs.readFileSync(f));
    const r = await runCli(['--home', home, ...c.args(home)], c.env);
    expectOneLineError(r, c.exit, c.says, expect);
    kept.forEach((f, i) => expect(fs.readFileSync(f).equals(before[i]!)).toBe(true));
    for (const p of c.leavesNo ?? []) expect(fs.existsSync(path.join(home, p)), p).toBe(false);
  });

  it('--debug adds the stack trace', async () => {
    const home = makeTempDir();
    writeFile(path.join(home, 'progress', 'sandbox', 'demo1.json'), '{"version":1,"steps":');
    const r = await runCli(['--debug', '--home', home, 'demo1', 'status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is unreadable[\s\S]*\n\s+at /);
  });

  it('a sandbox already running for the home: start and reset refuse, state kept', async () => {
    const home = makeTempDir('course-cli-errors-');
    sandbox = await startTestSandbox({ stateDir: path.join(home, 'sandbox') });
    const start = await runCli(['--home', home, 'sandbox', 'start', '--port', '0']);
    expectOneLineError(start, 1, new RegExp(`already running.*${sandbox.sandbox.endpoint}.*sandbox env`));
    const reset = await runCli(['--home', home, 'sandbox', 'reset', '--yes']);
    expectOneLineError(reset, 1, /is running.*stop it/);
    expect(fs.existsSync(path.join(home, 'sandbox', 'credentials.json'))).toBe(true);
    await sandbox.stop();
    sandbox = undefined;
  });

  it('port in use', async () => {
    blocker = net.createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await runCli(['--home', makeTempDir(), 'sandbox', 'start', '--port', String(port)]);
    expectOneLineError(r, 1, new RegExp(`Port ${port} .* already in use.*--port`));
  });

  it('bare course-cli without a terminal prints help and exits 2', async () => {
    const r = await runCli(['--home', makeTempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: course-cli');
    expect(r.stdout).toBe('');
  });

  it('--help, --version and list --json succeed; list --json is pure JSON', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['demo1', 'run', '--help'])).stdout).toContain('--phase <phase>');
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const list = await runCli(['list', '--json']);
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.stdout) as { demos: Array<{ id: string; available: boolean }> };
    expect(doc.demos.map((d) => [d.id, d.available])).toEqual([
      ['demo1', true],
      ['demo2', true],
      ['demo3', true],
    ]);
  });
});
