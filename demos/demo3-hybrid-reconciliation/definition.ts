/**
 * The state machine's definition: the readable `reconcile-orders.asl.json` next to this file, with
 * this run's function ARNs filled into its `${…}` placeholders (as CloudFormation's
 * DefinitionSubstitutions would).
 */
import fs from 'node:fs';
import { fromPackageRoot } from '../shared/packagePaths.js';
import { DEFINITION_FILE } from './names.js';

export class UnresolvedPlaceholderError extends Error {
  override readonly name = 'UnresolvedPlaceholderError';
}

export interface DefinitionArns {
  ProcessPartitionArn: string;
  CheckCompletenessArn: string;
  WriteReportArn: string;
}

const PLACEHOLDER = /^\$\{(\w+)\}$/;

function substitute(value: unknown, arns: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    const name = PLACEHOLDER.exec(value)?.[1];
    if (name === undefined) return value;
    const arn = arns[name];
    if (arn === undefined)
      throw new UnresolvedPlaceholderError(`the definition names \${${name}}, which is not provided`);
    return arn;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, arns));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, arns)]));
  }
  return value;
}

/** The definition as written, placeholders and all. */
export function definitionTemplate(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(fromPackageRoot(...DEFINITION_FILE), 'utf8')) as Record<string, unknown>;
}

export function reconcileDefinition(arns: DefinitionArns): Record<string, unknown> {
  return substitute(definitionTemplate(), { ...arns }) as Record<string, unknown>;
}
