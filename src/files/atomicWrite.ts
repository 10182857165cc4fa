/**
 * The one atomic-write helper of the package (sandbox store, ledger, progress, locks): readers see
 * the old content or the new, never half, and after a crash or power loss the new content is
 * either fully there or not at all. Temp file in the same directory (0600, exclusive create),
 * write, fsync, rename over the target, fsync the directory so the rename itself is durable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PRIVATE_FILE_MODE, makePrivateDir } from './privateFiles.js';

/** A temp file next to `file` holding `data`, written and fsynced; the caller renames or links it. */
export function writeTempFileSync(file: string, data: string | Uint8Array): string {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return tmp;
}

/** Make a rename or link in `dir` durable. Some platforms cannot fsync a directory; they skip it. */
export function fsyncDirectorySync(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EBADF') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  /**
   * Fsync the directory after the rename (default true). A caller writing many files at once may
   * pass false and fsync each directory once afterwards (`fsyncDirectorySync`).
   */
  syncDirectory?: boolean;
}

/** `fsyncDirectorySync` off the event loop (on the thread pool); never rejects. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // As in fsyncDirectorySync: a platform that cannot fsync a directory, or one already gone.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Replace `file` with `data` atomically and durably; missing directories are created 0700. */
export function writeFileAtomicSync(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const dir = path.dirname(file);
  makePrivateDir(dir);
  const tmp = writeTempFileSync(file, data);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  if (options.syncDirectory !== false) fsyncDirectorySync(dir);
}
