/** Base of every error the streaming VQ index throws. */
export class VqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VqError';
  }
}

/** One format for every bad argument: what was expected, and what was given. */
export class InvalidVqParameterError extends VqError {
  constructor(
    readonly parameter: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`Expected ${expected} for ${parameter} but received ${describe(actual)}`);
    this.name = 'InvalidVqParameterError';
  }
}

export class DimensionMismatchError extends VqError {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`vector has ${actual} dimensions; this index holds ${expected}-dimensional vectors`);
    this.name = 'DimensionMismatchError';
  }
}

/** A stored list, page or manifest (or a schema-1 segment or codebook) is not what this code can read. */
export class CorruptIndexDataError extends VqError {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`index object ${key} cannot be read: ${detail}`);
    this.name = 'CorruptIndexDataError';
  }
}

/** A conditional write lost: the object changed (If-Match) or already exists (If-None-Match). */
export class PreconditionFailedError extends VqError {
  constructor(readonly key: string) {
    super(`conditional write of ${key} lost: the object changed since it was read`);
    this.name = 'PreconditionFailedError';
  }
}

/** Every retry of a manifest read-modify-write lost to another writer. */
export class CommitConflictError extends VqError {
  constructor(
    readonly manifestKey: string,
    readonly attempts: number,
  ) {
    super(`could not commit ${manifestKey}: ${attempts} attempts lost to concurrent writers`);
    this.name = 'CommitConflictError';
  }
}

/** An operation needs the members of lists an index opened from storage does not hold in memory (admit them first). */
export class ListsNotInMemoryError extends VqError {
  constructor(readonly lists: readonly number[]) {
    super(
      lists.length > 0
        ? `lists ${lists.join(', ')} are not in memory: admit them before this operation`
        : 'this index does not hold every list in memory; search a loaded shard instead',
    );
    this.name = 'ListsNotInMemoryError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  return JSON.stringify(value);
}

/** The index holds vectors of another embedder (name, version or dimension); mixing them would be meaningless. */
export class EmbedderMismatchError extends VqError {
  constructor(
    readonly indexed: string,
    readonly offered: string,
  ) {
    super(`the index holds ${indexed} embeddings; ${offered} embeddings cannot be added or searched`);
    this.name = 'EmbedderMismatchError';
  }
}
