/**
 * Take group and other permissions away from files an older course-cli (or a careless copy) left
 * readable: directories become 0700, files 0600. Symbolic links are never followed (the Lambda
 * code folder links to the package's node_modules, which is not ours to change).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './privateFiles.js';

export interface TightenedModes {
  files: number;
  directories: number;
}

const OPEN_TO_OTHERS = 0o077;

/** Tighten `root` (if `includeRoot`) and everything below it; a missing root is nothing to do. */
export function tightenModes(root: string, includeRoot = true): TightenedModes {
  const result: TightenedModes = { files: 0, directories: 0 };
  const visit = (p: string, stat: fs.Stats, tighten: boolean): void => {
    if (stat.isDirectory()) {
      if (tighten && chmodIfOpen(p, stat, PRIVATE_DIR_MODE)) result.directories++;
      let names: string[];
      try {
        names = fs.readdirSync(p);
      } catch {
        return; // vanished or unreadable: nothing we can tighten below it
      }
      for (const name of names) {
        const child = path.join(p, name);
        const childStat = lstatOrUndefined(child);
        if (childStat) visit(child, childStat, true);
      }
    } else if (stat.isFile()) {
      if (tighten && chmodIfOpen(p, stat, PRIVATE_FILE_MODE)) result.files++;
    }
  };
  const rootStat = statOrUndefined(root);
  if (rootStat) visit(root, rootStat, includeRoot);
  return result;
}

function chmodIfOpen(p: string, stat: fs.Stats, mode: number): boolean {
  if ((stat.mode & OPEN_TO_OTHERS) === 0) return false;
  try {
    fs.chmodSync(p, mode);
    return true;
  } catch {
    return false; // not ours (EPERM) or gone; the caller reports only what changed
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
