// A demo under fault profiles, as a learner would run it: `course-cli <demo> run --yes` on a fresh
// sandbox home with COURSE_SANDBOX_FAULTS set, one run per profile and seed. A run is good when it
// exits 0, its closing line says every fault met was absorbed (and it met at least one: a profile
// that injects nothing tests nothing), and nothing of the demo is left in the sandbox afterwards.
//
// In `npm run bench`: demo1 under aws-like with three seeds and hostile with one. On its own, any
// demo and any profiles: node bench/faults.bench.mjs --demo demo1 --profiles aws-like:1,aws-like:7,hostile:2
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { startSandbox } from '../dist/src/sandbox/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'course-cli.js');
const DEFAULT_PROFILES = ['aws-like:1', 'aws-like:2', 'aws-like:3', 'hostile:1'];

/** Everything named after the demo that is still in the sandbox state directory. */
async function leftovers(stateDir, demo) {
  const sb = await startSandbox({ stateDir });
  try {
    const cfg = { region: sb.region, endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
    const prefix = `course-${demo}-`;
    const ours = (n) => !!n && n.includes(prefix);
    const [buckets, roles, functions, rules, machines, groups, alarms] = await Promise.all([
      new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({})),
      new IAMClient(cfg).send(new ListRolesCommand({})),
      new LambdaClient(cfg).send(new ListFunctionsCommand({})),
      new EventBridgeClient(cfg).send(new ListRulesCommand({ NamePrefix: prefix })),
      new SFNClient(cfg).send(new ListStateMachinesCommand({})),
      new CloudWatchLogsClient(cfg).send(new DescribeLogGroupsCommand({})),
      new CloudWatchClient(cfg).send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix })),
    ]);
    return [
      ...(buckets.Buckets ?? []).map((b) => b.Name),
      ...(roles.Roles ?? []).map((r) => r.RoleName),
      ...(functions.Functions ?? []).map((f) => f.FunctionName),
      ...(rules.Rules ?? []).map((r) => r.Name),
      ...(machines.stateMachines ?? []).map((m) => m.name),
      ...(groups.logGroups ?? []).map((g) => g.logGroupName),
      ...(alarms.MetricAlarms ?? []).map((a) => a.AlarmName),
    ].filter(ours);
  } finally {
    await sb.stop();
  }
}

/** One run of `demo` under `profile` (e.g. `aws-like:3`): what a row reports. */
export async function runUnderProfile(demo, profile) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `course-cli-bench-faults-${demo}-`));
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, demo, 'run', '--yes', '--home', home], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', COURSE_SANDBOX_FAULTS: profile },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    // The closing paragraph (wrapped to the output's width) as one line.
    const at = output.lastIndexOf('\nFaults met');
    const line =
      at < 0
        ? ''
        : output
            .slice(at + 1)
            .replace(/\s+/g, ' ')
            .trim();
    const met = Number(/: (\d+), /.exec(line)?.[1] ?? 0);
    const allAbsorbed = / all absorbed/.test(line);
    const left = await leftovers(path.join(home, 'sandbox'), demo);
    const ok = r.status === 0 && met > 0 && allAbsorbed && left.length === 0;
    if (!ok) {
      // What failed: each ✖ with its expected/actual lines, and how the run ended.
      const lines = output.split('\n');
      const failed = lines.flatMap((l, i) => (l.includes('✖') ? lines.slice(i, i + 3) : []));
      process.stderr.write(`\n${demo} under ${profile}: exit ${r.status}, left ${JSON.stringify(left)}\n`);
      process.stderr.write(`${[...failed, ...lines.slice(-4)].join('\n')}\n`);
    }
    const faults = line
      .replace(/^Faults met under fault profile \S+ \(seed \d+\): /, '')
      .replace(/ — .*$/, '');
    return {
      area: 'faults',
      metric: `${demo} run --yes under ${profile}`,
      target: 'exit 0, ≥ 1 fault met, all absorbed, nothing left',
      measured: `exit ${r.status} in ${seconds.toFixed(1)} s; faults ${faults || 'line missing'}; ${left.length} left`,
      ok,
    };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function run(demo = 'demo1', profiles = DEFAULT_PROFILES) {
  const rows = [];
  for (const profile of profiles) rows.push(await runUnderProfile(demo, profile));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const rows = await run(arg('--demo') ?? 'demo1', arg('--profiles')?.split(',') ?? DEFAULT_PROFILES);
  for (const r of rows) console.log(`${r.ok ? 'ok ' : 'NO '} ${r.metric}: ${r.measured}`);
  process.exit(rows.every((r) => r.ok) ? 0 : 1);
}
