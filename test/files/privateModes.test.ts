/**
 * Everything course-cli writes under a home is private: folders 0700, files 0600 — the sandbox's
 * credentials and lock, its state documents, S3 object bodies and spare files, extracted Lambda
 * code, ledgers and progress — even when the process's umask would allow more (it does here: 022).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { startSandbox } from '../../src/sandbox/index.js';
import { Ledger } from '../../src/cloud/ledger.js';
import { ProgressStore } from '../../src/course/progress.js';
import { tightenModes } from '../../src/files/tightenModes.js';
import { makeTempDir, type TestSandbox } from '../helpers/sandbox.js';
import { createFunction, createRole } from '../sandbox/lambda/fixtures.js';

/** Every folder and regular file under `root` (symbolic links are not followed) with its mode. */
function modesUnder(root: string): Array<{ file: string; kind: 'dir' | 'file'; mode: number }> {
  const out: Array<{ file: string; kind: 'dir' | 'file'; mode: number }> = [];
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      out.push({ file: p, kind: 'dir', mode: st.mode & 0o777 });
      for (const n of fs.readdirSync(p)) visit(path.join(p, n));
    } else if (st.isFile()) {
      out.push({ file: p, kind: 'file', mode: st.mode & 0o777 });
    }
  };
  visit(root);
  return out;
}

const wrongModes = (root: string) =>
  modesUnder(root)
    .filter((e) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))
    .map((e) => `${path.relative(root, e.file) || '.'} ${e.mode.toString(8)}`);

let savedUmask: number;
beforeAll(() => {
  savedUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(savedUmask);
});

describe('private files', () => {
  it('the sandbox, the ledger and progress create folders 0700 and files 0600', async () => {
    const home = path.join(makeTempDir('course-modes-'), 'home');
    const stateDir = path.join(home, 'sandbox');
    const sb = await startSandbox({ stateDir });
    try {
      const lock = fs.statSync(path.join(stateDir, 'sandbox.lock'));
      expect((lock.mode & 0o777).toString(8)).toBe('600');
      const config = {
        region: sb.region,
        endpoint: sb.endpoint,
        credentials: sb.credentials,
        maxAttempts: 1,
      };
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: 'modes' }));
      for (let i = 0; i < 3; i++) {
        await s3.send(new PutObjectCommand({ Bucket: 'modes', Key: `k${i}`, Body: 'secret' }));
      }
      // Large enough to stream through a temp file in s3/incoming before it becomes a blob.
      await s3.send(new PutObjectCommand({ Bucket: 'modes', Key: 'big', Body: Buffer.alloc(256 * 1024, 7) }));
      const role = await createRole({ clientConfig: config } as TestSandbox);
      await createFunction(new LambdaClient(config), role, 'modes-fn', {
        'index.mjs': 'export const handler = async () => 1;',
        'lib/helper.mjs': 'export const x = 1;',
      });
      // Spare blob files are made in the background after the first write.
      const spares = path.join(stateDir, 's3', 'spare');
      for (let i = 0; i < 100 && !(fs.existsSync(spares) && fs.readdirSync(spares).length > 0); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await sb.stop();
    }
    const ledger = Ledger.open(home, 'sandbox', 'demo1');
    ledger.intend('s3-bucket', 'modes');
    const progress = new ProgressStore(home, 'sandbox', 'demo1');
    progress.save(progress.fresh({}, ledger.runId));

    const files = modesUnder(home).map((e) => path.relative(home, e.file));
    for (const expected of [
      'sandbox/credentials.json',
      'sandbox/lambda/code',
      'ledgers/sandbox/demo1.json',
      'progress/sandbox/demo1.json',
    ]) {
      expect(files).toContain(expected);
    }
    expect(files.some((f) => f.startsWith('sandbox/s3/blobs/'))).toBe(true);
    expect(files.some((f) => f.startsWith('sandbox/s3/spare/'))).toBe(true);
    expect(files).toContain('sandbox/s3/incoming');
    expect(files.some((f) => f.endsWith('lib/helper.mjs'))).toBe(true);
    expect(wrongModes(home)).toEqual([]);
  });

  it('tightenModes makes a tree private without following symbolic links', () => {
    const root = makeTempDir('course-tighten-');
    const outside = makeTempDir('course-outside-');
    fs.chmodSync(root, 0o755);
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(root, 'a', 'b', 'keys.json'), '{}', { mode: 0o644 });
    fs.writeFileSync(path.join(root, 'a', 'private.json'), '{}', { mode: 0o600 });
    fs.writeFileSync(path.join(outside, 'shared.txt'), 'x', { mode: 0o644 });
    fs.chmodSync(outside, 0o755);
    fs.symlinkSync(outside, path.join(root, 'a', 'link'));

    expect(tightenModes(root)).toEqual({ directories: 3, files: 1 });
    expect(wrongModes(root)).toEqual([]);
    // What the link points at is not ours to change.
    expect((fs.statSync(outside).mode & 0o777).toString(8)).toBe('755');
    expect((fs.statSync(path.join(outside, 'shared.txt')).mode & 0o777).toString(8)).toBe('644');
    // Nothing left to do the second time.
    expect(tightenModes(root)).toEqual({ directories: 0, files: 0 });
  });
});
