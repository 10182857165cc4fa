import { describe, expect, it } from 'vitest';
import {
  courseTags,
  newRunId,
  resourceName,
  tagsMatch,
  describeTagMismatch,
} from '../../src/cloud/naming.js';
import { InvalidResourceNameError } from '../../src/cloud/errors.js';

const ctx = { demo: 'demo1', runId: 'ab12cd', accountId: '123456789012' };

describe('resource names', () => {
  it('follows course-<demo>-<run>-<part>, buckets with the account id', () => {
    expect(resourceName('iam-role', 'exec', ctx)).toBe('course-demo1-ab12cd-exec');
    expect(resourceName('lambda-function', 'hourly-aggregate', ctx)).toBe(
      'course-demo1-ab12cd-hourly-aggregate',
    );
    expect(resourceName('events-rule', 'every-minute', ctx)).toBe('course-demo1-ab12cd-every-minute');
    expect(resourceName('state-machine', 'pipeline', ctx)).toBe('course-demo1-ab12cd-pipeline');
    expect(resourceName('s3-bucket', 'Data', ctx)).toBe('course-demo1-ab12cd-123456789012-data');
    expect(resourceName('log-group', '/aws/lambda/x', ctx)).toBe('/aws/lambda/x');
  });

  it('enforces each service limit instead of truncating', () => {
    const long = (n: number) => 'x'.repeat(n);
    // course-demo1-ab12cd- is 20 characters
    expect(resourceName('iam-role', long(44), ctx)).toHaveLength(64);
    expect(() => resourceName('iam-role', long(45), ctx)).toThrow(InvalidResourceNameError);
    expect(() => resourceName('lambda-function', long(45), ctx)).toThrow(/at most 64/);
    expect(() => resourceName('events-rule', long(45), ctx)).toThrow(InvalidResourceNameError);
    expect(resourceName('state-machine', long(60), ctx)).toHaveLength(80);
    expect(() => resourceName('state-machine', long(61), ctx)).toThrow(InvalidResourceNameError);
    // bucket: 20 + 12 + 1 = 33 fixed characters
    expect(resourceName('s3-bucket', long(30), ctx)).toHaveLength(63);
    expect(() => resourceName('s3-bucket', long(31), ctx)).toThrow(/63/);
    expect(() => resourceName('s3-bucket', 'bad_part', ctx)).toThrow(InvalidResourceNameError);
    expect(() => resourceName('lambda-function', 'has space', ctx)).toThrow(InvalidResourceNameError);
  });

  it('makes 6-character lower-case run ids that differ', () => {
    const ids = new Set(Array.from({ length: 50 }, newRunId));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{6}$/);
    expect(ids.size).toBeGreaterThan(45);
  });
});

describe('tags', () => {
  it('matches only all three tags of this demo run', () => {
    const tags = courseTags('demo1', 'ab12cd');
    expect(tags).toEqual({
      'course:demo': 'demo1',
      'course:run': 'ab12cd',
      'course:managed-by': 'course-cli',
    });
    expect(tagsMatch(tags, 'demo1', 'ab12cd')).toBe(true);
    expect(tagsMatch(tags, 'demo1', 'zzzzzz')).toBe(false);
    expect(tagsMatch(tags, 'demo2', 'ab12cd')).toBe(false);
    expect(tagsMatch({ ...tags, 'course:managed-by': 'someone' }, 'demo1', 'ab12cd')).toBe(false);
    expect(tagsMatch(undefined, 'demo1', 'ab12cd')).toBe(false);
    expect(describeTagMismatch({}, 'ab12cd')).toBe('it has no tags');
    expect(describeTagMismatch(courseTags('demo1', 'other1'), 'ab12cd')).toContain('run other1');
  });
});
