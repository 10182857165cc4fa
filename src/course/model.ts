/**
 * A demo is data: a declaration of phases and steps. Each step has narration (WHY / WHAT / HOW),
 * an action, and a check that proves the action did what it claimed. The runner (runner.ts) is
 * generic and knows nothing about any particular demo.
 */
import type { AwsClients, CallLog, TargetClock, TargetInfo } from '../cloud/types.js';
import type { ResourceManager, TeardownReport } from '../cloud/resourceTypes.js';
import type { DemoOption, DemoOptionValues } from './demoOptions.js';
import type { TargetTime } from './targetTime.js';

export const PHASES = ['setup', 'execution', 'failure', 'recovery', 'teardown'] as const;
export type PhaseId = (typeof PHASES)[number];

export interface Narration {
  /** The problem this solves — why a data engineer cares. */
  why: string;
  /** The AWS pieces involved. */
  what: string;
  /** How it is done: the SDK calls and their AWS CLI equivalents (the runner appends the calls it recorded). */
  how: string;
}

export interface CheckResult {
  /** What is being checked, e.g. "curated record count equals uploaded". */
  label: string;
  passed: boolean;
  expected: string;
  actual: string;
}

/** A table the step wants shown (log lines, a curated summary, a resource list). */
export interface Table {
  title?: string;
  /** A line under the title that says once what a column's title is too short to (e.g. whose clock). */
  note?: string | undefined;
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** Output a step may produce. All of it goes through the runner's single I/O channel. */
export interface StepOutput {
  /**
   * A paragraph of plain text. `lead` (e.g. a time) goes before its first line, and the lines after
   * the first align under the text, not under the lead.
   */
  say(text: string, opts?: { lead?: string }): void;
  /** Something worth noticing (yellow in a TTY). */
  note(text: string): void;
  table(table: Table): void;
  /** Verbatim text (log lines, JSON), shown indented. */
  block(title: string, text: string): void;
  /**
   * Show progress while `work` runs: a spinner with elapsed time in a TTY, plain start/end lines
   * otherwise. `update` changes the text (e.g. a countdown).
   */
  progress<T>(text: string, work: (update: (text: string) => void) => Promise<T>): Promise<T>;
}

/** Everything a step's action and check receive. */
export interface StepContext<S> {
  aws: AwsClients;
  /** For display only (account, region, console links). Never branch behaviour on it. */
  target: TargetInfo;
  clock: TargetClock;
  /** How to show the target's times (sandbox time is not the learner's clock; see targetTime.ts). */
  time: TargetTime;
  resources: ResourceManager;
  /** The demo's own state, persisted with progress (resource names, counts, ARNs). Mutate freely. */
  state: S;
  out: StepOutput;
  calls: CallLog;
  /** Aborted when the learner presses Ctrl-C; long waits should honour it. */
  signal: AbortSignal;
  /**
   * Delete everything this run's ledger names (reverse dependency order, NotFound = done), then
   * sweep for anything still carrying the run's tags. Used by the teardown phase.
   */
  teardown(): Promise<TeardownReport>;
}

export interface Step<S> {
  /** Stable id, unique within the demo (progress is saved by it). */
  id: string;
  title: string;
  narration: Narration;
  /** Do the work. Must be safe to run again (the learner may repeat a step, or resume after a crash). */
  run(ctx: StepContext<S>): Promise<void>;
  /** Prove it: each result is shown ✔/✖ with expected vs actual. */
  check(ctx: StepContext<S>): Promise<CheckResult[]>;
}

export interface Phase<S> {
  id: PhaseId;
  title: string;
  /** Shown when the phase starts. */
  narration: Narration;
  steps: Step<S>[];
  /**
   * Phases whose results this one builds on (e.g. recovery repairs what failure broke). A run that
   * selects this phase without them runs them first (if the learner agrees) or refuses.
   */
  requires?: PhaseId[];
  /** Why this phase needs `requires`, in a few words for the learner (e.g. "it repairs the late hour"). */
  requiresBecause?: string;
}

export interface Demo<S = Record<string, unknown>> {
  /** `demo1`, `demo2`, `demo3`. */
  id: string;
  /** Long name that also works on the command line, e.g. `scheduler-lambda`. */
  slug: string;
  title: string;
  /** The one-line lesson, e.g. "A clock is not an orchestrator". */
  lesson: string;
  /** A few sentences for `list` and the menu. */
  summary: string;
  /** Architecture drawn in the terminal at the start when it fits (plain text, ≤ 100 columns). */
  diagram: string;
  /** Path (relative to the package root) of the SVG architecture diagram in assets/. */
  diagramSvg: string;
  /** Path (relative to the package root) of the demo's README. */
  readme: string;
  /**
   * Demo-specific flags of `<demo> run` (e.g. `--hours`), shown by `--help`; their values reach
   * `initialState`. Declared in the demo's meta.ts so the CLI can offer them without loading the demo.
   */
  options?: readonly DemoOption[];
  /**
   * Fresh state for a new deployment, shaped by the demo's options (every declared option has a
   * value: the one given on the command line, else its default). A resumed deployment keeps its state.
   */
  initialState(options: DemoOptionValues): S;
  /** Exactly the five phases, in order: setup, execution, failure, recovery, teardown. */
  phases: Phase<S>[];
}

/**
 * What the catalog shows of a demo (`list`, `--help`, the menu) without loading its steps. Each
 * demo keeps it in its own small module (`meta.ts`, no SDK imports) and spreads it into its Demo.
 */
export type DemoMeta = Pick<
  Demo,
  'id' | 'slug' | 'title' | 'lesson' | 'summary' | 'diagramSvg' | 'readme' | 'options'
>;
