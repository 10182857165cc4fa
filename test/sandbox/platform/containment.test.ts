/** Last lines of defence behind name validation: state paths stay inside the state directory, and
 * lookups keyed by client input never see a prototype. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/sandbox/store.js';
import { StatePathEscapeError } from '../../../src/sandbox/errors.js';
import { dictionary } from '../../../src/sandbox/dictionary.js';
import { selectJsonPath } from '../../../src/sandbox/events/inputTransform.js';
import { makeTempDir } from '../../helpers/sandbox.js';

describe('state paths', () => {
  it('refuses any path that would leave the state directory', () => {
    const root = makeTempDir();
    const store = new StateStore(path.join(root, 'state'));
    for (const parts of [
      ['..', 'x'],
      ['lambda', '..', '..', 'x'],
      ['a/../../b'],
      ['/etc/passwd/../../..'],
      ['a\u0000b'],
    ]) {
      expect(() => store.pathOf(...parts), parts.join('|')).toThrow(StatePathEscapeError);
    }
    expect(() => store.writeBlob('../escaped', Buffer.from('x'))).toThrow(StatePathEscapeError);
    expect(fs.existsSync(path.join(root, 'escaped'))).toBe(false);
    expect(store.pathOf('lambda', 'code', '..x')).toBe(path.join(root, 'state', 'lambda', 'code', '..x'));
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('client-keyed lookups', () => {
  it('a dictionary keeps __proto__ and constructor as ordinary keys', () => {
    const d = dictionary<string>();
    expect(d.constructor).toBeUndefined();
    d.__proto__ = 'a';
    expect(Object.keys(d)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(d))).toEqual(JSON.parse('{"__proto__":"a"}'));
    expect(dictionary(JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>).__proto__).toEqual({
      x: 1,
    });
  });

  it('an input path reads only the event’s own members', () => {
    const event = { detail: { a: 1 } };
    expect(selectJsonPath(event, '$.detail.a')).toBe(1);
    expect(selectJsonPath(event, '$.detail.constructor')).toBeUndefined();
    expect(selectJsonPath(event, '$.detail.__proto__')).toBeUndefined();
  });
});
