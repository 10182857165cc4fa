/**
 * Everything course-cli keeps on disk (sandbox keys, the lock naming its port, ledgers, progress,
 * sandbox state) is readable by the learner alone: anyone who can read the sandbox's keys can run
 * code as the learner through it. Directories are created 0700 and files 0600; these helpers are
 * the one place those modes are spelled.
 */
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create `dir` and any missing parents, each 0700 (an existing directory is left as it is). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Write a file that is new or written in one go where atomicity does not matter (a blob under a
 * fresh unique name, extracted code); created 0600. For documents, use `writeFileAtomicSync`.
 */
export function writePrivateFileSync(file: string, data: string | Uint8Array): void {
  fs.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
}
