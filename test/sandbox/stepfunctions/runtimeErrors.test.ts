/**
 * Failures of the States Language machinery surface as AWS's States.* errors with AWS's causes, and
 * the terminal ones (States.Runtime, States.DataLimitExceeded) are neither retried nor caught, not
 * even by States.ALL — through the SDK against the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createRole, waitForExecution } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let role: string;
let n = 0;

beforeAll(async () => {
  // Fast sandbox time: the retries of the catchable case wait seconds of it.
  sb = await startTestSandbox({ timeScale: 20 });
  sfn = new SFNClient(sb.clientConfig);
  role = await createRole(sb, 'runtime-errors-role');
});
afterAll(async () => {
  await sb?.stop();
});

/**
 * Run `inner` (one state, named `Inner`) inside a Parallel whose Retry and Catch both say
 * States.ALL, so what they can and cannot handle shows.
 */
async function runGuarded(inner: Record<string, unknown>, input: unknown) {
  // A Choice needs somewhere to go.
  const extra = inner.Type === 'Choice' ? { Done: { Type: 'Succeed' } } : {};
  const made = await sfn.send(
    new CreateStateMachineCommand({
      name: `runtime-${++n}`,
      roleArn: role,
      definition: JSON.stringify({
        StartAt: 'Guard',
        States: {
          Guard: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'Inner', States: { Inner: inner, ...extra } }],
            Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      }),
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: made.stateMachineArn, input: JSON.stringify(input) }),
  );
  const done = await waitForExecution(sfn, executionArn!);
  const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
  const enteredId = (type: string): number => events.find((e: HistoryEvent) => e.type === type)!.id!;
  return { done, events, enteredId };
}

const prefix = (state: string, id: number): string =>
  `An error occurred while executing the state '${state}' (entered at the event id #${id}). `;

describe('States.Runtime: terminal, with AWS causes', () => {
  it.each([
    [
      'a template path with no value',
      { Type: 'Pass', Parameters: { 'missing.$': '$.nope.deep' }, End: true },
      { other: 1 },
      `The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{"other":1}'`,
    ],
    [
      'an InputPath with no value',
      { Type: 'Pass', InputPath: '$.a.b', End: true },
      { a: {} },
      "Invalid path '$.a.b' : No results for path: $['a']['b']",
    ],
    [
      'an OutputPath with no value',
      { Type: 'Pass', OutputPath: '$.gone', End: true },
      { here: true },
      "Invalid path '$.gone' : No results for path: $['gone']",
    ],
    [
      'a ResultPath that cannot be applied to the input',
      { Type: 'Pass', Result: 1, ResultPath: '$.x', End: true },
      [1, 2],
      'Unable to apply ReferencePath $.x to input "[1,2]"',
    ],
    [
      'a Choice rule whose variable has no value',
      {
        Type: 'Choice',
        Choices: [{ Variable: '$.status', StringEquals: 'ok', Next: 'Done' }],
        Default: 'Done',
      },
      {},
      "Invalid path '$.status': The choice state's condition path references an invalid value.",
    ],
    [
      'an intrinsic function given the wrong type',
      { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, 1)' }, End: true },
      { a: 'one' },
      "Intrinsic function States.MathAdd expected argument 1 to be of type 'number', but received string",
    ],
  ])('%s', async (_what, inner, input, cause) => {
    const { done, events, enteredId } = await runGuarded(inner, input);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
    expect(done.cause).toBe(prefix('Inner', enteredId(`${inner.Type}StateEntered`)) + cause);
    // Neither the Retry nor the Catch on States.ALL acted: the branch ran once, nothing was caught.
    expect(events.filter((e) => e.type === `${inner.Type}StateEntered`)).toHaveLength(1);
    expect(
      events.some((e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails?.name === 'Caught'),
    ).toBe(false);
  });

  it('an intrinsic function on text that is not JSON: a States error, no JavaScript error name', async () => {
    const { done, enteredId } = await runGuarded(
      { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.s)' }, End: true },
      { s: 'not json' },
    );
    expect(done.error).toBe('States.Runtime');
    expect(done.cause!.startsWith(prefix('Inner', enteredId('PassStateEntered')))).toBe(true);
    expect(done.cause).not.toMatch(/SyntaxError|TypeError|ExecutionError|RuntimeError/);
  });
});

describe('other built-in errors', () => {
  it('States.DataLimitExceeded is terminal too', async () => {
    const s = 'x'.repeat(150_000);
    const { done, events } = await runGuarded(
      { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true },
      { s },
    );
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.DataLimitExceeded');
    expect(done.cause).toBe(
      "The state/task 'Inner' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
    expect(events.filter((e) => e.type === 'PassStateEntered')).toHaveLength(1);
  });

  it('States.NoChoiceMatched is an ordinary error: States.ALL catches it', async () => {
    const { done } = await runGuarded(
      { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'ok', Next: 'Done' }] },
      { status: 'late' },
    );
    expect(done.status).toBe('SUCCEEDED');
    const caught = JSON.parse(done.output!).caught;
    expect(caught.Error).toBe('States.NoChoiceMatched');
    expect(caught.Cause).toContain("'Inner'");
  });
});
