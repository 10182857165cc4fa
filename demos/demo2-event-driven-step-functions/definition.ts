/**
 * The state machine's definition lives in a readable file, `pipeline.asl.json`, with `${Name}`
 * placeholders where this run's ARNs go; setup fills them in (see shared/definitionTemplate.ts).
 */
import { readDefinitionFile } from '../shared/definitionTemplate.js';
import { DEFINITION_FILE } from './names.js';

export {
  DefinitionSubstitutionError,
  fillDefinition,
  placeholdersOf,
  type DefinitionValues,
} from '../shared/definitionTemplate.js';

/** The definition file as written (placeholders unfilled), parsed. */
export const readDefinitionTemplate = (): Record<string, unknown> => readDefinitionFile(DEFINITION_FILE);
