/**
 * External tools some tests drive (the AWS CLI v2, tmux). `.ci/run` installs them; a machine
 * without them fails those tests with a line saying what to install, rather than skipping them.
 */
import fs from 'node:fs';

export const AWS_CLI = '/usr/bin/aws';
export const TMUX = '/usr/bin/tmux';

export function requireTool(file: string, debianPackage: string): void {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: install it with "apt-get install ${debianPackage}" (.ci/run does).`);
  }
}
