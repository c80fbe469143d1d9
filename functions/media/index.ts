export { sniffMediaType, supportedImageMimes, type SniffedMedia, type SupportedImageMime } from './sniffMediaType.js';
export { renderImagePreviews, type PreviewLimits, type RenderedImage, type RenderedPreview } from './renderImagePreviews.js';
export {
  MediaRejectedError,
  EmptyFileError,
  FileTooLargeError,
  UnsupportedTypeError,
  TooManyPixelsError,
  CorruptImageError,
} from './errors.js';
