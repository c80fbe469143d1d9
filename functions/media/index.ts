export {
  sniffMediaType,
  supportedImageMimes,
  supportedVideoMimes,
  type SniffedMedia,
  type SupportedImageMime,
  type SupportedVideoMime,
} from './sniffMediaType.js';
export { renderImagePreviews, type PreviewLimits, type RenderedImage, type RenderedPreview } from './renderImagePreviews.js';
export { probeImage, type ImageProbe } from './probeImage.js';
export { renderFoveatedLayers, type EncodedLayerFile, type FoveatedRenderOptions } from './renderFoveatedLayers.js';
export {
  MediaRejectedError,
  EmptyFileError,
  FileTooLargeError,
  UnsupportedTypeError,
  TooManyPixelsError,
  CorruptImageError,
  FoveatedEncodingError,
} from './errors.js';
