/**
 * A state machine's definition kept as a readable `.asl.json` file with `${Name}` placeholders where
 * a run's ARNs go (as AWS SAM's and CloudFormation's DefinitionSubstitutions do). Setup fills them
 * in; a placeholder the file names but the demo does not give, or the reverse, is a bug and fails.
 */
import fs from 'node:fs';
import { fromPackageRoot } from './packagePaths.js';

export class DefinitionSubstitutionError extends Error {
  override readonly name = 'DefinitionSubstitutionError';
}

export type DefinitionValues = Readonly<Record<string, string>>;

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The definition file (path parts from the package root) as written, placeholders unfilled. */
export function readDefinitionFile(file: readonly string[]): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(fromPackageRoot(...file), 'utf8')) as Record<string, unknown>;
}

/** Every placeholder name used in string values of the template, sorted. */
export function placeholdersOf(template: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) found.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(template);
  return [...found].sort();
}

/** The template with every placeholder replaced; exactly the template's placeholders must be given. */
export function fillDefinition(template: unknown, values: DefinitionValues): Record<string, unknown> {
  const given = (n: string): boolean => Object.hasOwn(values, n) && typeof values[n] === 'string';
  const wanted = placeholdersOf(template);
  const missing = wanted.filter((n) => !given(n));
  const unused = Object.keys(values)
    .filter((n) => given(n) && !wanted.includes(n))
    .sort();
  if (missing.length || unused.length) {
    throw new DefinitionSubstitutionError(
      `definition placeholders do not match: missing ${missing.join(', ') || 'none'}; unused ${unused.join(', ') || 'none'}`,
    );
  }
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (_, name: string) => values[name]!);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(template) as Record<string, unknown>;
}
