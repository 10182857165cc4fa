/**
 * ValidateStateMachineDefinition: the definition's diagnostics without creating anything. `result`
 * is FAIL when there is any ERROR; `severity` WARNING also lists the warnings; at most `maxResults`
 * (default and limit 100, 0 meaning the default) are returned, with `truncated` set when more exist.
 */
import type { OperationHandler } from '../protocols/types.js';
import { Validator } from '../validate.js';
import { definitionDiagnostics } from './definition.js';
import { errorsOf } from './diagnostics.js';

const MAX_DIAGNOSTICS = 100;

export function validationOperations(): Record<string, OperationHandler> {
  return {
    ValidateStateMachineDefinition: (input: Record<string, unknown>) => {
      const v = new Validator(input);
      const definition = v.string('definition', { required: true, min: 1, max: 1048576 });
      v.string('type', { enum: ['STANDARD', 'EXPRESS'] });
      const severity = v.string('severity', { enum: ['ERROR', 'WARNING'] }) ?? 'ERROR';
      const maxResults = v.number('maxResults', { min: 0, max: MAX_DIAGNOSTICS, integer: true });
      v.check();
      const all = definitionDiagnostics(definition!);
      const errors = errorsOf(all);
      const shown = severity === 'WARNING' ? all : errors;
      const limit = maxResults || MAX_DIAGNOSTICS;
      return {
        result: errors.length > 0 ? 'FAIL' : 'OK',
        diagnostics: shown.slice(0, limit),
        truncated: shown.length > limit,
      };
    },
  };
}
