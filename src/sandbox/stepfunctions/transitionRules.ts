/**
 * Transitions of one container of states, as AWS checks them: every target exists
 * (`Missing 'Next' target`), a terminal state exists (`Workflow has no terminal state`, and then
 * nothing else is reported), and every state is reachable from StartAt.
 */
import { error, type Diagnostic } from './diagnostics.js';
import { isObj } from './fieldRules.js';

type Obj = Record<string, unknown>;

/** Every transition of a container: StartAt, Next, Choices[].Next, Default, Catch[].Next, with locations. */
function edges(c: Obj, states: Obj, at: string): Array<{ from?: string; to: string; loc: string }> {
  const list: Array<{ from?: string; to: string; loc: string }> = [];
  if (typeof c.StartAt === 'string') list.push({ to: c.StartAt, loc: `${at}/StartAt` });
  for (const [name, st] of Object.entries(states)) {
    if (!isObj(st)) continue;
    const loc = `${at}/States/${name}`;
    if (typeof st.Next === 'string') list.push({ from: name, to: st.Next, loc: `${loc}/Next` });
    if (st.Type === 'Choice') {
      if (Array.isArray(st.Choices)) {
        st.Choices.forEach((r, i) => {
          if (isObj(r) && typeof r.Next === 'string')
            list.push({ from: name, to: r.Next, loc: `${loc}/Choices[${i}]/Next` });
        });
      }
      if (typeof st.Default === 'string') list.push({ from: name, to: st.Default, loc: `${loc}/Default` });
    }
    if (Array.isArray(st.Catch)) {
      st.Catch.forEach((h, i) => {
        if (isObj(h) && typeof h.Next === 'string')
          list.push({ from: name, to: h.Next, loc: `${loc}/Catch[${i}]/Next` });
      });
    }
  }
  return list;
}

/**
 * Transition targets, then a terminal state (without one AWS reports only that), then reachability —
 * in AWS's order and wording.
 */
export function transitions(out: Diagnostic[], c: Obj, states: Obj, at: string): void {
  const links = edges(c, states, at);
  for (const e of links) {
    if (!Object.hasOwn(states, e.to))
      out.push(error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${e.to}`, e.loc));
  }
  const terminal = Object.values(states).some(
    (st) => isObj(st) && (st.Type === 'Succeed' || st.Type === 'Fail' || st.End === true),
  );
  if (!terminal) {
    out.push(error('MISSING_END_STATE', 'Workflow has no terminal state'));
    return;
  }
  if (typeof c.StartAt !== 'string' || !Object.hasOwn(states, c.StartAt)) return;
  const reached = new Set<string>([c.StartAt]);
  const queue = [c.StartAt];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const e of links) {
      if (e.from === from && Object.hasOwn(states, e.to) && !reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
    }
  }
  for (const name of Object.keys(states)) {
    if (!reached.has(name))
      out.push(
        error('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${at}/States/${name}`),
      );
  }
}
