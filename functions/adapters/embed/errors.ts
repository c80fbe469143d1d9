/** The configured model could not be read or made into an embedder; the message names the model and why. */
export class EmbeddingModelLoadError extends Error {
  constructor(
    readonly model: string,
    detail: string,
  ) {
    super(`embedding model ${model}: ${detail}`);
    this.name = 'EmbeddingModelLoadError';
  }
}
