/**
 * The schema compiled once (aslSchemaValidator.ts), and the standalone code the build writes, find
 * exactly what asl-validator (which compiles it on every call) finds: the same instance paths and
 * messages, for valid and broken definitions.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import {
  PRECOMPILED_FILE,
  aslSchemaFindings,
  precompiledAslSchemaFindings,
  writePrecompiledAslSchema,
} from '../../../src/sandbox/stepfunctions/aslSchemaValidator.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  def: object,
  opts: { checkPaths: boolean; checkArn: boolean },
) => { errors: Array<{ 'Error code': string; Message: string }> };

/** asl-validator's own schema findings, as "<path> is invalid. <message>". */
function reference(def: object): string[] {
  return aslValidator(structuredClone(def), { checkPaths: true, checkArn: true })
    .errors.filter((e) => e['Error code'] === 'SCHEMA_VALIDATION_FAILED')
    .map((e) => e.Message);
}

const asl = (file: string): object => JSON.parse(fs.readFileSync(file, 'utf8')) as object;
const TASK = 'arn:aws:lambda:us-east-1:123456789012:function:f';

const DEFINITIONS: Array<[string, object]> = [
  ['demo2 pipeline', asl('demos/demo2-event-driven-step-functions/pipeline.asl.json')],
  ['demo3 reconcile-orders', asl('demos/demo3-hybrid-reconciliation/reconcile-orders.asl.json')],
  ['no StartAt', { States: { A: { Type: 'Succeed' } } }],
  [
    'a path that is not one',
    { StartAt: 'A b', States: { 'A b': { Type: 'Pass', OutputPath: 'x', End: true } } },
  ],
  ['an unknown field', { StartAt: 'A', States: { A: { Type: 'Pass', Bogus: 1, End: true } } }],
  [
    'a bad Choice rule',
    {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', StringLooksLike: 'a', Next: 'S' }], Default: 'S' },
        S: { Type: 'Succeed' },
      },
    },
  ],
  [
    'a bad Retry',
    {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: TASK,
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 'x' }],
          End: true,
        },
      },
    },
  ],
  ['a bad ARN', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'nope', End: true } } }],
  [
    'JSONata with a broken expression',
    {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% $x + %}', End: true } },
    },
  ],
  [
    'a Parallel branch with a bad state',
    {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: -1, End: true } } }],
          End: true,
        },
      },
    },
  ],
];

describe('aslSchemaFindings', () => {
  it.each(DEFINITIONS)('%s: the same findings as asl-validator', (_name, def) => {
    const before = JSON.stringify(def);
    const ours = aslSchemaFindings(def).map((f) => `${f.instancePath} is invalid. ${f.message}`);
    expect(ours).toEqual(reference(def));
    expect(JSON.stringify(def)).toBe(before);
  });

  it('the standalone validator the build writes finds the same, for every definition', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-asl-schema-'));
    try {
      writePrecompiledAslSchema(dir);
      const standalone = precompiledAslSchemaFindings(path.join(dir, PRECOMPILED_FILE));
      for (const [name, def] of DEFINITIONS) {
        expect(
          standalone(def).map((f) => `${f.instancePath} is invalid. ${f.message}`),
          name,
        ).toEqual(reference(def));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds something in each broken definition (the comparison is not vacuous)', () => {
    for (const [name, def] of DEFINITIONS.slice(2)) expect(aslSchemaFindings(def), name).not.toEqual([]);
  });
});
