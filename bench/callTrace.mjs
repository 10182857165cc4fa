// One `course-cli <demo> run --yes` under a fixed added latency per call, with the CLI's own record
// of every SDK call it made (service, operation, start, duration) and when each phase and step
// began, so the latency bench counts round trips from what the run really did.
//
// The run is the real CLI in a child process (`node bench/callTrace.mjs --child …`): before the CLI
// loads, the child wraps the call log's `record` (the one "show details" reads) and stdout (for the
// phase and step banners the learner sees), and writes both to a JSON file when the process exits.
// Nothing in the product changes for it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const bin = path.join(root, 'bin', 'course-cli.js');

const PHASE_BANNER = /━━ Phase (\d+)\/\d+ · (.+?) ━/;
const STEP_BANNER = /▶ Step (\d+\.\d+) · (.+)/;

/**
 * Run `demo` once on a fresh sandbox home whose embedded sandbox adds `latencyMs` to every call
 * (no jitter, no throttling, no errors). Returns `{ ms, exitCode, phases, steps, calls, endedAt }`:
 * phases and steps as `{ label, title, at }`, calls as `{ name, start, end, outcome, resource }` (epoch ms; `resource`: the role, function or log group
 * the input names).
 */
export function traceDemoRun(demo, latencyMs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `course-cli-bench-latency-${demo}-`));
  try {
    const profile = path.join(dir, 'latency.json');
    fs.writeFileSync(profile, JSON.stringify({ seed: 1, latencyMs, jitterMs: 0 }));
    const traceFile = path.join(dir, 'trace.json');
    const home = path.join(dir, 'home');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [here, '--child', traceFile, demo, home], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', COURSE_SANDBOX_FAULTS: profile },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 20 * 60_000,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 || !fs.existsSync(traceFile)) {
      throw new Error(
        `${demo} run under ${latencyMs} ms latency exited ${r.status}:\n${r.stdout}\n${r.stderr}`,
      );
    }
    return { ms, exitCode: r.status, ...JSON.parse(fs.readFileSync(traceFile, 'utf8')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The one resource a call is about, when its input names one a step creates several of. */
function resourceOf(input) {
  const named = input?.RoleName ?? input?.FunctionName ?? input?.logGroupName;
  return typeof named === 'string' ? named : undefined;
}

async function child(traceFile, demo, home) {
  const trace = { phases: [], steps: [], calls: [], endedAt: 0 };
  const { RecordingCallLog } = await import(pathToFileURL(path.join(root, 'dist/src/cloud/callLog.js')).href);
  const record = RecordingCallLog.prototype.record;
  RecordingCallLog.prototype.record = function (call) {
    const service = call.service === 'S3' ? 's3' : call.service.toLowerCase().replace(/\s+/g, '-');
    trace.calls.push({
      name: `${service}:${call.operation}`,
      start: call.startedAt,
      end: call.startedAt + call.durationMs,
      outcome: call.outcome,
      resource: resourceOf(call.input),
    });
    return record.call(this, call);
  };
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    const at = Date.now();
    for (const line of String(chunk).split('\n')) {
      const phase = PHASE_BANNER.exec(line);
      if (phase) trace.phases.push({ label: phase[1], title: phase[2], at });
      const step = STEP_BANNER.exec(line);
      if (step) trace.steps.push({ label: step[1], title: step[2].trim(), at });
    }
    return write(chunk, ...rest);
  };
  process.on('exit', () => {
    trace.endedAt = Date.now();
    fs.writeFileSync(traceFile, JSON.stringify(trace));
  });
  process.argv = [process.argv[0], bin, demo, 'run', '--yes', '--home', home];
  await import(pathToFileURL(path.join(root, 'dist/src/cli.js')).href);
}

if (process.argv[1] === here && process.argv[2] === '--child') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await child(process.argv[3], process.argv[4], process.argv[5]);
}
