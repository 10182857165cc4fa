/**
 * The state graph as terminal lines: one line per state with a status mark, the main path first
 * (joined by │), then each Catch/Choice branch under a heading that says where it branches off.
 * Retry and Catch rules are annotated under their state, so the drawing also teaches what the
 * definition says. Plain text only: it must read the same in a log file.
 */
import type { GraphNode, GraphPath, StateGraph } from './executionGraph.js';
import type { ExecutionProgress, StateProgress, StateStatus } from './executionProgress.js';
import { wrapIndented } from '../layout/wrap.js';

export const STATUS_MARK: Record<StateStatus, string> = {
  pending: '○',
  running: '▶',
  retrying: '↻',
  succeeded: '✔',
  failed: '✖',
  caught: '↪',
};

export interface ViewOptions {
  /** Longest line, in columns (lines are cut with …). */
  width?: number;
  /** Show Retry/Catch rules under their states (default true). */
  rules?: boolean;
}

const fit = (text: string, width: number): string =>
  [...text].length > width ? `${[...text].slice(0, Math.max(1, width - 1)).join('')}…` : text;

/**
 * Error names for one line: several sharing a service prefix fold into one entry
 * (`Lambda.ServiceException, Lambda.SdkClientException, …` → `Lambda.* (4)`).
 */
export function errorList(errors: string[]): string {
  const byPrefix = new Map<string, string[]>();
  for (const e of errors) {
    const dot = e.indexOf('.');
    const prefix = dot > 0 ? e.slice(0, dot) : e;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), e]);
  }
  const shown: string[] = [];
  for (const e of errors) {
    const dot = e.indexOf('.');
    const group = dot > 0 ? byPrefix.get(e.slice(0, dot))! : [e];
    if (group.length < 2) shown.push(e);
    else if (group[0] === e) shown.push(`${e.slice(0, dot)}.* (${group.length})`);
  }
  return shown.join(', ');
}

function statusText(node: GraphNode, s: StateProgress | undefined, p: ExecutionProgress): string {
  if (!s || s.status === 'pending') return node.type === 'Fail' ? 'pending (Fail state)' : 'pending';
  // Error names only: a graph line must fit its width, and the causes are printed whole in the
  // transition lines above it.
  const err = s.lastError?.error ?? '';
  switch (s.status) {
    case 'running':
      return s.attempts > 1 ? `running, attempt ${s.attempts}` : 'running';
    case 'retrying':
      return `retrying: attempt ${s.attempts} failed, ${err}`;
    case 'succeeded': {
      const attempts = s.attempts > 1 ? ` on attempt ${s.attempts}` : '';
      const notRerun = p.redriveCount > 0 && s.lastRun < p.redriveCount ? ', not re-run by the redrive' : '';
      return `succeeded${attempts}${notRerun}`;
    }
    case 'caught':
      return `caught ${s.lastError?.error ?? 'an error'}${s.caughtTo ? ` → ${s.caughtTo}` : ''}`;
    case 'failed':
      if (node.type === 'Fail') return `failed here${p.error ? `: ${p.error.error}` : ''}`;
      return `failed${s.attempts > 1 ? ` after ${s.attempts} attempts` : ''}${err ? `: ${err}` : ''}`;
  }
}

function ruleLines(node: GraphNode): string[] {
  const out: string[] = [];
  for (const r of node.retries) {
    const wait =
      r.backoffRate === 1 ? `${r.intervalSeconds} s apart` : `${r.intervalSeconds} s then ×${r.backoffRate}`;
    const times = r.maxAttempts === 1 ? 'once' : `up to ${r.maxAttempts} times`;
    out.push(`Retry ${errorList(r.errors)}: ${times}, ${wait}`);
  }
  for (const c of node.catches) out.push(`Catch ${errorList(c.errors)} → ${c.next}`);
  return out;
}

function pathHeading(path: GraphPath): string | undefined {
  if (!path.from) return undefined;
  if (path.from.via === 'unreachable') return 'not reachable from StartAt:';
  return `${path.from.via} from ${path.from.state}:`;
}

