/**
 * A home is private to the learner, as seen from the command line: a home made by this CLI holds
 * only 0700 folders and 0600 files; a home an older course-cli left readable by others is
 * tightened at the next start, which says so once (one line on stderr, stdout untouched); a --home
 * folder holding other things keeps those things (and itself) as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';

const modeOf = (p: string): string => (fs.lstatSync(p).mode & 0o777).toString(8);

/** Every folder and file under `root` whose mode is not 0700 / 0600 (links are not followed). */
function notPrivate(root: string): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      if (modeOf(p) !== '700') out.push(`${p} ${modeOf(p)}`);
      for (const n of fs.readdirSync(p)) visit(path.join(p, n));
    } else if (st.isFile() && modeOf(p) !== '600') {
      out.push(`${p} ${modeOf(p)}`);
    }
  };
  visit(root);
  return out;
}

/** A home as an older course-cli left it: folders 0755, files 0644. */
function oldHome(home: string): void {
  fs.mkdirSync(path.join(home, 'sandbox'), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.join(home, 'ledgers', 'sandbox'), { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    path.join(home, 'sandbox', 'credentials.json'),
    JSON.stringify({ accessKeyId: 'AKIAOLDHOMEOLDHOME00', secretAccessKey: 'old-secret' }),
    { mode: 0o644 },
  );
  fs.writeFileSync(path.join(home, 'ledgers', 'sandbox', 'notes.txt'), 'x', { mode: 0o644 });
  for (const d of ['sandbox', 'ledgers', path.join('ledgers', 'sandbox')])
    fs.chmodSync(path.join(home, d), 0o755);
}

beforeAll(() => ensureBuilt(), 300_000);

describe('a private home', () => {
  it('a new home holds only private folders and files', async () => {
    const home = path.join(makeTempDir('course-home-new-'), 'home');
    const r = await runCli(['--home', home, 'doctor']);
    expect(r.stdout).toMatch(/✔ sandbox: starts/);
    expect(fs.existsSync(path.join(home, 'sandbox', 'credentials.json'))).toBe(true);
    expect(notPrivate(home)).toEqual([]);
  });

  it('an old home is tightened once, with one line saying so', async () => {
    const home = makeTempDir('course-home-old-');
    fs.chmodSync(home, 0o755);
    oldHome(home);
    const first = await runCli(['--home', home, 'demo1', 'status', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ resources: [] });
    expect(first.stderr).toBe(
      `! Made 4 folders and 2 files under ${home} private to you: other users on this machine could read them.\n`,
    );
    expect(notPrivate(home)).toEqual([]);
    const second = await runCli(['--home', home, 'demo1', 'status', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
  });

  it('a --home with other things in it: only course-cli entries are touched', async () => {
    const home = makeTempDir('course-home-shared-');
    fs.chmodSync(home, 0o755);
    oldHome(home);
    fs.writeFileSync(path.join(home, 'shopping-list.txt'), 'milk', { mode: 0o644 });
    fs.mkdirSync(path.join(home, 'photos'), { mode: 0o755 });
    fs.chmodSync(path.join(home, 'photos'), 0o755);
    const r = await runCli(['--home', home, 'demo1', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^! Made 3 folders and 2 files under .* private to you/);
    expect(notPrivate(path.join(home, 'sandbox'))).toEqual([]);
    expect(notPrivate(path.join(home, 'ledgers'))).toEqual([]);
    expect([home, path.join(home, 'shopping-list.txt'), path.join(home, 'photos')].map(modeOf)).toEqual([
      '755',
      '644',
      '755',
    ]);
  });
});
