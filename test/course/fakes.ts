/**
 * Test doubles for the runner: an I/O channel that records every line and answers questions from a
 * script, a call log, a resource manager, and a small demo declared in the test.
 */
import { LineOutput, PLAIN_STYLE } from '../../src/course/io/lineOutput.js';
import { PromptInterruptedError, type SelectQuestion } from '../../src/course/io/types.js';
import type { CallLog, RecordedCall, TargetClock } from '../../src/cloud/types.js';
import type { CreatedResource, ResourceManager, TeardownReport } from '../../src/cloud/resourceTypes.js';
import type { DemoSession } from '../../src/course/runner.js';
import { PHASES, type CheckResult, type Demo, type StepContext } from '../../src/course/model.js';

export type Answer = string | boolean | 'INTERRUPT';

export class RecordingIO extends LineOutput {
  readonly style = PLAIN_STYLE;
  readonly lines: string[] = [];
  readonly questions: string[] = [];
  constructor(
    readonly interactive: boolean,
    private readonly answers: Answer[] = [],
  ) {
    super();
  }
  print(text = ''): void {
    this.lines.push(text);
  }
  private next(defaultValue: string | boolean): string | boolean {
    if (!this.interactive) return defaultValue;
    const a = this.answers.shift();
    if (a === 'INTERRUPT') throw new PromptInterruptedError();
    return a ?? defaultValue;
  }
  async select<T extends string>(q: SelectQuestion<T>): Promise<T> {
    this.questions.push(q.message);
    const a = this.next(q.defaultValue) as T;
    if (!q.choices.some((c) => c.value === a))
      throw new Error(`answer ${a} is not a choice of "${q.message}"`);
    return a;
  }
  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    this.questions.push(message);
    return this.next(defaultValue) as boolean;
  }
  async progress<T>(text: string, work: (update: (t: string) => void) => Promise<T>): Promise<T> {
    this.print(`… ${text}`);
    return work(() => undefined);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export class FakeCallLog implements CallLog {
  readonly calls: RecordedCall[] = [];
  record(service: string, operation: string, input: unknown = {}): void {
    this.calls.push({ service, operation, input, startedAt: 0, durationMs: 5, outcome: 'ok' });
  }
  mark(): number {
    return this.calls.length;
  }
  since(mark: number): RecordedCall[] {
    return this.calls.slice(mark);
  }
  all(): RecordedCall[] {
    return [...this.calls];
  }
  toCli(call: RecordedCall): string {
    return `aws ${call.service.toLowerCase()} ${call.operation} --cli-input-json '${JSON.stringify(call.input)}'`;
  }
}

export function fakeSession(
  opts: { runId?: string; resources?: CreatedResource[]; teardownReport?: Partial<TeardownReport> } = {},
): DemoSession & { calls: FakeCallLog; applied: number } {
  const created: CreatedResource[] = [...(opts.resources ?? [])];
  const calls = new FakeCallLog();
  const clock: TargetClock = {
    now: () => Date.now(),
    sleep: async () => undefined,
    toRealMs: (ms) => ms,
    timeScale: 1,
  };
  const resources = {
    runId: opts.runId ?? 'r1',
    nameFor: (_k: string, part: string) => `course-demo-r1-${part}`,
    list: () => [...created],
  } as unknown as ResourceManager;
  const session = {
    aws: {} as DemoSession['aws'],
    target: {
      kind: 'sandbox',
      id: 'sandbox',
      label: 'sandbox (test)',
      accountId: '000000000000',
      region: 'us-east-1',
    },
    clock,
    calls,
    resources,
    applied: 0,
    teardown: {
      plan: async () => [...created].reverse(),
      apply: async (): Promise<TeardownReport> => {
        session.applied++;
        const deleted = [...created].reverse();
        created.length = 0;
        return { deleted, alreadyGone: [], failed: [], leftovers: [], ...opts.teardownReport };
      },
    },
  } satisfies DemoSession & { applied: number };
  return session;
}

export interface TestState {
  counter: number;
  log: string[];
}

/** A demo with two steps in each phase; each step appends to state.log and makes one call. */
export function fakeDemo(
  hooks: {
    run?: (id: string, ctx: StepContext<TestState>) => Promise<void> | void;
    check?: (id: string, ctx: StepContext<TestState>) => CheckResult[] | undefined;
    /** Each phase builds on the one before it (teardown on none), as demo1's do. */
    chained?: boolean;
  } = {},
): Demo<TestState> {
  return {
    id: 'demo9',
    slug: 'fake',
    title: 'Fake demo',
    lesson: 'Tests are not demos.',
    summary: 'A demo for tests.',
    diagram: '[clock] --> [lambda]',
    diagramSvg: 'assets/none.svg',
    readme: 'README.md',
    initialState: () => ({ counter: 0, log: [] }),
    phases: PHASES.map((phase, i) => ({
      id: phase,
      title: phase[0]!.toUpperCase() + phase.slice(1),
      ...(hooks.chained && i > 0 && phase !== 'teardown'
        ? { requires: [PHASES[i - 1]!], requiresBecause: `it uses what ${PHASES[i - 1]} left` }
        : {}),
      narration: { why: `why ${phase}`, what: `what ${phase}`, how: `how ${phase}` },
      steps: [1, 2].map((n) => ({
        id: `${phase}-${n}`,
        title: `${phase} step ${n}`,
        narration: { why: 'because', what: 'a thing', how: 'a call' },
        run: async (ctx: StepContext<TestState>) => {
          ctx.state.counter++;
          ctx.state.log.push(`${phase}-${n}`);
          (ctx.calls as FakeCallLog).record('S3', 'PutObject', { Key: `${phase}-${n}` });
          if (phase === 'teardown' && n === 1) await ctx.teardown();
          await hooks.run?.(`${phase}-${n}`, ctx);
        },
        check: async (ctx: StepContext<TestState>) =>
          hooks.check?.(`${phase}-${n}`, ctx) ?? [
            { label: `${phase}-${n} happened`, passed: true, expected: 'yes', actual: 'yes' },
          ],
      })),
    })),
  };
}
