/**
 * The state machine's definition: the readable `reconcile-orders.asl.json` next to this file, with
 * this run's function ARNs filled into its `${…}` placeholders (see shared/definitionTemplate.ts).
 */
import { fillDefinition, readDefinitionFile } from '../shared/definitionTemplate.js';
import { DEFINITION_FILE } from './names.js';

export interface DefinitionArns {
  ProcessPartitionArn: string;
  CheckCompletenessArn: string;
  WriteReportArn: string;
}

/** The definition as written, placeholders and all. */
export const definitionTemplate = (): Record<string, unknown> => readDefinitionFile(DEFINITION_FILE);

export function reconcileDefinition(arns: DefinitionArns): Record<string, unknown> {
  return fillDefinition(definitionTemplate(), { ...arns });
}
