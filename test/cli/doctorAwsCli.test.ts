/**
 * doctor reports the `aws` a learner will type — the first on PATH — not /usr/bin/aws first: a v1
 * there cannot run the AWS CLI v2 commands the course shows, even when a v2 exists elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliCheck, awsExecutablesOnPath } from '../../src/cli/doctorCommand.js';

function fakeAws(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-fake-aws-'));
  fs.writeFileSync(path.join(dir, 'aws'), `#!/bin/sh\necho "${version} Python/3.10.12 Linux/6"\n`, {
    mode: 0o755,
  });
  return dir;
}

describe('doctor: the AWS CLI on PATH', () => {
  it('warns when the aws first on PATH is v1, and names the others it found', async () => {
    const v1 = fakeAws('aws-cli/1.22.34');
    const v2 = fakeAws('aws-cli/2.15.0');
    const pathVar = [v1, v2].join(path.delimiter);
    expect(awsExecutablesOnPath(pathVar)).toEqual([path.join(v1, 'aws'), path.join(v2, 'aws')]);
    const finding = await awsCliCheck(pathVar);
    expect(finding.verdict).toBe('warn');
    expect(finding.detail).toContain(`"aws" on your PATH is ${path.join(v1, 'aws')} (aws-cli/1.22.34)`);
    expect(finding.detail).toContain('need AWS CLI v2');
    expect(finding.detail).toContain(`also found: ${path.join(v2, 'aws')} (aws-cli/2.15.0)`);
  });

  it('passes when the first on PATH is v2', async () => {
    const v2 = fakeAws('aws-cli/2.15.0');
    const finding = await awsCliCheck(v2);
    expect(finding.verdict).toBe('pass');
    expect(finding.detail).toMatch(
      new RegExp(`^aws-cli/2\\.15\\.0 \\(${path.join(v2, 'aws')}, first on your PATH`),
    );
  });

  it('says when there is none on PATH', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-no-aws-'));
    const finding = await awsCliCheck(empty);
    expect(finding.verdict).toBe('warn');
    expect(finding.detail).toMatch(/^(not found|not on your PATH)/);
  });
});
