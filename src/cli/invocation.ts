/**
 * The command the learner actually typed to start course-cli, so every hint ("Resume with: …",
 * "Run: …") can be pasted as is: someone who ran `npx course-cli` has no `course-cli` on PATH.
 */
import path from 'node:path';

export interface InvocationFacts {
  env: NodeJS.ProcessEnv;
  /** `process.argv[1]`: the script path as it was started. */
  script: string | undefined;
  cwd: string;
}

const facts = (): InvocationFacts => ({ env: process.env, script: process.argv[1], cwd: process.cwd() });

/** `npx course-cli` (npx / npm exec), `course-cli` (an installed bin on PATH) or `node bin/course-cli.js`. */
export function cliCommand(f: InvocationFacts = facts()): string {
  if (f.env.npm_command === 'exec' || f.env.npm_lifecycle_event === 'npx') return 'npx course-cli';
  const script = f.script ?? '';
  if (path.basename(script) === 'course-cli') return 'course-cli';
  if (!script) return 'course-cli';
  const rel = path.relative(f.cwd, script);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : script;
  return `node ${/^[\w./@+-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`}`;
}

/** Replace `course-cli ` at the start of each quoted or shown command in `text` with how it was started. */
export function withCliCommand(text: string, command = cliCommand()): string {
  if (command === 'course-cli') return text;
  return text.replace(
    /(^|["'(`\s])(?<!npx )course-cli (?=(?:demo\d|list|sandbox|teardown|doctor|help|--help)\b)/g,
    (_m, lead: string) => `${lead}${command} `,
  );
}
