/**
 * A state machine definition (Amazon States Language) as a graph a terminal can draw: the main
 * path from StartAt along each state's Next, then every other path a Catch or a Choice can take,
 * each labelled with where it branches off. Only the top level is drawn; the inside of a Map or
 * Parallel state shows as that one state.
 */

export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
}

export interface RetrySpec {
  errors: string[];
  /** ASL default 3. */
  maxAttempts: number;
  /** ASL default 1. */
  intervalSeconds: number;
  /** ASL default 2. */
  backoffRate: number;
}

export interface CatchSpec {
  errors: string[];
  next: string;
}

export interface GraphNode {
  name: string;
  /** `Task`, `Pass`, `Choice`, `Fail`, … */
  type: string;
  next?: string;
  /** Ends the execution successfully (`End: true` or a Succeed state). */
  ends: boolean;
  retries: RetrySpec[];
  catches: CatchSpec[];
  /** A Choice state's possible next states (its rules', then Default). */
  choices: string[];
}

export interface GraphPath {
  /** States in the order they run. */
  nodes: string[];
  /** Where this path branches off: the state and why (`catch ValidationError`, `choice`). */
  from?: { state: string; via: string };
  /** The path continues into a state already drawn elsewhere. */
  joins?: string;
}

export interface StateGraph {
  startAt: string;
  nodes: Map<string, GraphNode>;
  /** The main path first, then branches in the order they are met. */
  paths: GraphPath[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

function nodeOf(name: string, st: Obj): GraphNode {
  const type = typeof st.Type === 'string' ? st.Type : 'Unknown';
  const retries = (Array.isArray(st.Retry) ? st.Retry : []).filter(isObj).map((r) => ({
    errors: strings(r.ErrorEquals),
    maxAttempts: num(r.MaxAttempts, 3),
    intervalSeconds: num(r.IntervalSeconds, 1),
    backoffRate: num(r.BackoffRate, 2),
  }));
  const catches = (Array.isArray(st.Catch) ? st.Catch : [])
    .filter(isObj)
    .filter((c) => typeof c.Next === 'string')
    .map((c) => ({ errors: strings(c.ErrorEquals), next: c.Next as string }));
  const choices = [
    ...(Array.isArray(st.Choices) ? st.Choices : []).filter(isObj).map((c) => c.Next),
    st.Default,
  ].filter((n): n is string => typeof n === 'string');
  return {
    name,
    type,
    next: typeof st.Next === 'string' ? st.Next : undefined,
    ends: st.End === true || type === 'Succeed',
    retries,
    catches,
    choices: [...new Set(choices)],
  };
}

/** Build the graph of a definition given as text or parsed JSON. */
export function buildStateGraph(definition: unknown): StateGraph {
  let def: unknown = definition;
  if (typeof def === 'string') {
    try {
      def = JSON.parse(def);
    } catch {
      throw new InvalidDefinitionError('the state machine definition is not JSON');
    }
  }
  if (!isObj(def) || typeof def.StartAt !== 'string' || !isObj(def.States)) {
    throw new InvalidDefinitionError('the state machine definition has no StartAt and States');
  }
  const nodes = new Map<string, GraphNode>();
  for (const [name, st] of Object.entries(def.States)) if (isObj(st)) nodes.set(name, nodeOf(name, st));
  if (!nodes.has(def.StartAt)) {
    throw new InvalidDefinitionError(`StartAt names a state that does not exist: ${def.StartAt}`);
  }

  const drawn = new Set<string>();
  const paths: GraphPath[] = [];
  const walk = (start: string, from?: GraphPath['from']): void => {
    const path: GraphPath = { nodes: [], from };
    let name: string | undefined = start;
    while (name !== undefined && nodes.has(name)) {
      if (drawn.has(name)) {
        path.joins = name;
        break;
      }
      drawn.add(name);
      path.nodes.push(name);
      const node: GraphNode = nodes.get(name)!;
      name = node.next ?? node.choices.at(-1);
    }
    if (path.nodes.length > 0 || path.joins) paths.push(path);
  };
  walk(def.StartAt);
  // Branches, breadth first over the paths drawn so far (a branch may itself branch).
  for (let i = 0; i < paths.length; i++) {
    for (const name of paths[i]!.nodes) {
      const node = nodes.get(name)!;
      for (const c of node.catches) {
        if (!drawn.has(c.next)) walk(c.next, { state: name, via: `catch ${c.errors.join(', ')}` });
      }
      for (const next of node.choices) {
        if (!drawn.has(next)) walk(next, { state: name, via: 'choice' });
      }
    }
  }
  for (const name of nodes.keys()) if (!drawn.has(name)) walk(name, { state: name, via: 'unreachable' });
  return { startAt: def.StartAt, nodes, paths };
}

/** Whether an error name is matched by a Retry or Catch's ErrorEquals (as Step Functions matches). */
export function errorMatches(errorEquals: string[], error: string, stateType: string): boolean {
  return errorEquals.some(
    (e) =>
      e === error ||
      e === 'States.ALL' ||
      (e === 'States.TaskFailed' && stateType === 'Task' && error !== 'States.Timeout'),
  );
}
