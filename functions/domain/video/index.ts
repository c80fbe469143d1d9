export { processVideo, type ProcessedClipStream, type ProcessedVideo, type VideoSettings } from './processVideo.js';
export { probeVideo, parseFfprobeOutput, type FfprobeOutput } from './probeVideo.js';
export { checkVideoLimits } from './checkVideoLimits.js';
export { h264Mp4OutputArgs, audioOutputArgs } from './encodeFoveatedClip.js';
export { extractFrame } from './extractFrame.js';
export { detectShots, selectKeyframes, histogramDistance, type Shot } from './selectKeyframes.js';
export { colourHistogram } from './frameHistograms.js';
export { resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpegBinaries.js';
export { demuxerByMime, safeInputArgs, type VideoDemuxer, type VideoInput } from './safeInput.js';
export { runTool } from './runTool.js';
export {
  NoVideoStreamError,
  VideoTooLongError,
  VideoFrameTooLargeError,
  VideoFrameRateTooHighError,
  UnknownDurationError,
  VideoTimeLimitError,
} from './errors.js';
export type * from './types.js';
