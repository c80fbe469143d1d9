/** Base of every error the embedders throw. */
export class EmbedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbedError';
  }
}

/** One format for every bad argument: what was expected, and what was given. */
export class InvalidEmbedParameterError extends EmbedError {
  constructor(
    readonly parameter: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`Expected ${expected} for ${parameter} but received ${JSON.stringify(actual)}`);
    this.name = 'InvalidEmbedParameterError';
  }
}

/** The ONNX model could not be loaded or run, or its output is not one embedding. */
export class OnnxModelError extends EmbedError {
  constructor(detail: string) {
    super(`ONNX image encoder: ${detail}`);
    this.name = 'OnnxModelError';
  }
}
