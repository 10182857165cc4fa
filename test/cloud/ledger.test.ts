import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, ledgerPath } from '../../src/cloud/ledger.js';
import { TEARDOWN_ORDER } from '../../src/cloud/teardownPlan.js';
import { CorruptLedgerError } from '../../src/cloud/errors.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-ledger-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const onDisk = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('Ledger', () => {
  it('is created with a short run id at <home>/ledgers/<target>/<demo>.json and kept on reopen', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    expect(l.file).toBe(path.join(home, 'ledgers', 'sandbox', 'demo1.json'));
    expect(l.runId).toMatch(/^[a-z0-9]{6}$/);
    // Written with its first entry: a run refused before creating anything leaves no empty ledger.
    expect(fs.existsSync(l.file)).toBe(false);
    expect(l.archive()).toBeUndefined();
    l.intend('s3-bucket', 'b1');
    expect(onDisk(l.file)).toMatchObject({ demo: 'demo1', runId: l.runId, targetId: 'sandbox' });
    expect(Ledger.open(home, 'sandbox', 'demo1').runId).toBe(l.runId);
    expect(Ledger.read(home, 'sandbox', 'demo2')).toBeUndefined();
  });

  it('writes the intent to disk before the create and the confirmation after', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    expect(l.intend('iam-role', 'course-demo1-x-role')).toBeUndefined();
    const intended = onDisk(l.file).entries[0];
    expect(intended).toMatchObject({
      seq: 1,
      kind: 'iam-role',
      name: 'course-demo1-x-role',
      state: 'intended',
    });
    expect(intended.createdAt).toBeUndefined();

    l.confirm('iam-role', 'course-demo1-x-role', 'arn:aws:iam::000000000000:role/course-demo1-x-role');
    const created = onDisk(l.file).entries[0];
    expect(created.state).toBe('created');
    expect(created.arn).toBe('arn:aws:iam::000000000000:role/course-demo1-x-role');
    expect(typeof created.createdAt).toBe('string');
  });

  it('resumes: a second process sees intents left by a crashed one, and intending again reuses the entry', () => {
    const a = Ledger.open(home, 'sandbox', 'demo1');
    a.intend('s3-bucket', 'b1');
    a.intend('lambda-permission', 'sid', 'fn');
    const b = Ledger.open(home, 'sandbox', 'demo1');
    expect(b.live().map((e) => [e.kind, e.name, e.parent, e.state])).toEqual([
      ['s3-bucket', 'b1', undefined, 'intended'],
      ['lambda-permission', 'sid', 'fn', 'intended'],
    ]);
    const before = b.intend('s3-bucket', 'b1');
    expect(before?.state).toBe('intended');
    expect(b.entries()).toHaveLength(2);
  });

  it('marks deletions, reports clear, and archives so the next open gets a new run id', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    l.intend('log-group', '/aws/lambda/x');
    l.confirm('log-group', '/aws/lambda/x', 'arn');
    expect(l.isClear).toBe(false);
    l.markDeleted('log-group', '/aws/lambda/x');
    expect(l.isClear).toBe(true);
    expect(l.live()).toEqual([]);
    const archived = l.archive();
    expect(fs.existsSync(archived!)).toBe(true);
    expect(archived).toContain(path.join('ledgers', 'sandbox', 'archive'));
    expect(fs.existsSync(l.file)).toBe(false);
    const next = Ledger.open(home, 'sandbox', 'demo1');
    expect(next.runId).not.toBe(l.runId);
    next.intend('log-group', '/aws/lambda/y');
    expect(Ledger.readAll(home, 'sandbox').map((x) => x.demo)).toEqual(['demo1']);
  });

  it('a new process reads back an entry of every kind teardown knows (log-resource-policy was refused as corrupt)', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    for (const kind of TEARDOWN_ORDER) l.intend(kind, `x-${kind}`);
    const again = Ledger.read(home, 'sandbox', 'demo1');
    expect(again?.entries().map((e) => e.kind)).toEqual([...TEARDOWN_ORDER]);
  });

  it('forgets only an unconfirmed intent', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    l.intend('iam-role', 'r');
    l.forget('iam-role', 'r');
    expect(l.entries()).toEqual([]);
    l.intend('iam-role', 'r2');
    l.confirm('iam-role', 'r2', 'arn');
    l.forget('iam-role', 'r2');
    expect(l.entries()).toHaveLength(1);
  });

  it('writes atomically: no temp files remain and the file is always complete JSON', () => {
    const l = Ledger.open(home, 'sandbox', 'demo1');
    for (let i = 0; i < 20; i++) {
      l.intend('s3-bucket', `b${i}`);
      expect(() => onDisk(l.file)).not.toThrow();
    }
    expect(fs.readdirSync(path.dirname(l.file))).toEqual(['demo1.json']);
  });

  it.each([
    ['not JSON', '{"demo": "demo1", '],
    ['wrong shape', JSON.stringify({ demo: 'demo1', runId: 'abc123', targetId: 'sandbox', createdAt: 'x' })],
    [
      'unknown kind',
      JSON.stringify({
        demo: 'demo1',
        runId: 'abc123',
        targetId: 'sandbox',
        createdAt: 'x',
        entries: [{ seq: 1, kind: 'dynamodb-table', name: 't', state: 'created', intendedAt: 'x' }],
      }),
    ],
    [
      'bad run id',
      JSON.stringify({ demo: 'demo1', runId: '../..', targetId: 'sandbox', createdAt: 'x', entries: [] }),
    ],
  ])('raises CorruptLedgerError naming the file (%s) and never overwrites it', (_label, text) => {
    const file = ledgerPath(home, 'sandbox', 'demo1');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    expect(() => Ledger.open(home, 'sandbox', 'demo1')).toThrow(CorruptLedgerError);
    try {
      Ledger.read(home, 'sandbox', 'demo1');
    } catch (err) {
      expect((err as Error).message).toContain(file);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});
