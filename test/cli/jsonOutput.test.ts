/**
 * `--json` is for scripts: `list --json` and `demo1 status --json` print exactly one JSON document
 * on stdout and nothing else, with an empty stderr — before any run, with resources kept after
 * `--phase setup --keep`, and after teardown.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';

beforeAll(() => ensureBuilt(), 300_000);

/** Run the CLI and return its stdout parsed as the single JSON document it must be. */
async function jsonOf(args: string[]): Promise<unknown> {
  const r = await runCli(args);
  expect(r.stderr).toBe('');
  expect(r.code, r.stdout).toBe(0);
  expect(r.stdout.endsWith('}\n')).toBe(true);
  expect(r.stdout.trimStart().startsWith('{')).toBe(true);
  return JSON.parse(r.stdout) as unknown; // throws on anything before or after the one document
}

interface StatusDoc {
  demo: string;
  target: { kind: string; id: string; label: string; accountId: string; region: string };
  runId: string | null;
  resources: Array<{ kind: string; name: string; arn?: string; state: string; since?: string }>;
  progress: {
    finished?: { tornDown: boolean; passed: number; failed: number; failedSteps: number } | null;
    completedSteps: number;
    totalSteps: number | null;
    nextStep: string | null;
    checksPassed: number;
    checksFailed: number;
    updatedAt: string;
  } | null;
}

const SANDBOX_TARGET = { kind: 'sandbox', id: 'sandbox', label: 'sandbox', region: 'us-east-1' };

describe('--json output', () => {
  it('list --json: the catalog, one document', async () => {
    const doc = (await jsonOf(['list', '--json'])) as {
      demos: Array<{
        id: string;
        slug: string;
        title: string;
        lesson: string;
        available: boolean;
        options: Array<{ flag: string; default: number | string }>;
      }>;
    };
    expect(doc.demos.map((d) => [d.id, d.slug, d.available])).toEqual([
      ['demo1', 'scheduler-lambda', true],
      ['demo2', 'event-driven-step-functions', true],
      ['demo3', 'hybrid-reconciliation', true],
    ]);
    // A demo's own run options are listed with their defaults.
    expect(doc.demos.map((d) => d.options.map((o) => `${o.flag}=${o.default}`))).toEqual([
      [],
      [],
      ['--hours <n>=6', '--records-per-hour <n>=200'],
    ]);
    for (const d of doc.demos) {
      expect(d.title.length).toBeGreaterThan(0);
      expect(d.lesson.length).toBeGreaterThan(0);
    }
  });

  it('demo1 status --json: before a run, with resources kept, after teardown', async () => {
    const home = makeTempDir('course-cli-json-');
    const status = async (): Promise<StatusDoc> =>
      (await jsonOf(['--home', home, 'demo1', 'status', '--json'])) as StatusDoc;

    const fresh = await status();
    expect(fresh).toEqual({
      demo: 'demo1',
      target: { ...SANDBOX_TARGET, accountId: fresh.target.accountId },
      runId: null,
      resources: [],
      progress: null,
    });

    const setup = await runCli(['--home', home, 'demo1', 'run', '--phase', 'setup', '--keep']);
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const kept = await status();
    expect(kept.demo).toBe('demo1');
    expect(kept.target).toMatchObject(SANDBOX_TARGET);
    expect(kept.runId).toMatch(/^[a-z0-9]+$/);
    expect(kept.resources.map((r) => r.kind)).toEqual([
      's3-bucket',
      'iam-role',
      'log-group',
      'lambda-function',
      'lambda-permission',
      'events-rule',
    ]);
    for (const r of kept.resources) {
      expect(r.state).toBe('created');
      expect(r.arn).toMatch(/^arn:aws:/);
      if (r.kind !== 'lambda-permission') expect(r.name).toContain(`course-demo1-${kept.runId}-`);
    }
    // The account shown is the one the resources live in.
    const role = kept.resources.find((r) => r.kind === 'iam-role')!;
    expect(role.arn).toContain(`:iam::${kept.target.accountId}:role/`);
    expect(kept.progress).toMatchObject({
      completedSteps: 6,
      checksFailed: 0,
      nextStep: expect.stringMatching(/^Execution: /) as unknown,
    });
    expect(kept.progress!.totalSteps).toBeGreaterThan(6);
    expect(kept.progress!.checksPassed).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(kept.progress!.updatedAt))).toBe(false);

    const teardown = await runCli(['--home', home, 'demo1', 'teardown', '--yes']);
    expect(teardown.code, teardown.stdout + teardown.stderr).toBe(0);
    // Nothing deployed any more; the progress is kept as the history of that deployment.
    const after = await status();
    expect({ ...after, progress: null }).toEqual(fresh);
    expect(after.progress).toMatchObject({
      completedSteps: 6,
      nextStep: null,
      finished: { tornDown: true, passed: kept.progress!.checksPassed, failed: 0, failedSteps: 0 },
    });
  }, 60_000);
});
