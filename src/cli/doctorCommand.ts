/**
 * `course-cli doctor`: is this machine ready? Node version, a writable home, a sandbox that is
 * reachable or can start, AWS credentials when --target aws, and the AWS CLI. Exit 0 only when
 * every check passed (warnings allowed); otherwise exit 1 and say how many failed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir, writePrivateFileSync } from '../files/privateFiles.js';
import type { CliContext } from './context.js';
import { describeError } from './errors.js';
import { sandboxDir } from './home.js';
import { targetSpecFrom, type TargetFlags } from './options.js';
import { confirmRemoteEndpoint } from './endpointConsent.js';
import { connectForCheck } from './session.js';

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
    makePrivateDir(home);
    const probe = path.join(home, `.doctor-${process.pid}`);
    writePrivateFileSync(probe, 'ok');
    fs.rmSync(probe);
    return { verdict: 'pass', label, detail: 'writable' };
  } catch (err) {
    return {
      verdict: 'fail',
      label,
      detail: `not writable (${(err as Error).message}); choose another with --home DIR or COURSE_CLI_HOME.`,
    };
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

function awsCliCheck(): Promise<Finding> {
  const candidates = ['/usr/bin/aws', '/usr/local/bin/aws', 'aws'];
  const attempt = (i: number): Promise<Finding> =>
    new Promise((resolve) => {
      if (i >= candidates.length) {
        resolve({
          verdict: 'warn',
          label: 'AWS CLI',
          detail: 'not found (optional: install AWS CLI v2 to inspect resources yourself).',
        });
        return;
      }
      execFile(candidates[i]!, ['--version'], { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) resolve(attempt(i + 1));
        else
          resolve({
            verdict: 'pass',
            label: 'AWS CLI',
            detail: `${(stdout || stderr).trim()} (${candidates[i]})`,
          });
      });
    });
  return attempt(0);
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
