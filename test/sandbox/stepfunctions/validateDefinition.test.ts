/**
 * ValidateStateMachineDefinition through the SDK (the AWS CLI 2.9 predates the operation), and the
 * same diagnostics behind CreateStateMachine's InvalidDefinition. Expected codes, messages and
 * locations are AWS's where AWS's answers for these definitions are known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  SFNClient,
  ValidateStateMachineDefinitionCommand,
  type ValidateStateMachineDefinitionCommandOutput,
} from '@aws-sdk/client-sfn';
import { errorOf } from '../../helpers/awsErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createRole } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let role: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  sfn = new SFNClient(sb.clientConfig);
  role = await createRole(sb, 'validate-role');
});
afterAll(async () => {
  await sb?.stop();
});

const validate = (
  definition: unknown,
  more: { severity?: 'ERROR' | 'WARNING'; maxResults?: number } = {},
): Promise<ValidateStateMachineDefinitionCommandOutput> =>
  sfn.send(
    new ValidateStateMachineDefinitionCommand({
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      ...more,
    }),
  );
const summary = (out: ValidateStateMachineDefinitionCommandOutput) => ({
  result: out.result,
  truncated: out.truncated,
  diagnostics: out.diagnostics?.map((d) => ({ ...d })),
});
const ERROR = 'ERROR';

describe('ValidateStateMachineDefinition', () => {
  it('a valid definition: OK, no diagnostics', async () => {
    const out = await validate({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } },
    });
    expect(summary(out)).toEqual({ result: 'OK', truncated: false, diagnostics: [] });
  });

  it.each([
    [
      'a dangling Next: the target, then no terminal state (no location)',
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'NOPE' } } },
      [
        {
          code: 'MISSING_TRANSITION_TARGET',
          message: "Missing 'Next' target: NOPE",
          location: '/States/A/Next',
        },
        { code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' },
      ],
    ],
    [
      'a loop with nothing terminal reports only that, even with an unreachable state',
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Pass', Next: 'A' },
          X: { Type: 'Pass', Next: 'A' },
        },
      },
      [{ code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' }],
    ],
    [
      'an unreachable terminal state',
      {
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, C: { Type: 'Succeed' } },
      },
      [{ code: 'MISSING_TRANSITION_TARGET', message: 'State "C" is not reachable.', location: '/States/C' }],
    ],
    [
      "dangling Choices[].Next, Default and Catch[].Next all say 'Next'",
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'N1' }], Default: 'N2' },
        },
      },
      [
        {
          code: 'MISSING_TRANSITION_TARGET',
          message: "Missing 'Next' target: N1",
          location: '/States/C/Choices[0]/Next',
        },
        {
          code: 'MISSING_TRANSITION_TARGET',
          message: "Missing 'Next' target: N2",
          location: '/States/C/Default',
        },
        { code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' },
      ],
    ],
    [
      'fields a state type does not support, located at the state',
      {
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', TimeoutSeconds: 5, Next: 'W' },
          W: { Type: 'Wait', Seconds: 1, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }], Next: 'S' },
          S: { Type: 'Succeed', Retry: [] },
        },
      },
      [
        {
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "Field 'TimeoutSeconds' is not supported",
          location: '/States/P',
        },
        {
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "Field 'Catch' is not supported",
          location: '/States/W',
        },
        {
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "Field 'Retry' is not supported",
          location: '/States/S',
        },
      ],
    ],
    [
      'a path field that is not a path (AWS wording, as reported from AWS)',
      { StartAt: 'Pass', States: { Pass: { Type: 'Pass', OutputPath: 'Test', End: true } } },
      [
        {
          code: 'SCHEMA_VALIDATION_FAILED',
          message: 'Value must be a valid JSONPath.',
          location: '/States/Pass/OutputPath',
        },
      ],
    ],
    [
      'a missing StartAt',
      { States: { A: { Type: 'Succeed' } } },
      [
        {
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "The field 'StartAt' is required but was missing",
          location: '/',
        },
      ],
    ],
    [
      'nested containers are checked with their own locations',
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'P',
              States: { P: { Type: 'Pass', Next: 'Q' }, Q: { Type: 'Succeed' }, R: { Type: 'Succeed' } },
            },
            End: true,
          },
        },
      },
      [
        {
          code: 'MISSING_TRANSITION_TARGET',
          message: 'State "R" is not reachable.',
          location: '/States/M/ItemProcessor/States/R',
        },
      ],
    ],
    [
      'state names are unique across branches',
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'X', States: { X: { Type: 'Succeed' } } },
              { StartAt: 'X', States: { X: { Type: 'Succeed' } } },
            ],
            End: true,
          },
        },
      },
      [
        {
          code: 'DUPLICATE_STATE_NAME',
          message: 'Duplicate State name: X',
          location: '/States/Par/Branches[1]/States/X',
        },
      ],
    ],
  ])('%s', async (_what, definition, expected) => {
    const out = await validate(definition);
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics).toEqual(expected.map((d) => ({ severity: ERROR, ...d })));
  });

  it('JSON problems and empty input have their own codes', async () => {
    expect((await validate('{"StartAt": ')).diagnostics?.map((d) => d.code)).toEqual([
      'INVALID_JSON_DESCRIPTION',
    ]);
    expect((await validate('   ')).diagnostics?.map((d) => d.code)).toEqual(['MISSING_DESCRIPTION']);
  });

  it('Choice rules: an unknown operator is an unsupported field; operands have their types', async () => {
    const out = await validate({
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.x', StringLooksLike: 'a', Next: 'S' },
            { And: [{ Variable: '$.n', NumericEquals: '3' }], Next: 'S' },
          ],
          Default: 'S',
        },
        S: { Type: 'Succeed' },
      },
    });
    expect(out.diagnostics).toEqual([
      {
        severity: ERROR,
        code: 'SCHEMA_VALIDATION_FAILED',
        message: "Field 'StringLooksLike' is not supported",
        location: '/States/C/Choices[0]',
      },
      {
        severity: ERROR,
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'A Choice rule must have exactly one comparison operator, or And, Or or Not',
        location: '/States/C/Choices[0]',
      },
      {
        severity: ERROR,
        code: 'SCHEMA_VALIDATION_FAILED',
        message: "The value for the field 'NumericEquals' must be a number",
        location: '/States/C/Choices[1]/And[0]/NumericEquals',
      },
    ]);
  });

  it.each([
    [{ InputPath: '$.a[' }, 'Value must be a valid JSONPath.', '/States/S/InputPath'],
    [
      { Parameters: { 'v.$': 'States.NoSuch($.x)' } },
      'Value must be a valid JSONPath or a valid intrinsic function call.',
      '/States/S/Parameters/v.$',
    ],
  ])(
    'what only the ASL schema catches (%j) reads as AWS does, never the checker’s internals',
    async (fields, message, location) => {
      const out = await validate({ StartAt: 'S', States: { S: { Type: 'Pass', ...fields, End: true } } });
      expect(summary(out)).toEqual({
        result: 'FAIL',
        truncated: false,
        diagnostics: [{ severity: ERROR, code: 'SCHEMA_VALIDATION_FAILED', message, location }],
      });
    },
  );

  it('warnings only with severity WARNING, and they never fail the result', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { path: '$.order' }, Result: { 'x.$': '$.y' }, Next: 'F' },
        F: { Type: 'Fail', Error: '$.error' },
      },
    };
    expect(summary(await validate(definition))).toEqual({ result: 'OK', truncated: false, diagnostics: [] });
    const out = await validate(definition, { severity: 'WARNING' });
    expect(out.result).toBe('OK');
    expect(out.diagnostics!.map((d) => [d.severity, d.code, d.location])).toEqual([
      ['WARNING', 'NO_DOLLAR', '/States/P/Parameters/path'],
      ['WARNING', 'PASS_RESULT_IS_STATIC', '/States/P/Result/x.$'],
      ['WARNING', 'NO_PATH', '/States/F/Error'],
    ]);
  });

  it('maxResults limits the list and sets truncated', async () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B1' },
        B: { Type: 'Pass', Next: 'B2' },
        C: { Type: 'Pass', Next: 'B3' },
      },
    };
    const all = await validate(definition);
    expect(all.diagnostics!.length).toBe(4);
    const one = await validate(definition, { maxResults: 1 });
    expect(summary(one)).toEqual({ result: 'FAIL', truncated: true, diagnostics: [all.diagnostics![0]] });
  });

  it('a hostile, absurdly nested definition is answered, not a crash', async () => {
    let deep = '1';
    for (let i = 0; i < 50_000; i++) deep = `[${deep}]`;
    const definition = JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: 'X', End: true } },
    }).replace('"X"', deep);
    const out = await validate(definition);
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics?.map((d) => d.code)).toEqual(['TOO_DEEPLY_NESTED']);
    const e = await errorOf(
      sfn.send(new CreateStateMachineCommand({ name: 'deep', roleArn: role, definition })),
    );
    expect(e.name).toBe('InvalidDefinition');
  });

  it('rejects bad parameters as a ValidationException', async () => {
    const e = await errorOf(
      sfn.send(
        new ValidateStateMachineDefinitionCommand({
          definition: '{}',
          severity: 'LOUD' as never,
          maxResults: 101,
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/^2 validation errors detected: /);
  });
});

describe('CreateStateMachine refuses the same definitions', () => {
  it('lists every ERROR in one InvalidDefinition message, and nothing from the checker’s internals', async () => {
    const e = await errorOf(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'invalid',
          roleArn: role,
          definition: JSON.stringify({
            StartAt: 'pass1',
            States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } },
          }),
        }),
      ),
    );
    // AWS's answer for this definition (as reported against AWS).
    expect(e).toEqual({
      name: 'InvalidDefinition',
      status: 400,
      message:
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    });
    const schema = await errorOf(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'invalid-schema',
          roleArn: role,
          definition: JSON.stringify({
            StartAt: 'S',
            States: { S: { Type: 'Pass', Parameters: { 'v.$': 'nope' }, End: true } },
          }),
        }),
      ),
    );
    expect(schema.message).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call at /States/S/Parameters/v.$'",
    );
  });

  it('warnings do not stop creation', async () => {
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'warned',
        roleArn: role,
        definition: JSON.stringify({
          StartAt: 'P',
          States: { P: { Type: 'Pass', Parameters: { p: '$.x' }, End: true } },
        }),
      }),
    );
  });
});
