/**
 * Policies, patterns and input transformers as a learner reads them best in a terminal (the JSON
 * is still in "show details", in the calls that sent it). Each statement starts a line with its
 * effect and actions; each resource and condition gets a line of its own, so a long ARN is the
 * only thing that ever needs folding, even at 60 columns.
 */
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';

/** Items joined with ", " on lines of at most this many characters (narrow terminals included). */
const LIST_WIDTH = 52;

const list = (v: string | string[] | undefined): string[] => [v ?? []].flat();

/**
 * `a, b, c` split into lines that fit LIST_WIDTH, the first line `firstRoom` (it follows a prefix);
 * an item wider than its line stands alone.
 */
function packed(items: string[], firstRoom: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    const room = lines.length === 1 ? firstRoom : LIST_WIDTH;
    if (last !== undefined && last.length + 2 + item.length <= room)
      lines[lines.length - 1] = `${last}, ${item}`;
    else lines.push(item);
  }
  return lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l));
}

export function describePolicy(doc: PolicyDocument): string {
  return doc.Statement.flatMap((s) => {
    const principals = Object.values(s.Principal ?? {}).flatMap(list);
    const head = `${s.Sid ? `${s.Sid}: ` : ''}${s.Effect}`;
    const [firstActions = '', ...moreActions] = packed(
      list(s.Action),
      Math.max(20, LIST_WIDTH - head.length - 1),
    );
    const resources = list(s.Resource);
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, keys]) =>
      Object.entries(keys).map(([k, v]) => `${k} ${op} ${list(v).join(', ')}`),
    );
    return [
      `${head} ${firstActions}`,
      ...moreActions.map((a) => `    ${a}`),
      ...(principals.length ? [`  to ${principals.join(', ')}`] : []),
      ...(resources.length ? resources.map((r) => `  on ${r}`) : ['  on (none)']),
      ...conditions.map((c) => `  when ${c}`),
    ];
  }).join('\n');
}

/**
 * JSON with two-space indents, so an event pattern reads as the nested match it is; a list of plain
 * values stays on one line (`"source": ["aws.s3"]`).
 */
export function describeJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + describeJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${describeJson(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** An input transformer: each path it takes from the event, then the template as written (unescaped). */
export function describeInputTransformer(t: {
  InputPathsMap?: Record<string, string>;
  InputTemplate?: string;
}): string {
  const paths = Object.entries(t.InputPathsMap ?? {}).map(([name, path]) => `<${name}> ← ${path}`);
  return [...paths, `template: ${t.InputTemplate ?? '(none)'}`].join('\n');
}
