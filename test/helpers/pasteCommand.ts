/** Run a printed command line in a shell, as a learner pasting it would (after `sandbox env`). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateCredentials } from '../../src/sandbox/index.js';
import { makeTempDir } from './sandbox.js';
import { AWS_CLI } from './tools.js';

const sh = promisify(execFile);

/** `home` is the course home whose sandbox the command reaches (its keys, as `sandbox env` gives them). */
export async function pasteIntoShell(home: string, line: string): Promise<void> {
  const creds = loadOrCreateCredentials(path.join(home, 'sandbox'));
  await sh('sh', ['-c', line], {
    cwd: makeTempDir('course-cli-paste-cwd-'),
    env: {
      // `aws` on PATH must be the v2 CLI, as doctor tells a learner.
      PATH: `${path.dirname(AWS_CLI)}:/bin`,
      HOME: makeTempDir('course-cli-paste-home-'),
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
}
