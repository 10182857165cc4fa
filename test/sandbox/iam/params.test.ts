/** IAM's query parameters: member names are the client's, so none may reach a prototype. */
import { describe, expect, it } from 'vitest';
import { IamParams } from '../../../src/sandbox/iam/params.js';
import type { QueryStruct } from '../../../src/sandbox/protocols/queryXml.js';

describe('IamParams', () => {
  it('reads a member named __proto__ as a member, never as the prototype of the others', () => {
    // As the query parser gives `__proto__.roleName=abc`: an own member holding a structure.
    const input = JSON.parse('{"__proto__": {"roleName": "abc"}}') as QueryStruct;
    const params = new IamParams(input);
    expect(params.string('RoleName')).toBeUndefined();
    params.requiredString('RoleName');
    expect(() => params.check()).toThrow(/Value null at 'roleName' failed to satisfy constraint/);
  });
});
