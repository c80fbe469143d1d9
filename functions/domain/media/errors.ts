/**
 * Why an upload cannot become an item. Each subclass is one condition a person
 * can act on; `code` is stable for machines, `message` is the sentence for people.
 * These are permanent: retrying the same bytes cannot succeed.
 */
export class MediaRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MediaRejectedError';
  }
}

export class EmptyFileError extends MediaRejectedError {
  constructor() {
    super('empty-file', 'the file is empty (0 bytes)');
    this.name = 'EmptyFileError';
  }
}

export class FileTooLargeError extends MediaRejectedError {
  constructor(bytes: number, maxBytes: number, kind: 'images' | 'videos' = 'images') {
    super('too-large', `the file is ${formatMiB(bytes)}; ${kind} are limited to ${formatMiB(maxBytes)}`);
    this.name = 'FileTooLargeError';
  }
}

export class UnsupportedTypeError extends MediaRejectedError {
  constructor(detected: string | undefined, supported: readonly string[]) {
    const what = detected ? `its bytes are ${detected}` : 'its bytes match no known media type';
    super('unsupported-type', `not a supported image or video: ${what}; supported types are ${supported.join(', ')}`);
    this.name = 'UnsupportedTypeError';
  }
}

export class TooManyPixelsError extends MediaRejectedError {
  constructor(widthPx: number | undefined, heightPx: number | undefined, maxPixels: number) {
    const limit = `${maxPixels.toLocaleString('en-US')} pixels`;
    const what =
      widthPx && heightPx ? `the image is ${widthPx}×${heightPx} pixels; the limit is ${limit}` : `the image has more than ${limit}`;
    super('too-many-pixels', what);
    this.name = 'TooManyPixelsError';
  }
}

export class CorruptImageError extends MediaRejectedError {
  constructor(code: 'truncated' | 'corrupt', mime: string, decoderMessage: string) {
    const what = code === 'truncated' ? 'is truncated (the upload may have been cut short)' : 'could not be decoded';
    super(code, `the ${mime} image ${what}: ${decoderMessage}`);
    this.name = 'CorruptImageError';
  }
}

/** The foveated layers could not be produced as planned (a plan/decoder mismatch, or a budget no quality meets). */
export class FoveatedEncodingError extends MediaRejectedError {
  constructor(detail: string) {
    super('foveation-failed', `the foveated preview could not be encoded: ${detail}`);
    this.name = 'FoveatedEncodingError';
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
