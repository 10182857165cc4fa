/**
 * The generic course runner: walks the selected phases of any demo step by step — narration, the
 * action, the calls it made, the check — saving progress after each step, and asking the learner
 * what next. It knows nothing of any particular demo; all I/O goes through one `CourseIO`.
 */
import type { AwsClients, CallLog, TargetClock, TargetInfo } from '../cloud/types.js';
import type { ResourceManager, TeardownReport } from '../cloud/resourceTypes.js';
import { PHASES, type CheckResult, type Demo, type PhaseId, type Step, type StepContext } from './model.js';
import type { CourseIO } from './io/types.js';
import { PromptInterruptedError } from './io/types.js';
import type { ProgressData, ProgressStore } from './progress.js';
import { callDetails, summarizeCalls } from './callSummary.js';
import { firstLine, renderCheck, renderDemoHeader, renderPhaseBanner, renderStepHeader } from './render.js';
import { runTeardownFlow, type TeardownAgent } from './teardownFlow.js';
import { describeOptionValues, resolveDemoOptions, type DemoOptionValue } from './demoOptions.js';

/** What a connected target gives the runner for one demo. */
export interface DemoSession {
  aws: AwsClients;
  target: TargetInfo;
  clock: TargetClock;
  calls: CallLog;
  resources: ResourceManager;
  teardown: TeardownAgent;
}

export interface RunOptions {
  /** Phases to run (in course order); all five when omitted. */
  phases?: PhaseId[];
  /** Skip the teardown phase. */
  keep?: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  progress: ProgressStore;
  /** How to re-run this demo on this target, e.g. `course-cli demo1 run --target aws`. */
  resumeCommand: string;
  /** How to tear it down, e.g. `course-cli demo1 teardown --target aws`. */
  teardownCommand: string;
  /** Values of the demo's own options given on the command line (by option name); defaults fill the rest. */
  demoOptions?: Readonly<Record<string, DemoOptionValue>>;
}

export type RunStatus = 'completed' | 'quit' | 'interrupted' | 'failed' | 'torn-down';

export interface RunResult {
  status: RunStatus;
  passed: number;
  failed: number;
  exitCode: number;
}

type AfterStep = 'continue' | 'repeat' | 'details' | 'quit' | 'teardown';

/** Thrown inside a step when the learner declines the teardown it asked for. */
class TeardownDeclinedError extends Error {
  override readonly name = 'TeardownDeclinedError';
}

interface StepOutcome {
  error?: unknown;
  results: CheckResult[];
}

export class CourseRunner<S> {
  private progressData!: ProgressData;
  private lastTeardown: { complete: boolean } | undefined;

  constructor(
    private readonly demo: Demo<S>,
    private readonly session: DemoSession,
    private readonly io: CourseIO,
    private readonly opts: RunOptions,
  ) {}

  async run(): Promise<RunResult> {
    const { demo, io, opts } = this;
    const selected = new Set<PhaseId>(opts.phases ?? PHASES);
    if (opts.keep) selected.delete('teardown');
    const phases = demo.phases.filter((p) => selected.has(p.id));
    renderDemoHeader(io, demo as Demo<unknown>, this.session.target.label);
    await this.loadOrResume(phases.flatMap((p) => p.steps));

    try {
      for (const phase of phases) {
        const index = PHASES.indexOf(phase.id) + 1;
        const pending = phase.steps.filter((s) => !this.progressData.steps[s.id]);
        if (pending.length === 0) {
          io.print(io.style.dim(`Phase ${index}/${PHASES.length} · ${phase.title}: already done.`));
          continue;
        }
        renderPhaseBanner(io, phase as never, index, PHASES.length);
        for (const step of pending) {
          const label = `${index}.${phase.steps.indexOf(step) + 1}`;
          const end = await this.runStepInteractively(step, label);
          if (end)
            return this.finish(
              end,
              phases.flatMap((p) => p.steps),
            );
        }
      }
    } catch (err) {
      if (err instanceof PromptInterruptedError) {
        return this.finish(
          'interrupted',
          phases.flatMap((p) => p.steps),
        );
      }
      throw err;
    }
    if (opts.keep) {
      io.print();
      io.print(`Resources kept (--keep). Tear them down later with: ${opts.teardownCommand}`);
    }
    return this.finish(
      'completed',
      phases.flatMap((p) => p.steps),
    );
  }

