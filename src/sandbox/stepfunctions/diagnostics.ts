/**
 * Definition diagnostics as ValidateStateMachineDefinition returns them (severity, AWS's code, a
 * message, a location such as `/States/A/Next`), and the `InvalidDefinition` error CreateStateMachine
 * and UpdateStateMachine raise from the same list: AWS joins them as
 * `Invalid State Machine Definition: '<CODE>: <message> at <location>, …'`.
 */
import { AwsError } from '../errors.js';

export type Severity = 'ERROR' | 'WARNING';

/** AWS's diagnostic codes (the SDK's documented list) that the sandbox reports. */
export type DiagnosticCode =
  | 'INVALID_JSON_DESCRIPTION'
  | 'MISSING_DESCRIPTION'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'INVALID_RESOURCE'
  | 'MISSING_END_STATE'
  | 'DUPLICATE_STATE_NAME'
  | 'INVALID_STATE_NAME'
  | 'MISSING_TRANSITION_TARGET'
  | 'TOO_DEEPLY_NESTED'
  | 'NO_DOLLAR'
  | 'NO_PATH'
  | 'PASS_RESULT_IS_STATIC';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** e.g. `/States/A/Next`; absent where AWS gives none (a workflow without a terminal state). */
  location?: string;
}

export const error = (code: DiagnosticCode, message: string, location?: string): Diagnostic => ({
  severity: 'ERROR',
  code,
  message,
  location,
});

export const warning = (code: DiagnosticCode, message: string, location?: string): Diagnostic => ({
  severity: 'WARNING',
  code,
  message,
  location,
});

export function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'ERROR');
}

/** The InvalidDefinition error for a definition with ERROR diagnostics. */
export function invalidDefinition(diagnostics: Diagnostic[]): AwsError {
  const text = diagnostics
    .map((d) => `${d.code}: ${d.message}${d.location === undefined ? '' : ` at ${d.location}`}`)
    .join(', ');
  return new AwsError('InvalidDefinition', `Invalid State Machine Definition: '${text}'`);
}
