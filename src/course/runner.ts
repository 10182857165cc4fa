/**
 * The generic course runner: walks the selected phases of any demo step by step — narration, the
 * action, the calls it made, the check — saving progress after each step, and asking the learner
 * what next. It knows nothing of any particular demo; all I/O goes through one `CourseIO`.
 */
import type { AwsClients, CallLog, TargetClock, TargetInfo } from '../cloud/types.js';
import type { ResourceManager, TeardownReport } from '../cloud/resourceTypes.js';
import {
  PHASES,
  type CheckResult,
  type Demo,
  type Phase,
  type PhaseId,
  type Step,
  type StepContext,
} from './model.js';
import type { CourseIO } from './io/types.js';
import { PromptInterruptedError } from './io/types.js';
import { isStepComplete, type ProgressData, type ProgressStore } from './progress.js';
import { summarizeCalls } from './callSummary.js';
import { askAfterStep, showDetails } from './afterStep.js';
import { firstLine, renderCheck, renderDemoHeader, renderPhaseBanner, renderStepHeader } from './render.js';
import { runTeardownFlow, type TeardownAgent } from './teardownFlow.js';
import { describeOptionValues, resolveDemoOptions, type DemoOptionValue } from './demoOptions.js';
import { fromPackageRoot } from './packageFiles.js';
import { targetTime, type TargetTime } from './targetTime.js';
import {
  PhasePrerequisiteError,
  dependentsOf,
  inCourseOrder,
  listPhases,
  missingPrerequisites,
} from './phasePlan.js';
import { summarizeRun, type RunSummary } from './runSummary.js';
import { wrapIndented } from './layout/wrap.js';

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
  /** How to re-run this demo on this target, e.g. `npx course-cli demo1 run --target aws`. */
  resumeCommand: string;
  /** How to tear it down, e.g. `npx course-cli demo1 teardown --target aws`. */
  teardownCommand: string;
  /** Shown above "show details": what the AWS CLI commands need (credentials, endpoint). */
  detailsNote?: string[];
  /** Values of the demo's own options given on the command line (by option name); defaults fill the rest. */
  demoOptions?: Readonly<Record<string, DemoOptionValue>>;
}

export type RunStatus = 'completed' | 'quit' | 'interrupted' | 'failed' | 'torn-down';