  /** Load saved progress and offer to resume at the first unfinished selected step. */
  private async loadOrResume(selectedSteps: Array<Step<S>>): Promise<void> {
    const { io, opts, demo } = this;
    const runId = this.session.resources.runId;
    const saved = opts.progress.load();
    const given = opts.demoOptions ?? {};
    const initial = demo.initialState(resolveDemoOptions(demo.options, given));
    if (saved && saved.runId && runId && saved.runId !== runId) {
      io.note(`Saved progress belonged to an earlier deployment (run ${saved.runId}); starting fresh.`);
    } else if (saved) {
      this.progressData = saved;
      this.progressData.state = { ...(initial as object), ...(saved.state as object) };
      if (Object.keys(given).length > 0 && Object.keys(saved.steps).length > 0) {
        io.note(
          `${describeOptionValues(given)} shapes a new deployment; run ${runId} keeps the options it was ` +
            `set up with. Tear it down first to start one with these.`,
        );
      }
      const next = selectedSteps.find((s) => !saved.steps[s.id]);
      const doneCount = selectedSteps.filter((s) => saved.steps[s.id]).length;
      if (next && doneCount > 0) {
        const answer = await io.select({
          message: `You completed ${doneCount} of ${selectedSteps.length} steps earlier. Resume at "${next.title}"?`,
          choices: [
            { value: 'resume', label: `Resume at "${next.title}"` },
            { value: 'restart', label: 'Start the selected phases again (existing resources are reused)' },
          ],
          defaultValue: 'resume',
        });
        if (answer === 'restart') for (const s of selectedSteps) delete saved.steps[s.id];
      } else if (!next) {
        io.note('Every selected step was completed earlier; running them again.');
        for (const s of selectedSteps) delete saved.steps[s.id];
      }
      this.progressData.runId = runId;
      return;
    }
    this.progressData = opts.progress.fresh(initial, runId);
  }

  private context(): StepContext<S> {
    const { session, io, opts } = this;
    return {
      aws: session.aws,
      target: session.target,
      clock: session.clock,
      resources: session.resources,
      state: this.progressData.state as S,
      out: io,
      calls: session.calls,
      signal: opts.signal,
      teardown: async (): Promise<TeardownReport> => {
        const outcome = await runTeardownFlow(io, session.teardown, opts.signal);
        if (outcome.kind === 'declined') throw new TeardownDeclinedError('Teardown declined.');
        const report: TeardownReport =
          outcome.kind === 'done'
            ? outcome.report
            : { deleted: [], alreadyGone: [], failed: [], leftovers: [] };
        this.lastTeardown = {
          complete: outcome.kind === 'nothing' || (outcome.kind === 'done' && outcome.complete),
        };
        return report;
      },
    };
  }

