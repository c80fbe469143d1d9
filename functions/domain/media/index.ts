export {
  sniffMediaType,
  supportedImageMimes,
  supportedVideoMimes,
  type SupportedImageMime,
  type SupportedVideoMime,
} from './sniffMediaType.js';
export { renderImagePreviews, type PreviewLimits, type RenderedImage, type RenderedPreview } from './renderImagePreviews.js';
export { probeImage } from './probeImage.js';
export { renderFoveatedLayers, type EncodedLayerFile } from './renderFoveatedLayers.js';
export {
  MediaRejectedError,
  EmptyFileError,
  FileTooLargeError,
  UnsupportedTypeError,
  TooManyPixelsError,
  CorruptImageError,
} from './errors.js';
