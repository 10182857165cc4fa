/**
 * Follow a Step Functions execution until it stops, showing it as it goes: each transition as a
 * plain line the moment the history shows it (a log, a pipe and a terminal all get these), and in a
 * terminal the path it is on with each state's status, redrawn in place on the progress line
 * (which stays one line at any width; plain output does not show it). When it stops, the whole
 * graph is printed with every state's status.
 * It polls DescribeExecution and GetExecutionHistory; waits are in target time (the sandbox's
 * clock may run faster than the wall clock) and stop on Ctrl-C.
 */
import { outputWidth } from '../layout/width.js';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { TargetClock } from '../../cloud/types.js';
import type { StepOutput } from '../model.js';
import type { StateGraph } from './executionGraph.js';
import { executionProgress, type ExecutionProgress } from './executionProgress.js';
import {
  renderStatusLegend,
  renderExecutionGraph,
  renderExecutionHeadline,
  renderExecutionPath,
  transitionParts,
} from './executionView.js';

export class ExecutionFollowTimeoutError extends Error {
  override readonly name = 'ExecutionFollowTimeoutError';
}

export class ExecutionFollowAbortedError extends Error {
  override readonly name = 'ExecutionFollowAbortedError';
}

export interface FollowOptions {
  sfn: SFNClient;
  executionArn: string;
  graph: StateGraph;
  out: StepOutput;
  clock: TargetClock;
  signal: AbortSignal;
  /** Give up after this much target time (default 5 minutes). */
  timeoutMs?: number;
  /** Shown while following (default "Following execution <name>"). */
  label?: string;
  /** Print only transitions of events after this id (e.g. those before a redrive were shown already). */
  afterEventId?: number;
  /** Longest line (default: the terminal's width less the indent, 40–96; 96 when not a terminal). */
  width?: number;
  /**
   * What is printed when it stops: the whole graph with its legend (default), or only the path it
   * took in one line — for a demo following the same state machine again, once the learner has
   * seen the graph.
   */
  finalView?: 'graph' | 'path';
}

export interface FollowedExecution {
  description: DescribeExecutionCommandOutput;
  events: HistoryEvent[];
  progress: ExecutionProgress;
  /** The final graph's lines, as printed. */
  graph: string[];
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** A poll about every 100 ms of real time on a fast sandbox clock, every second on AWS. */
const MIN_POLL_TARGET_MS = 1_000;
const POLL_REAL_MS = 100;

/** Lines are printed with a 4-column indent (a block's `  │ `); keep them within the terminal. */
/** The runner's text width less the block's gutter, so the graph fits the block it is printed in. */
function defaultWidth(): number {
  return Math.max(40, Math.min(96, outputWidth() - 4));
}

/** The whole history, oldest first (paged). */
export async function readExecutionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        nextToken,
        includeExecutionData: true,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The execution's name: the last part of its ARN. */
export const executionName = (arn: string): string => arn.split(':').at(-1) ?? arn;

export async function followExecution(opts: FollowOptions): Promise<FollowedExecution> {
  const { sfn, executionArn, graph, out, clock, signal } = opts;
  const name = executionName(executionArn);
  const shortName = name.length > 12 ? `${name.slice(0, 8)}…` : name;
  const width = opts.width ?? defaultWidth();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = Math.max(MIN_POLL_TARGET_MS, POLL_REAL_MS * clock.timeScale);
  const started = clock.now();
  let printed = 0;

  const label = opts.label ?? `Following execution ${name}`;
  const followed = await out.progress(label, async (update) => {
    for (;;) {
      if (signal.aborted) throw new ExecutionFollowAbortedError(`stopped while following ${name}`);
      const [description, events] = await Promise.all([
        sfn.send(new DescribeExecutionCommand({ executionArn })),
        readExecutionHistory(sfn, executionArn),
      ]);
      const progress = executionProgress(graph, events);
      const shown = progress.transitions.filter(
        (t) => opts.afterEventId === undefined || t.eventId > opts.afterEventId,
      );
      for (const t of shown.slice(printed)) {
        const { lead, text } = transitionParts(t, progress.startedAt);
        out.say(text, { lead });
      }
      printed = shown.length;
      // The progress line is one line in every terminal: the path the execution is on.
      update(`${shortName}: ${renderExecutionPath(graph, progress)}`);
      // The history has the final event once the description says it stopped (both must agree).
      if (description.status !== 'RUNNING' && progress.status !== 'RUNNING') {
        // Back to one line: the progress line's last text may be left on screen when it ends, and
        // the final graph is printed below anyway.
        update(label);
        return { description, events, progress };
      }
      if (clock.now() - started >= timeoutMs) {
        throw new ExecutionFollowTimeoutError(
          `execution ${name} was still ${description.status ?? 'RUNNING'} after ${Math.round(timeoutMs / 1000)} s of target time`,
        );
      }
      await clock.sleep(pollMs, signal);
    }
  });
  const graphLines =
    opts.finalView === 'path'
      ? [renderExecutionPath(graph, followed.progress)]
      : [...renderExecutionGraph(graph, followed.progress, { width }), '', ...renderStatusLegend(width)];
  out.block(renderExecutionHeadline(name, followed.progress, clock.timeScale), graphLines.join('\n'));
  return { ...followed, graph: graphLines };
}
