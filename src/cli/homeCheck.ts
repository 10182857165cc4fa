/**
 * Is the course-cli home usable? Checked once before a command that reads or writes it, so a bad
 * `--home` (a read-only or virtual file system such as /sys or /proc, a file, no permission) gets one
 * clear line instead of a silent "nothing deployed" — or a hang: Node's recursive mkdir never returns
 * for a path under /proc. The home is created level by level, so nothing loops.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The home cannot be used: says which path, why, and what to do. */
export class HomeUnusableError extends Error {
  override readonly name = 'HomeUnusableError';
  constructor(
    readonly home: string,
    reason: string,
  ) {
    super(
      `the course-cli home ${home} cannot be used (${reason}); choose a writable directory with --home DIR or COURSE_CLI_HOME.`,
    );
  }
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a parent is not a directory',
    ENOENT: 'it cannot be created there',
    EEXIST: 'a file, not a directory, is in the way',
  };
  return what[e?.code ?? ''] ?? e?.message ?? String(err);
}

/**
 * Make sure `home` exists as a directory where files and directories can be created. Creates it (and
 * missing parents) one level at a time; proves it writable by creating and removing a directory.
 */
export function ensureUsableHome(home: string): void {
  const missing: string[] = [];
  let dir = path.resolve(home);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new HomeUnusableError(home, reasonOf(err));
    }
    if (stat) {
      if (!stat.isDirectory()) throw new HomeUnusableError(home, `${dir} is not a directory`);
      break;
    }
    missing.unshift(dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    for (const d of missing) fs.mkdirSync(d, { mode: 0o700 });
    const probe = fs.mkdtempSync(path.join(home, '.probe-'));
    fs.rmdirSync(probe);
  } catch (err) {
    throw new HomeUnusableError(home, reasonOf(err));
  }
}
