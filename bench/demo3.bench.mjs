// demo3 at scale: the pipeline deployed by the demo's own setup (`course-cli demo3 run --phase setup
// --hours N --records-per-hour 1000 --keep`) into a sandbox running as its own process, then N hourly
// partitions of 1,000 order records delivered with the arrival rule switched off (so nothing is
// processed yet), then one full reconciliation — every partition stale, rebuilt by the Map ten at a
// time — timed from StartExecution to SUCCEEDED. Run for 24, 168 and 720 partitions (1, 7 and 30
// days); the time per partition shows how the cost grows. Memory: the sandbox server's peak RSS
// (VmHWM) over the whole 720-partition run, and the peak of server plus Lambda workers, sampled (as
// summed RSS, which counts the Node.js code pages every worker shares once per worker, and as PSS).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { rawOrderFile } from '../dist/demos/shared/orders.js';
import { windowPartitionIds, hourOfPartition } from '../dist/demos/demo3-hybrid-reconciliation/window.js';
import { manualScheduledInput } from '../dist/demos/demo3-hybrid-reconciliation/triggers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'course-cli.js');
const RECORDS = 1000;
const SIZES = [24, 168, 720];
const TARGET_MS = 60_000;
const TARGET_MB = 500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** kB from a /proc/<pid>/status field, or 0 when the process is gone. */
function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size in kB (shared pages split between the processes sharing them), or 0. */
function pssKb(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, or 0 when it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/** CPU seconds used by a process and its descendants that are still running. */
const treeCpu = (pid) => [pid, ...descendants(pid)].reduce((sum, p) => sum + cpuSeconds(p), 0);

/** The pids of a process's descendants (Lambda environments are children of the sandbox). */
function descendants(pid) {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (!children.has(pp)) children.set(pp, []);
    children.get(pp).push(p);
  }
  const all = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

async function startSandboxProcess(home) {
  const child = spawn(
    process.execPath,
    [bin, 'sandbox', 'start', '--home', home, '--port', '0', '--time-scale', '1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const lock = path.join(home, 'sandbox', 'sandbox.lock');
  for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await sleep(100);
  await sleep(300);
  const { endpoint } = JSON.parse(fs.readFileSync(lock, 'utf8'));
  const creds = JSON.parse(fs.readFileSync(path.join(home, 'sandbox', 'credentials.json'), 'utf8'));
  return {
    child,
    endpoint,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  };
}

function cli(args) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`course-cli ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function eachLimited(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function historyPayloadMax(sfn, executionArn) {
  let max = 0;
  let events = 0;
  let nextToken;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    for (const e of page.events ?? []) {
      events++;
      for (const d of [e.stateEnteredEventDetails?.input, e.stateExitedEventDetails?.output]) {
        if (d) max = Math.max(max, Buffer.byteLength(d));
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { max, events };
}

async function reconcileOnce(hours) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `course-cli-bench-demo3-${hours}-`));
  const sb = await startSandboxProcess(home);
  let peakAll = 0;
  let peakAllPss = 0;
  const sampler = setInterval(() => {
    const pids = [sb.child.pid, ...descendants(sb.child.pid)];
    peakAll = Math.max(
      peakAll,
      pids.reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0),
    );
    peakAllPss = Math.max(
      peakAllPss,
      pids.reduce((sum, p) => sum + pssKb(p), 0),
    );
  }, 200);
  try {
    cli([
      'demo3',
      'run',
      '--yes',
      '--phase',
      'setup',
      '--keep',
      '--hours',
      String(hours),
      '--records-per-hour',
      String(RECORDS),
      '--home',
      home,
    ]);
    const { state } = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo3.json'), 'utf8'),
    );
    const cfg = { region: 'us-east-1', endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 3 };
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const sfn = new SFNClient(cfg);
    // Deliver without the event path, so the reconciliation has every partition to rebuild.
    await new EventBridgeClient(cfg).send(new DisableRuleCommand({ Name: state.arrivalRule.name }));
    const ids = windowPartitionIds(state.window);
    const t0 = Date.now();
    await eachLimited(ids, 16, async (id) => {
      const file = rawOrderFile({
        seed: 'bench',
        window: hourOfPartition(id),
        count: RECORDS,
        fileLabel: 'part-0000',
      });
      await s3.send(new PutObjectCommand({ Bucket: state.bucket, Key: file.key, Body: file.body }));
    });
    const uploadMs = Date.now() - t0;
    const input = manualScheduledInput(
      { window: state.window, grace: { seconds: 60, rechecks: 2 } },
      new Date().toISOString(),
    );
    const cpuBefore = treeCpu(sb.child.pid);
    const started = Date.now();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: state.stateMachine.arn, input }),
    );
    let d;
    for (;;) {
      d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status !== 'RUNNING') break;
      await sleep(100);
    }
    const ms = Date.now() - started;
    const cpu = treeCpu(sb.child.pid) - cpuBefore;
    if (d.status !== 'SUCCEEDED')
      throw new Error(`reconciliation of ${hours} partitions ended ${d.status}: ${d.error} ${d.cause}`);
    const counts = JSON.parse(d.output).counts;
    if (counts.RECONCILED !== hours)
      throw new Error(`expected ${hours} RECONCILED, got ${JSON.stringify(counts)}`);
    const payload = await historyPayloadMax(sfn, executionArn);
    return {
      hours,
      ms,
      cpu,
      uploadMs,
      payload,
      serverPeakMb: statusKb(sb.child.pid, 'VmHWM') / 1024,
      allPeakMb: peakAll / 1024,
      allPeakPssMb: peakAllPss / 1024,
    };
  } finally {
    clearInterval(sampler);
    sb.child.kill('SIGINT');
    await new Promise((r) => sb.child.once('close', r));
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function run() {
  const results = [];
  for (const hours of SIZES) {
    process.stderr.write(`  demo3: ${hours} partitions × ${RECORDS} records …\n`);
    results.push(await reconcileOnce(hours));
  }
  const big = results.at(-1);
  const perPartition = (r) => `${(r.ms / r.hours).toFixed(1)} ms`;
  return [
    ...results.map((r) => ({
      area: 'demo3',
      metric: `full reconciliation, ${r.hours} partitions × ${RECORDS} records (StartExecution → SUCCEEDED)`,
      target: r.hours === 720 ? `≤ ${TARGET_MS / 1000} s` : 'report',
      measured:
        `${(r.ms / 1000).toFixed(2)} s (${perPartition(r)}/partition; ${r.cpu.toFixed(1)} CPU-s in ` +
        `sandbox + Lambdas; upload ${(r.uploadMs / 1000).toFixed(1)} s)`,
      ok: r.hours === 720 ? r.ms <= TARGET_MS : null,
    })),
    {
      area: 'demo3',
      metric: 'time per partition, 24 → 168 → 720 partitions (linear = flat)',
      target: 'report',
      measured: results.map(perPartition).join(' → '),
      ok: null,
    },
    {
      area: 'demo3',
      metric: 'CPU per partition (sandbox + Lambdas), 24 → 168 → 720: load-independent',
      target: 'report',
      measured: results.map((r) => `${((r.cpu * 1000) / r.hours).toFixed(1)} ms`).join(' → '),
      ok: null,
    },
    {
      area: 'demo3',
      metric: 'sandbox server peak RSS over the 720-partition run (VmHWM)',
      target: `≤ ${TARGET_MB} MB`,
      measured: `${big.serverPeakMb.toFixed(0)} MB`,
      ok: big.serverPeakMb <= TARGET_MB,
    },
    {
      area: 'demo3',
      metric:
        '  with its Lambda worker processes, sampled peak: RSS summed (shared pages counted per process) / PSS',
      target: 'report',
      measured: `${big.allPeakMb.toFixed(0)} MB / ${big.allPeakPssMb.toFixed(0)} MB`,
      ok: null,
    },
    {
      area: 'demo3',
      metric: 'largest state input/output, 720 partitions (Step Functions limit 256 KB)',
      target: '≤ 256 KB',
      measured: `${(big.payload.max / 1024).toFixed(1)} KB in ${big.payload.events} history events`,
      ok: big.payload.max <= 256 * 1024,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