export interface RunResult {
  status: RunStatus;
  passed: number;
  failed: number;
  /** Steps whose action failed (their checks did not run). */
  failedSteps: number;
  exitCode: number;
}

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
  private readonly time: TargetTime;
  /** Step labels (`3.2`) by step id, for the summary. */
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly demo: Demo<S>,
    private readonly session: DemoSession,
    private readonly io: CourseIO,
    private readonly opts: RunOptions,
  ) {
    this.time = targetTime(session.target.kind, session.clock);
    for (const phase of demo.phases) {
      const index = PHASES.indexOf(phase.id) + 1;
      phase.steps.forEach((s, i) => this.labels.set(s.id, `${index}.${i + 1}`));
    }
  }

  async run(): Promise<RunResult> {
    const { demo, io, opts } = this;
    const earlier = this.loadProgress();
    let selected = this.selectedPhases();
    const missing = missingPrerequisites(demo as Demo<unknown>, selected, (p) => this.phaseComplete(p));
    if (missing.length > 0 && !io.interactive)
      throw new PhasePrerequisiteError(this.prerequisiteText(selected, missing, true));

    renderDemoHeader(io, demo as Demo<unknown>, this.session.target.label, fromPackageRoot(demo.diagramSvg));
    if (earlier) io.note(earlier);
    if (missing.length > 0) {
      const go = await io.confirm(this.prerequisiteText(selected, missing, false), true);
      if (!go) throw new PhasePrerequisiteError(this.prerequisiteText(selected, missing, true));
      selected = inCourseOrder([...missing, ...selected]);
    }
    const phases = demo.phases.filter((p) => selected.includes(p.id));
    const steps = phases.flatMap((p) => p.steps);
    try {
      await this.offerResume(steps);
      for (const phase of phases) {
        const index = PHASES.indexOf(phase.id) + 1;
        const pending = phase.steps.filter((s) => !isStepComplete(this.progressData.steps[s.id]));
        if (pending.length === 0) {
          io.print(io.style.dim(`Phase ${index}/${PHASES.length} · ${phase.title}: already done.`));
          continue;
        }
        this.forgetDependents(phase);
        renderPhaseBanner(io, phase as never, index, PHASES.length);
        for (const step of pending) {
          const end = await this.runStepInteractively(step, step === steps.at(-1));
          if (end) return this.finish(end, steps);
        }
      }
    } catch (err) {
      if (err instanceof PromptInterruptedError) return this.finish('interrupted', steps);
      throw err;
    }
    if (opts.keep) {
      io.print();
      io.say(`Resources kept (--keep). Tear them down later with: ${opts.teardownCommand}`);
    }
    return this.finish('completed', steps);
  }

  private selectedPhases(): PhaseId[] {
    const selected = new Set<PhaseId>(this.opts.phases ?? PHASES);
    if (this.opts.keep) selected.delete('teardown');
    return inCourseOrder(selected);
  }

  private phaseComplete(id: PhaseId): boolean {
    const phase = this.demo.phases.find((p) => p.id === id);
    return !!phase && phase.steps.every((s) => isStepComplete(this.progressData.steps[s.id]));
  }

  /** "recovery builds on failure (it repairs the hour failure left wrong), which has not run …" */
  private prerequisiteText(selected: PhaseId[], missing: PhaseId[], refusal: boolean): string {
    const needing = selected.filter((p) => missing.some((m) => this.needs(p, m)));
    const reasons = needing
      .map((p) => this.demo.phases.find((x) => x.id === p))
      .filter((p): p is Phase<S> => !!p?.requiresBecause)
      .map((p) => ` (${p.id}: ${p.requiresBecause})`)
      .join('');
    const head =
      `${listPhases(needing)} ${needing.length === 1 ? 'builds' : 'build'} on ${listPhases(missing)}${reasons}, ` +
      `which ${missing.length === 1 ? 'has' : 'have'} not run on this deployment.`;
    if (!refusal) return `${head} Run ${listPhases(missing)} first?`;
    const flags = inCourseOrder([...missing, ...selected])
      .map((p) => `--phase ${p}`)
      .join(' ');
    return `${head} Run them together: ${this.opts.resumeCommand} ${flags}`;
  }

  private needs(phase: PhaseId, other: PhaseId): boolean {
    return missingPrerequisites(this.demo as Demo<unknown>, [phase], () => false).includes(other);
  }

  /** Re-running a phase makes the phases built on it stale: they must run again to be true. */
  private forgetDependents(phase: Phase<S>): void {
    for (const id of dependentsOf(this.demo as Demo<unknown>, phase.id)) {
      for (const s of this.demo.phases.find((p) => p.id === id)?.steps ?? [])
        delete this.progressData.steps[s.id];
    }
  }

  /** Saved progress of this deployment, or a fresh record; returns a note for the learner, if any. */
  private loadProgress(): string | undefined {
    const { opts, demo } = this;
    const runId = this.session.resources.runId;
    const saved = opts.progress.load();
    const given = opts.demoOptions ?? {};
    const initial = demo.initialState(resolveDemoOptions(demo.options, given));
    if (saved && !saved.finished && (!saved.runId || !runId || saved.runId === runId)) {
      this.progressData = saved;
      this.progressData.state = { ...(initial as object), ...(saved.state as object) };
      this.progressData.runId = runId;
      if (Object.keys(given).length > 0 && Object.values(saved.steps).some(isStepComplete)) {
        return (
          `${describeOptionValues(given)} shapes a new deployment; run ${runId} keeps the options it was ` +
          `set up with. Tear it down first to start one with these.`
        );
      }
      return undefined;
    }
    this.progressData = opts.progress.fresh(initial, runId);
    if (saved && !saved.finished) {
      return `Saved progress belonged to an earlier deployment (run ${saved.runId}); starting fresh.`;
    }
    return undefined;
  }

  /** Offer to resume at the first unfinished selected step. */
  private async offerResume(selectedSteps: Array<Step<S>>): Promise<void> {
    const { io } = this;
    const saved = this.progressData.steps;
    const next = selectedSteps.find((s) => !isStepComplete(saved[s.id]));
    const doneCount = selectedSteps.filter((s) => isStepComplete(saved[s.id])).length;
    if (doneCount === 0) return;
    if (next) {
      const answer = await io.select({
        message: `You completed ${doneCount} of ${selectedSteps.length} steps earlier. Resume at "${next.title}"?`,
        choices: [
          { value: 'resume', label: `Resume at "${next.title}"` },
          { value: 'restart', label: 'Start the selected phases again (existing resources are reused)' },
        ],
        defaultValue: 'resume',
      });
      if (answer === 'restart') for (const s of selectedSteps) delete saved[s.id];
    } else {
      io.note('Every selected step was completed earlier; running them again.');
      for (const s of selectedSteps) delete saved[s.id];
    }
  }

  private context(): StepContext<S> {
    const { session, io, opts } = this;
    return {
      aws: session.aws,
      target: session.target,
      clock: session.clock,
      time: this.time,
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
  private async runStepInteractively(step: Step<S>, last: boolean): Promise<RunStatus | undefined> {
    const { io, opts } = this;
    for (;;) {
      renderStepHeader(io, step as never, this.labels.get(step.id) ?? '?');
      const mark = this.session.calls.mark();
      const outcome = await this.runStep(step, mark);
      const calls = this.session.calls.since(mark);
      if (opts.signal.aborted) return 'interrupted';
      if (outcome.error instanceof TeardownDeclinedError) return 'quit';
      const passed = outcome.results.filter((r) => r.passed).length;
      const failed = outcome.results.length - passed;
      const error = outcome.error === undefined ? undefined : describeStepError(outcome.error);
      this.progressData.steps[step.id] = {
        completedAt: new Date().toISOString(),
        passed,
        failed,
        ...(error ? { error } : {}),
      };
      opts.progress.save(this.progressData);
      if (error) {
        for (const l of wrapIndented(`The step failed: ${error}`, io.width, {
          first: '  ✖ ',
          indent: '    ',
        })) {
          io.print(io.style.bad(l));
        }
        if (!io.interactive) return 'failed';
      }

      for (;;) {
        const deployed = (await this.session.teardown.plan()).length > 0;
        const choice = await askAfterStep(io, {
          stepFailed: error !== undefined,
          checksFailed: failed,
          last,
          deployed,
        });
        if (choice === 'details') {
          showDetails(io, calls, this.session.calls, this.opts.detailsNote);
          continue;
        }
        if (choice === 'continue') return undefined;
        if (choice === 'quit') return 'quit';
        if (choice === 'teardown') {
          const t = await runTeardownFlow(io, this.session.teardown, opts.signal);
          if (t.kind === 'declined') continue;
          this.lastTeardown = { complete: t.kind === 'nothing' || (t.kind === 'done' && t.complete) };
          return t.kind === 'done' && !t.complete ? 'failed' : 'torn-down';
        }
        break; // repeat
      }
    }
  }

  private async runStep(step: Step<S>, mark: number): Promise<StepOutcome> {
    const ctx = this.context();
    const showCalls = (): void => {
      const summary = summarizeCalls(ctx.calls.since(mark));
      for (const l of wrapIndented(summary, this.io.width, { indent: '    ', first: '  ' })) {
        this.io.print(this.io.style.dim(l));
      }
    };
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

  private async finish(status: RunStatus, steps: Array<Step<S>>): Promise<RunResult> {
    const { io, opts } = this;
    const summary: RunSummary = summarizeRun(steps, this.progressData.steps, this.labels);
    const tornDown = status === 'torn-down' || this.lastTeardown?.complete === true;
    if (tornDown) {
      this.progressData.finished = {
        at: new Date().toISOString(),
        passed: summary.passed,
        failed: summary.failed,
        failedSteps: summary.failedSteps.length,
        tornDown: true,
      };
    }
    opts.progress.save(this.progressData);
    io.print();
    io.print(summary.ok ? io.style.ok(summary.line) : io.style.bad(summary.line));
    if (!tornDown && (status === 'interrupted' || status === 'quit' || status === 'failed')) {
      io.say(`Progress saved. Resume with: ${opts.resumeCommand}`);
      if ((await this.session.teardown.plan()).length > 0) {
        io.say(`Remove what was created with: ${opts.teardownCommand}`);
      }
    }
    const failedAny = !summary.ok || status === 'failed';
    const exitCode = status === 'interrupted' ? 130 : failedAny ? 1 : 0;
    return {
      status,
      passed: summary.passed,
      failed: summary.failed,
      failedSteps: summary.failedSteps.length,
      exitCode,
    };
  }
}

function describeStepError(error: unknown): string {
  const e = error as Error;
  return `${e?.name ?? 'Error'}: ${firstLine(e?.message ?? String(e))}`;
}
