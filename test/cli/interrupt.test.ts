/**
 * Ctrl-C (SIGINT) during a real run of the built CLI: the step in flight stops, finished steps stay
 * saved, the CLI says how to resume or tear down, exits 130 — and teardown afterwards leaves nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';

beforeAll(() => ensureBuilt(), 300_000);

describe('Ctrl-C during a run', () => {
  it('saves progress, explains how to resume, exits 130; teardown then removes everything', async () => {
    const home = makeTempDir('course-cli-sigint-');
    const child = spawn(process.execPath, [BIN, '--home', home, 'demo1', 'run', '--yes'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        // Interrupt once the third step has started: two are finished and saved by then.
        if (!sent && /▶ Step 1\.3 ·/.test(stdout)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', resolve);
    });
    expect(sent, stdout + stderr).toBe(true);
    expect(code, stdout + stderr).toBe(130);
    expect(stdout).toMatch(/Resume with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 run/);
    expect(stdout).toMatch(
      /Remove what was created with: (?:npx |node \S*)?course-cli(?:\.js)? demo1 teardown/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    const progress = JSON.parse(
      fs.readFileSync(path.join(home, 'progress', 'sandbox', 'demo1.json'), 'utf8'),
    ) as {
      steps: Record<string, unknown>;
    };
    expect(Object.keys(progress.steps).length).toBeGreaterThanOrEqual(2);

    const teardown = await runCli(['--home', home, 'demo1', 'teardown', '--yes']);
    expect(teardown.code, teardown.stdout + teardown.stderr).toBe(0);
    expect(teardown.stdout).toMatch(/Teardown complete/);
    const status = await runCli(['--home', home, 'demo1', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      resources: [],
      progress: { nextStep: null, finished: { tornDown: true } },
    });
  }, 120_000);
});
