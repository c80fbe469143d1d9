import { CorruptImageError, MediaRejectedError, TooManyPixelsError } from './errors.js';

/** Runs a sharp decode; a decoder failure becomes the MediaRejectedError a person can act on. */
export async function decodeOrReject<T>(mime: string, maxPixels: number, decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof MediaRejectedError || !(error instanceof Error)) throw error;
    throw classifyDecoderError(mime, maxPixels, error.message);
  }
}

function classifyDecoderError(mime: string, maxPixels: number, decoderMessage: string): MediaRejectedError {
  const firstLine = decoderMessage.split('\n')[0]?.trim() ?? decoderMessage;
  if (/pixel limit/i.test(firstLine)) return new TooManyPixelsError(undefined, undefined, maxPixels);
  if (/premature end|truncat|unexpected end|end of (file|stream|data)|not enough data/i.test(decoderMessage)) {
    return new CorruptImageError('truncated', mime, firstLine);
  }
  return new CorruptImageError('corrupt', mime, firstLine);
}