  /** Run one step until the learner moves on; returns a run-ending status, or undefined to go on. */
  private async runStepInteractively(step: Step<S>, label: string): Promise<RunStatus | undefined> {
    const { io, opts } = this;
    for (;;) {
      renderStepHeader(io, step as never, label);
      const mark = this.session.calls.mark();
      const outcome = await this.runStep(step, mark);
      const calls = this.session.calls.since(mark);
      if (opts.signal.aborted) return 'interrupted';
      if (outcome.error instanceof TeardownDeclinedError) return 'quit';
      if (outcome.error === undefined) {
        const passed = outcome.results.filter((r) => r.passed).length;
        this.progressData.steps[step.id] = {
          completedAt: new Date().toISOString(),
          passed,
          failed: outcome.results.length - passed,
        };
        opts.progress.save(this.progressData);
      } else {
        const e = outcome.error as Error;
        io.print(
          io.style.bad(`  ✖ The step failed: ${e?.name ?? 'Error'}: ${firstLine(e?.message ?? String(e))}`),
        );
        if (!io.interactive) return 'failed';
      }

      for (;;) {
        const choice = await this.askAfterStep(outcome.error !== undefined);
        if (choice === 'details') {
          this.showDetails(calls);
          continue;
        }
        if (choice === 'continue') return undefined;
        if (choice === 'quit') return 'quit';
        if (choice === 'teardown') {
          const t = await runTeardownFlow(io, this.session.teardown, opts.signal);
          if (t.kind === 'declined') continue;
          return t.kind === 'done' && !t.complete ? 'failed' : 'torn-down';
        }
        break; // repeat
      }
    }
  }

  private async runStep(step: Step<S>, mark: number): Promise<StepOutcome> {
    const ctx = this.context();
    const showCalls = (): void =>
      this.io.print(this.io.style.dim(`  ${summarizeCalls(ctx.calls.since(mark))}`));
    try {
      await this.io.progress(step.title, () => step.run(ctx));
    } catch (error) {
      showCalls();
      return { error: error ?? new Error('step failed'), results: [] };
    }
    showCalls();
    if (this.opts.signal.aborted) return { results: [] };
    let results: CheckResult[];
    try {
      results = await step.check(ctx);
    } catch (err) {
      results = [
        {
          label: 'the check could run',
          passed: false,
          expected: 'no error',
          actual: firstLine(String((err as Error)?.message ?? err)),
        },
      ];
    }
    for (const r of results) renderCheck(this.io, r);
    return { results };
  }

  private async askAfterStep(failed: boolean): Promise<AfterStep> {
    return this.io.select<AfterStep>({
      message: failed ? 'The step failed. What now?' : 'What next?',
      choices: [
        ...(failed ? [] : [{ value: 'continue' as const, label: 'Continue' }]),
        { value: 'repeat', label: 'Repeat this step' },
        { value: 'details', label: 'Show details (calls made, AWS CLI equivalents)' },
        { value: 'quit', label: 'Quit, keeping resources (resume later)' },
        { value: 'teardown', label: 'Tear down now' },
      ],
      defaultValue: failed ? 'repeat' : 'continue',
      quietWhenDefault: true,
    });
  }

  private showDetails(calls: ReturnType<CallLog['since']>): void {
    const { io } = this;
    if (calls.length === 0) {
      io.print('  This step made no AWS calls.');
      return;
    }
    for (const d of callDetails(calls, this.session.calls)) {
      io.print(`  ${io.style.bold(d.name)} ${io.style.dim(d.outcome)}`);
      io.print(`    $ ${d.cli}`);
    }
  }

  private finish(status: RunStatus, steps: Array<Step<S>>): RunResult {
    const { io, opts } = this;
    let passed = 0;
    let failed = 0;
    for (const s of steps) {
      const rec = this.progressData.steps[s.id];
      passed += rec?.passed ?? 0;
      failed += rec?.failed ?? 0;
    }
    if (status === 'torn-down' || (this.lastTeardown?.complete && status === 'completed')) {
      opts.progress.reset();
    } else {
      opts.progress.save(this.progressData);
    }
    io.print();
    const checks = `${passed} check${passed === 1 ? '' : 's'} passed, ${failed} failed`;
    io.print(failed > 0 ? io.style.bad(checks) : io.style.ok(checks));
    if (status === 'interrupted' || status === 'quit' || status === 'failed') {
      io.print(`Progress saved. Resume with: ${opts.resumeCommand}`);
      io.print(`Remove what was created with: ${opts.teardownCommand}`);
    }
    const exitCode = status === 'interrupted' ? 130 : status === 'failed' || failed > 0 ? 1 : 0;
    return { status, passed, failed, exitCode };
  }
}
