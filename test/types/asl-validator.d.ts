// asl-validator ships no type declarations; this is the part of its API the tests use
// (dist/src/validator.js: the default export validates a parsed definition).
declare module 'asl-validator' {
  export interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  export interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
  }
  export default function aslValidator(definition: unknown): AslValidationResult;
}
