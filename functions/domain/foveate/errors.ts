/** Base of every error the foveation planner throws. */
export class FoveateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FoveateError';
  }
}

/**
 * One format for every bad argument, after sharp's invalidParameterError:
 * what was expected, and what was given.
 */
export class InvalidFoveateParameterError extends FoveateError {
  constructor(
    readonly parameter: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`Expected ${expected} for ${parameter} but received ${describe(actual)}`);
    this.name = 'InvalidFoveateParameterError';
  }
}

export class UnknownDisplayProfileError extends FoveateError {
  constructor(
    readonly profileId: string,
    known: readonly string[],
  ) {
    super(`unknown display profile '${profileId}'; known profiles are ${known.join(', ')}`);
    this.name = 'UnknownDisplayProfileError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  return JSON.stringify(value);
}
