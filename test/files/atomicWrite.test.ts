/**
 * One atomic-write helper for the package: temp file, fsync, rename, fsync the directory — and the
 * sandbox store, the ledger and progress all write through it (each fsyncs its file and then the
 * file's directory, so a crash never loses a rename that was reported done).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomicSync } from '../../src/files/atomicWrite.js';
import { Ledger } from '../../src/cloud/ledger.js';
import { ProgressStore } from '../../src/course/progress.js';
import { StateStore } from '../../src/sandbox/store.js';
import { makeTempDir } from '../helpers/sandbox.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The paths whose descriptors were fsynced while `write` ran, in order. */
function fsyncedPaths(write: () => void): string[] {
  const opened = new Map<number, string>();
  const realOpen = fs.openSync;
  vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    const fd = (realOpen as (...a: unknown[]) => number)(p, ...rest);
    opened.set(fd, path.resolve(String(p)));
    return fd;
  }) as typeof fs.openSync);
  const synced: string[] = [];
  const realFsync = fs.fsyncSync;
  vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    synced.push(opened.get(fd) ?? `fd ${fd}`);
    realFsync(fd);
  });
  write();
  vi.restoreAllMocks();
  return synced;
}

/** True when `synced` shows a temp file next to `file` fsynced, then `file`'s directory. */
function durablyWritten(synced: string[], file: string): boolean {
  const dir = path.dirname(file);
  const tmp = synced.findIndex(
    (p) => path.dirname(p) === dir && path.basename(p).startsWith(path.basename(file)),
  );
  return tmp >= 0 && synced.indexOf(dir, tmp) > tmp;
}

describe('writeFileAtomicSync', () => {
  it('replaces the content whole, 0600, creating missing folders 0700, leaving no temp file', () => {
    const root = makeTempDir('course-atomic-');
    const file = path.join(root, 'a', 'b', 'doc.json');
    writeFileAtomicSync(file, '{"v":1}');
    fs.chmodSync(file, 0o644);
    writeFileAtomicSync(file, Buffer.from('{"v":2}'));
    expect(fs.readFileSync(file, 'utf8')).toBe('{"v":2}');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.join(root, 'a')).mode & 0o777).toString(8)).toBe('700');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['doc.json']);
  });

  it('fsyncs the temp file, then the directory after the rename', () => {
    const file = path.join(makeTempDir('course-atomic-'), 'doc.json');
    const synced = fsyncedPaths(() => writeFileAtomicSync(file, 'x'));
    expect(durablyWritten(synced, file)).toBe(true);
  });

  it('a failed rename leaves the target and no temp file behind', () => {
    const root = makeTempDir('course-atomic-');
    const target = path.join(root, 'taken');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    expect(fs.readdirSync(root)).toEqual(['taken']);
    expect(fs.readdirSync(target)).toEqual(['inside']);
  });
});

describe('the store, the ledger and progress write durably through it', () => {
  it('ledger intents', () => {
    const home = makeTempDir('course-atomic-');
    const ledger = Ledger.open(home, 'sandbox', 'demo1');
    const synced = fsyncedPaths(() => ledger.intend('s3-bucket', 'b'));
    expect(durablyWritten(synced, ledger.file)).toBe(true);
  });

  it('progress', () => {
    const store = new ProgressStore(makeTempDir('course-atomic-'), 'sandbox', 'demo1');
    const data = store.fresh({});
    const synced = fsyncedPaths(() => store.save(data));
    expect(durablyWritten(synced, store.file)).toBe(true);
  });

  it('sandbox state documents and blobs', () => {
    const store = new StateStore(makeTempDir('course-atomic-'));
    const doc = store.doc('iam/roles.json', () => ({ roles: {} as Record<string, number> }));
    doc.data.roles.r = 1;
    doc.changed();
    const docSynced = fsyncedPaths(() => store.flushAll());
    expect(durablyWritten(docSynced, doc.file)).toBe(true);
    const blobSynced = fsyncedPaths(() => store.writeBlob('lambda/code/f.zip', Buffer.from('zip')));
    expect(durablyWritten(blobSynced, store.pathOf('lambda/code/f.zip'))).toBe(true);
  });
});
