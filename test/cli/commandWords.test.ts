import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/cli/suggest.js';
import { cliCommand, withCliCommand } from '../../src/cli/invocation.js';
import { HomeUnusableError, ensureUsableHome } from '../../src/cli/homeCheck.js';

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('dmeo1', 'demo1')).toBe(1);
    expect(editDistance('demo1', 'demo1')).toBe(0);
    expect(editDistance('list', 'lsit')).toBe(1);
    expect(editDistance('run', 'teardown')).toBeGreaterThan(3);
  });

  it('suggests the closest known word only when it is close', () => {
    const known = ['demo1', 'demo2', 'demo3', 'list', 'teardown', 'doctor', 'sandbox', 'help'];
    expect(closest('dmeo1', known)).toBe('demo1');
    expect(closest('sandbx', known)).toBe('sandbox');
    expect(closest('xyz', known)).toBeUndefined();
    expect(didYouMean('tear-down', known)).toBe(' Did you mean "teardown"?');
    expect(didYouMean('banana', known)).toBe('');
  });
});

describe('the command the learner typed', () => {
  const base = { env: {}, script: '/usr/local/bin/course-cli', cwd: '/home/me' };
  it('is npx course-cli under npx or npm exec', () => {
    expect(cliCommand({ ...base, env: { npm_command: 'exec' } })).toBe('npx course-cli');
    expect(cliCommand({ ...base, env: { npm_lifecycle_event: 'npx' } })).toBe('npx course-cli');
  });
  it('is course-cli for an installed bin, node <path> for the script run directly', () => {
    expect(cliCommand(base)).toBe('course-cli');
    expect(cliCommand({ ...base, script: '/home/me/course/bin/course-cli.js' })).toBe(
      'node course/bin/course-cli.js',
    );
    expect(cliCommand({ ...base, script: '/opt/x y/bin/course-cli.js' })).toBe(
      `node '/opt/x y/bin/course-cli.js'`,
    );
  });
  it('rewrites the commands inside a message, not other mentions of course-cli', () => {
    expect(withCliCommand('Move it aside or run "course-cli sandbox reset".', 'npx course-cli')).toBe(
      'Move it aside or run "npx course-cli sandbox reset".',
    );
    expect(withCliCommand('See npx course-cli --help.', 'npx course-cli')).toBe('See npx course-cli --help.');
    expect(withCliCommand('cannot find the course-cli package root', 'npx course-cli')).toBe(
      'cannot find the course-cli package root',
    );
  });
});

describe('the course-cli home', () => {
  it('is created level by level (owner-only) when missing', () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-home-')), 'a', 'b');
    ensureUsableHome(home);
    expect(fs.statSync(home).isDirectory()).toBe(true);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(home)).toEqual([]); // the probe is gone
  });

  it('a file in the way, /proc or /sys: one clear error, and no hang', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-home-')), 'f');
    fs.writeFileSync(file, 'x');
    expect(() => ensureUsableHome(file)).toThrow(HomeUnusableError);
    expect(() => ensureUsableHome(path.join(file, 'sub'))).toThrow(
      /a parent is not a directory|not a directory/,
    );
    expect(() => ensureUsableHome('/proc/x')).toThrow(/cannot be used/);
    expect(() => ensureUsableHome('/sys/nope')).toThrow(/cannot be used/);
  });
});

describe('what the shown AWS CLI commands need', () => {
  const sandbox = {
    kind: 'sandbox' as const,
    id: 'sandbox',
    label: 'sandbox (http://127.0.0.1:4599)',
    accountId: '000000000000',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4599',
  };
  it('on the sandbox: its keys via sandbox env, and that an embedded one goes away with the run', async () => {
    const { detailsNote } = await import('../../src/cli/runCommand.js');
    const embedded = detailsNote(sandbox, true).join(' ');
    expect(embedded).toMatch(/eval "\$\(.+ sandbox env\)"/);
    expect(embedded).toContain('http://127.0.0.1:4599 disappears when the run ends');
    expect(embedded).toMatch(/sandbox start" in another terminal first/);
    expect(detailsNote(sandbox, false).join(' ')).not.toContain('disappears');
    const aws = detailsNote(
      { ...sandbox, kind: 'aws', accountId: '123456789012', endpoint: undefined },
      false,
    );
    expect(aws.join(' ')).toContain("your AWS CLI's credentials");
  });
});
