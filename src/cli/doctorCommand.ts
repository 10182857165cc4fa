/**
 * `course-cli doctor`: is this machine ready? Node version, a writable home, a sandbox that is
 * reachable or can start, AWS credentials when --target aws, and the AWS CLI. Exit 0 only when
 * every check passed (warnings allowed); otherwise exit 1 and say how many failed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CliContext } from './context.js';
import { describeError } from './errors.js';
import { sandboxDir } from './home.js';
import { targetSpecFrom, type TargetFlags } from './options.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { connectForCheck } from './session.js';
import { ensureUsableHome } from './homeCheck.js';

type Verdict = 'pass' | 'warn' | 'fail';
interface Finding {
  verdict: Verdict;
  label: string;
  detail: string;
}

function nodeCheck(): Finding {
  const major = Number(process.versions.node.split('.')[0]);
  const label = `Node.js ${process.versions.node}`;
  if (major < 20)
    return { verdict: 'fail', label, detail: 'course-cli needs Node.js 20 or later; install Node 22 LTS.' };
  if (major < 22) {
    return {
      verdict: 'warn',
      label,
      detail: 'works; Node 22 or later is recommended (the AWS SDK ends Node 20 support in 2027).',
    };
  }
  return { verdict: 'pass', label, detail: 'supported' };
}

function homeCheck(home: string): Finding {
  const label = `home ${home}`;
  try {
    ensureUsableHome(home);
    return { verdict: 'pass', label, detail: 'writable' };
  } catch (err) {
    return { verdict: 'fail', label, detail: describeError(err).line.replace(/^error: /, '') };
  }
}

async function sandboxCheck(home: string): Promise<Finding> {
  const { readLiveLock, startSandbox } = await import('../sandbox/index.js');
  const stateDir = sandboxDir(home);
  const live = readLiveLock(stateDir);
  if (live?.endpoint) {
    try {
      await fetch(live.endpoint, { signal: AbortSignal.timeout(3000) });
      return { verdict: 'pass', label: 'sandbox', detail: `running at ${live.endpoint} (pid ${live.pid})` };
    } catch (err) {
      return {
        verdict: 'fail',
        label: 'sandbox',
        detail: `pid ${live.pid} holds the lock but ${live.endpoint} does not answer (${(err as Error).message}); stop that process.`,
      };
    }
  }
  try {
    const sb = await startSandbox({ stateDir, port: 0 });
    await sb.stop();
    return {
      verdict: 'pass',
      label: 'sandbox',
      detail: `starts (tried ${sb.endpoint}, state in ${stateDir})`,
    };
  } catch (err) {
    return { verdict: 'fail', label: 'sandbox', detail: describeError(err).line.replace(/^error: /, '') };
  }
}

async function targetCheck(ctx: CliContext, flags: DoctorFlags): Promise<Finding | undefined> {
  const asked = targetSpecFrom(flags);
  if (!asked || asked.kind === 'sandbox') return undefined;
  const label = asked.kind === 'aws' ? 'AWS credentials' : `endpoint ${asked.endpoint}`;
  try {
    const spec = await confirmRemoteEndpoint(asked, flags.yes);
    if (!spec) return { verdict: 'warn', label, detail: 'not checked: you chose not to send it requests.' };
    const info = await connectForCheck(ctx, spec);
    return { verdict: 'pass', label, detail: info.label };
  } catch (err) {
    return { verdict: 'fail', label, detail: describeError(err).line.replace(/^error: /, '') };
  }
}

/** Every executable called `aws` on PATH, in PATH order (the first is the one a learner's `aws` runs). */
export function awsExecutablesOnPath(pathVar = process.env.PATH ?? ''): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'aws');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      // /bin and /usr/bin are often one directory: list each real program once.
      const real = fs.realpathSync(file);
      if (fs.statSync(real).isFile() && !seen.has(real)) {
        seen.add(real);
        found.push(file);
      }
    } catch {
      // not here
    }
  }
  return found;
}

function awsVersion(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: 10_000 }, (err, stdout, stderr) => {
      // `aws-cli/2.9.19 Python/3.11.2 Linux/…`: the first word says it all.
      resolve(err ? undefined : (stdout || stderr).trim().split(/\s+/)[0]);
    });
  });
}

/**
 * The AWS CLI the learner will type: the `aws` first on PATH. "Show details" prints AWS CLI v2
 * commands, which v1 cannot run, so a v1 there is a warning even when a v2 exists elsewhere.
 */
export async function awsCliCheck(pathVar = process.env.PATH ?? ''): Promise<Finding> {
  const label = 'AWS CLI';
  const onPath = awsExecutablesOnPath(pathVar);
  const real = (f: string): string => {
    try {
      return fs.realpathSync(f);
    } catch {
      return f;
    }
  };
  const elsewhere = ['/usr/local/bin/aws', '/usr/bin/aws'].filter(
    (f) => fs.existsSync(f) && !onPath.some((p) => real(p) === real(f)),
  );
  const versions = new Map<string, string | undefined>();
  for (const f of [...onPath, ...elsewhere]) versions.set(f, await awsVersion(f));
  const others = [...onPath.slice(1), ...elsewhere].map((f) => `${f} (${versions.get(f) ?? 'does not run'})`);
  const alsoFound = others.length ? `; also found: ${others.join(', ')}` : '';
  const first = onPath[0];
  if (!first) {
    const hint = elsewhere.length ? `not on your PATH${alsoFound.replace('; also', ', but')}` : 'not found';
    return {
      verdict: 'warn',
      label,
      detail: `${hint} (optional: install AWS CLI v2 to inspect resources yourself; "aws" must be on your PATH).`,
    };
  }
  const version = versions.get(first);
  if (!version) {
    return { verdict: 'warn', label, detail: `${first} is on your PATH but does not run${alsoFound}.` };
  }
  const major = /aws-cli\/(\d+)/.exec(version)?.[1];
  if (major !== '2') {
    return {
      verdict: 'warn',
      label,
      detail: `"aws" on your PATH is ${first} (${version}); the commands this course shows need AWS CLI v2 — install it, or put it first on your PATH${alsoFound}.`,
    };
  }
  return { verdict: 'pass', label, detail: `${version} (${first}, first on your PATH${alsoFound})` };
}

export interface DoctorFlags extends TargetFlags {
  yes?: boolean;
}

export async function doctorCommand(ctx: CliContext, flags: DoctorFlags): Promise<number> {
  targetSpecFrom(flags); // flag mistakes are usage errors before any check runs
  const findings: Finding[] = [nodeCheck(), homeCheck(ctx.home)];
  const home = findings[1]!;
  findings.push(
    home.verdict === 'fail'
      ? { verdict: 'fail', label: 'sandbox', detail: 'skipped: the home is not writable.' }
      : await sandboxCheck(ctx.home),
  );
  const target = await targetCheck(ctx, flags);
  if (target) findings.push(target);
  findings.push(await awsCliCheck());
  const mark: Record<Verdict, string> = { pass: '✔', warn: '!', fail: '✖' };
  for (const f of findings) process.stdout.write(`${mark[f.verdict]} ${f.label}: ${f.detail}\n`);
  const failed = findings.filter((f) => f.verdict === 'fail').length;
  const warned = findings.filter((f) => f.verdict === 'warn').length;
  const passed = findings.length - failed - warned;
  process.stdout.write(
    `\n${passed} passed, ${warned} warning${warned === 1 ? '' : 's'}, ${failed} failed.\n`,
  );
  return failed > 0 ? 1 : 0;
}
