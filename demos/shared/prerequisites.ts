/** A step that needs what an earlier step created says so clearly, instead of failing on `undefined`. */

/** Thrown when a phase runs before the step that creates what it needs. */
export class MissingPrerequisiteError extends Error {
  override readonly name = 'MissingPrerequisiteError';
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new MissingPrerequisiteError(`${what} is not known yet — run the earlier steps first (setup).`);
  }
  return value;
}
