import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptProgressError, ProgressStore } from '../../src/course/progress.js';
import { callDetails, commandLines, shellWords, summarizeCalls } from '../../src/course/callSummary.js';
import { wrapIndented } from '../../src/course/layout/wrap.js';
import type { CallLog, RecordedCall } from '../../src/cloud/types.js';

describe('ProgressStore', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-progress-'));

  it('saves atomically under progress/<target>/<demo>.json and loads it back', () => {
    const store = new ProgressStore(home, 'aws-123456789012-us-east-1', 'demo1');
    expect(store.file).toBe(path.join(home, 'progress', 'aws-123456789012-us-east-1', 'demo1.json'));
    expect(store.load()).toBeUndefined();
    const p = store.fresh({ bucket: 'b' }, 'abc');
    p.steps.s1 = { completedAt: 'now', passed: 2, failed: 0 };
    store.save(p);
    expect(fs.readdirSync(path.dirname(store.file))).toEqual(['demo1.json']); // no temp file left
    expect(store.load()).toMatchObject({ demo: 'demo1', runId: 'abc', state: { bucket: 'b' } });
    store.reset();
    expect(store.load()).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['not progress', '{"hello":"world"}'],
    ['another demo', JSON.stringify({ version: 1, demo: 'demo2', target: 'sandbox', steps: {} })],
  ])('a corrupt file (%s) is reported by name and left alone', (_why, content) => {
    const store = new ProgressStore(home, 'sandbox', 'demo1');
    fs.mkdirSync(path.dirname(store.file), { recursive: true });
    fs.writeFileSync(store.file, content);
    expect(() => store.load()).toThrow(CorruptProgressError);
    expect(() => store.load()).toThrow(store.file);
    expect(fs.readFileSync(store.file, 'utf8')).toBe(content);
  });
});

describe('summarizeCalls', () => {
  const call = (service: string, operation: string, outcome: 'ok' | 'error' = 'ok'): RecordedCall => ({
    service,
    operation,
    input: {},
    startedAt: 0,
    durationMs: 1,
    outcome,
  });
  it('names calls the way the AWS CLI does and groups repeats', () => {
    expect(summarizeCalls([])).toBe('no AWS calls');
    expect(
      summarizeCalls([
        call('S3', 'CreateBucket'),
        call('IAM', 'CreateRole'),
        call('CloudWatch Logs', 'CreateLogGroup'),
        call('S3', 'PutObject'),
        call('S3', 'PutObject', 'error'),
      ]),
    ).toBe(
      '5 calls: s3:CreateBucket, iam:CreateRole, logs:CreateLogGroup, s3:PutObject\u00a0×2 (1 returned an error)',
    );
  });

  it('wraps so that no entry is split: `name ×n` and `… n more` stay on one line', () => {
    const many = Array.from({ length: 12 }, (_, i) => [call('S3', `Op${i}`), call('S3', `Op${i}`)]).flat();
    const summary = summarizeCalls(many);
    for (const width of [30, 41, 47, 53, 60]) {
      const lines = wrapIndented(summary, width, { indent: '    ', first: '  ' });
      const text = lines.join('\n');
      expect(text).not.toContain('\u00a0');
      expect(text).toMatch(/… 4 more/);
      for (let i = 0; i < 8; i++) expect(text).toContain(`s3:Op${i} ×2`);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
    }
  });

  it('counts a lookup answered "not found" as an expected not-found, not an error', () => {
    const missing = (op: string, name: string): RecordedCall => ({
      ...call('S3', op, 'error'),
      errorName: name,
    });
    expect(summarizeCalls([missing('GetBucketTagging', 'NoSuchBucket'), call('S3', 'CreateBucket')])).toBe(
      '2 calls: s3:GetBucketTagging, s3:CreateBucket (1 expected not-found)',
    );
    // A create that fails with a not-found name is still an error: only lookups answer "not found".
    expect(summarizeCalls([missing('PutObject', 'NoSuchBucket')])).toBe(
      '1 call: s3:PutObject (1 returned an error)',
    );
  });
});

describe('callDetails', () => {
  const log = {
    toCli: (c: RecordedCall) => `aws ${c.operation} ${JSON.stringify(c.input)}`,
  } as unknown as CallLog;
  const poll = (outcome: 'ok' | 'error'): RecordedCall => ({
    service: 'S3',
    operation: 'GetObject',
    input: { Bucket: 'b', Key: 'summary.json' },
    startedAt: 0,
    durationMs: 3,
    outcome,
    ...(outcome === 'error'
      ? { errorName: 'NoSuchKey', errorMessage: 'The specified key does not exist.' }
      : {}),
  });

  it('shows a polling wait once, with how many times and how each attempt ended', () => {
    const calls = [...Array.from({ length: 60 }, () => poll('error')), poll('ok')];
    const details = callDetails(calls, log);
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({
      name: 's3:GetObject ×61',
      count: 61,
      outcome: 'the same request repeated while waiting: 60 × not found (NoSuchKey), then ok',
    });
  });

  it('keeps different requests apart and says "not found" for a single lookup', () => {
    const other = { ...poll('error'), input: { Bucket: 'b', Key: 'other.json' } };
    const details = callDetails([poll('error'), other, poll('ok')], log);
    expect(details.map((d) => d.count)).toEqual([1, 1, 1]);
    expect(details[0]!.outcome).toBe('not found (NoSuchKey)');
    expect(details[2]!.outcome).toMatch(/^ok in \d+ ms$/);
  });
});

describe('commands laid out to paste', () => {
  const line =
    `aws iam put-role-policy --role-name course-demo1-abc123-hourly-aggregate-role --policy-name p ` +
    `--policy-document file:///home/me/.course-cli/artifacts/sandbox/0123456789ab-policy-document.json ` +
    `--tagging '{"TagSet":[{"Key":"a b","Value":"c"}]}' --endpoint-url http://127.0.0.1:4599`;

  it('splits like a shell, quoted words whole', () => {
    expect(shellWords(`aws x --t '{"a b":1}' --e u`)).toEqual(['aws', 'x', '--t', `'{"a b":1}'`, '--e', 'u']);
  });

  it('one flag and its value per continuation line, each line within the width unless a value alone is wider', () => {
    const lines = commandLines(line, 60);
    expect(lines[0]).toBe('    $ aws iam put-role-policy \\');
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.find((l) => l.includes('--tagging'))).toBe(
      `        --tagging '{"TagSet":[{"Key":"a b","Value":"c"}]}' \\`,
    );
    for (const l of lines) if (l.length > 60) expect(l.trim().split(' ').length).toBeLessThanOrEqual(3);
    // Joined back by the shell, it is the same command.
    expect(
      shellWords(
        lines
          .join('\n')
          .replace(/ \\\n\s*/g, ' ')
          .replace(/^\s*\$ /, ''),
      ),
    ).toEqual(shellWords(line));
  });

  it('stays on one line when it fits', () => {
    expect(commandLines('aws s3api list-buckets --endpoint-url http://h:1', 100)).toEqual([
      '    $ aws s3api list-buckets --endpoint-url http://h:1',
    ]);
  });
});
