/** Where course-cli keeps ledgers, progress and sandbox state: --home, COURSE_CLI_HOME, ~/.course-cli. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tightenModes, type TightenedModes } from '../files/tightenModes.js';

export function resolveHome(flag: string | undefined): string {
  const chosen = flag ?? process.env.COURSE_CLI_HOME;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(os.homedir(), '.course-cli'));
}

export function sandboxDir(home: string): string {
  return path.join(home, 'sandbox');
}

/** What course-cli keeps in a home. Only these, and the home itself when it holds nothing else, are ever tightened. */
const HOME_ENTRIES = new Set(['sandbox', 'ledgers', 'progress']);

/**
 * Make a home left by an older course-cli private: its folders 0700 and files 0600 (it holds the
 * sandbox's keys and port, and the ledgers). Returns the line to show the learner when anything
 * was tightened, once; nothing when the home was already private or does not exist yet.
 *
 * A home given with --home may be a folder with other things in it (even the learner's home
 * folder): then only course-cli's own entries are touched, never the folder itself or its neighbours.
 */
export function tightenHome(home: string): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(home);
  } catch {
    return undefined;
  }
  const ours = names.filter((n) => HOME_ENTRIES.has(n));
  const total: TightenedModes = { files: 0, directories: 0 };
  const add = (t: TightenedModes): void => {
    total.files += t.files;
    total.directories += t.directories;
  };
  if (ours.length === names.length) add(tightenModes(home));
  else for (const name of ours) add(tightenModes(path.join(home, name)));
  if (total.files + total.directories === 0) return undefined;
  const parts = [
    total.directories > 0 ? `${total.directories} folder${total.directories === 1 ? '' : 's'}` : '',
    total.files > 0 ? `${total.files} file${total.files === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `Made ${parts.join(' and ')} under ${home} private to you: other users on this machine could read them.`;
}
