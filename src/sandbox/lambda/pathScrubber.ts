/**
 * What a handler's stack traces and error output say about where things live: on AWS, the code is
 * in `/var/task` and the runtime (with its AWS SDK) in `/var/runtime`. The sandbox runs the code
 * from its state directory with the package's own runtime and SDK, so their real paths — the
 * learner's home, the package's install path — are rewritten to AWS's before anything is logged or
 * returned. (The environment variable LAMBDA_TASK_ROOT keeps the real folder: handlers read files
 * through it.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type PathScrubber = (text: string) => string;

export interface ScrubPaths {
  codeDir: string;
  /** The bootstrap the environment runs (AWS's is `/var/runtime/index.mjs`). */
  bootstrap: string;
  /** Where handlers' `@aws-sdk/*` imports resolve, if known. */
  sdkNodeModules?: string;
}

function withRealPath(p: string): string[] {
  try {
    const real = fs.realpathSync(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}

export function pathScrubber(paths: ScrubPaths): PathScrubber {
  const pairs: Array<[string, string]> = [];
  const add = (from: string, to: string): void => {
    for (const p of withRealPath(from)) {
      pairs.push([pathToFileURL(p).href, pathToFileURL(to).href]);
      pairs.push([p, to]);
    }
  };
  add(paths.bootstrap, '/var/runtime/index.mjs');
  add(paths.codeDir, '/var/task');
  add(path.dirname(paths.bootstrap), '/var/runtime');
  if (paths.sdkNodeModules) add(paths.sdkNodeModules, '/var/runtime/node_modules');
  // Longest first, so a file inside a mapped folder is rewritten as a whole.
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let out = text;
    for (const [from, to] of pairs) if (out.includes(from)) out = out.replaceAll(from, to);
    return out;
  };
}