/** The graph with each state's status, as lines (no trailing newline, no colour). */
export function renderExecutionGraph(
  graph: StateGraph,
  progress: ExecutionProgress,
  opts: ViewOptions = {},
): string[] {
  const width = opts.width ?? 76;
  const showRules = opts.rules ?? true;
  const nameWidth = Math.min(24, Math.max(...[...graph.nodes.keys()].map((n) => [...n].length)));
  const lines: string[] = [];
  graph.paths.forEach((path, pi) => {
    if (pi > 0) lines.push('');
    const heading = pathHeading(path);
    if (heading) lines.push(heading);
    path.nodes.forEach((name, i) => {
      const node = graph.nodes.get(name)!;
      const s = progress.states.get(name);
      const mark = STATUS_MARK[s?.status ?? 'pending'];
      const last = i === path.nodes.length - 1;
      const rail = last && !path.joins && !(node.ends && pi === 0) ? ' ' : '│';
      // A line too long for the width wraps under its own text, the rail kept on the left.
      const head = `${mark} ${name.padEnd(nameWidth)}  `;
      lines.push(
        ...wrapIndented(statusText(node, s, progress), width, {
          first: head,
          indent: `${rail}${' '.repeat(head.length - 1)}`,
        }),
      );
      if (showRules) {
        for (const r of ruleLines(node)) {
          lines.push(...wrapIndented(r, width, { first: `${rail}   `, indent: `${rail}     ` }));
        }
      }
      if (!last) lines.push('│');
    });
    if (path.joins) lines.push(`└▶ continues at ${path.joins}`);
    else if (pi === 0) {
      const lastNode = graph.nodes.get(path.nodes.at(-1) ?? '');
      if (lastNode?.ends) lines.push(`◎ end${progress.status === 'SUCCEEDED' ? ': succeeded' : ''}`);
    }
  });
  return lines.map((l) => fit(l, width));
}

/**
 * The path the execution is on, in one line, for a progress line that must stay one line:
 * `✔ Validate → ↻ Transform (attempt 1 failed) → ○ Load`. Once a Catch or Choice branch has been
 * entered, the path follows it from the state it leaves.
 */
export function renderExecutionPath(graph: StateGraph, progress: ExecutionProgress): string {
  let nodes = graph.paths[0]?.nodes ?? [];
  for (const branch of graph.paths.slice(1)) {
    const entered = branch.nodes.some((n) => (progress.states.get(n)?.entries ?? 0) > 0);
    const at = branch.from ? nodes.indexOf(branch.from.state) : -1;
    if (entered && at >= 0) nodes = [...nodes.slice(0, at + 1), ...branch.nodes];
  }
  return nodes
    .map((name) => {
      const s = progress.states.get(name);
      const status = s?.status ?? 'pending';
      const extra =
        status === 'retrying'
          ? ` (attempt ${s!.attempts} failed)`
          : status === 'running' && s!.attempts > 1
            ? ` (attempt ${s!.attempts})`
            : '';
      return `${STATUS_MARK[status]} ${name}${extra}`;
    })
    .join(' → ');
}

/** What the status marks mean, in one line (under the graph). */
export const STATUS_LEGEND = (['pending', 'running', 'retrying', 'succeeded', 'failed', 'caught'] as const)
  .map((status) => `${STATUS_MARK[status]} ${status}`)
  .join('  ');

/** The legend in as many lines of `width` as it takes, whole entries only. */
export function renderStatusLegend(width: number): string[] {
  const lines: string[] = [];
  for (const entry of STATUS_LEGEND.split('  ')) {
    const last = lines.at(-1);
    if (last !== undefined && [...`${last}  ${entry}`].length <= width)
      lines[lines.length - 1] = `${last}  ${entry}`;
    else lines.push(entry);
  }
  return lines;
}

/**
 * One line for the execution as a whole: name, status, time since it started (by the target's
 * clock; `timeScale` says when that clock runs faster than the wall clock, as the sandbox's may).
 */
export function renderExecutionHeadline(name: string, progress: ExecutionProgress, timeScale = 1): string {
  const clock = timeScale === 1 ? '' : ` target time (×${timeScale})`;
  const elapsed =
    progress.startedAt !== undefined && progress.lastEventAt !== undefined
      ? ` · ${formatOffset(progress.lastEventAt - progress.startedAt)}${clock}`
      : '';
  const redrive = progress.redriveCount > 0 ? ` · redriven ×${progress.redriveCount}` : '';
  return `Execution ${name} · ${progress.status}${redrive}${elapsed}`;
}

/**
 * A transition as a plain line: `+1.2 s Transform: attempt 1 failed — …`. Never cut: the runner's
 * output wraps it to the terminal like any paragraph.
 */
export function renderTransition(
  t: { at: number; state?: string; text: string },
  startedAt: number | undefined,
): string {
  const { lead, text } = transitionParts(t, startedAt);
  return `${lead}${text}`;
}

/**
 * A transition in two parts: the time since the start (`+1.2 s `), printed as the lead, and what
 * happened (`Transform: attempt 1 failed — …`), which wraps under itself.
 */
export function transitionParts(
  t: { at: number; state?: string; text: string },
  startedAt: number | undefined,
): { lead: string; text: string } {
  const lead = startedAt === undefined ? '' : `+${formatOffset(t.at - startedAt)} `;
  return { lead, text: `${t.state ? `${t.state}: ` : ''}${t.text}` };
}

/**
 * Time since the execution started: `12.3 s` under two minutes, then `4 min 05 s`, `3 h 37 min` (a
 * redriven execution's clock runs on from its first start, hours later on a fast sandbox clock).
 */
export function formatOffset(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}
