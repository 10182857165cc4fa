/** Where course-cli keeps ledgers, progress and sandbox state: --home, COURSE_CLI_HOME, ~/.course-cli. */
import os from 'node:os';
import path from 'node:path';

export function resolveHome(flag: string | undefined): string {
  const chosen = flag ?? process.env.COURSE_CLI_HOME;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(os.homedir(), '.course-cli'));
}

export function sandboxDir(home: string): string {
  return path.join(home, 'sandbox');
}
