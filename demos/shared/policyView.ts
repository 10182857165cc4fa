/**
 * A policy document as a learner reads it best in a terminal: one line per statement — effect,
 * actions, resources, conditions — instead of the JSON (which "show details" still has, in the
 * PutRolePolicy call).
 */
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';

const list = (v: string | string[] | undefined): string => [v ?? []].flat().join(', ');

export function describePolicy(doc: PolicyDocument): string {
  return doc.Statement.map((s) => {
    const who = s.Principal ? ` to ${Object.values(s.Principal).map(list).join(', ')}` : '';
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, keys]) =>
      Object.entries(keys).map(([k, v]) => `${k} ${op} ${list(v)}`),
    );
    const when = conditions.length ? ` when ${conditions.join(' and ')}` : '';
    return `${s.Sid ? `${s.Sid}: ` : ''}${s.Effect}${who} ${list(s.Action)} on ${list(s.Resource) || '(none)'}${when}`;
  }).join('\n');
}
