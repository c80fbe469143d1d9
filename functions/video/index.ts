export { processVideo, type ProcessedClipStream, type ProcessedVideo, type VideoProcessingRequest, type VideoSettings } from './processVideo.js';
export { probeVideo, parseFfprobeOutput, type FfprobeOutput } from './probeVideo.js';
export { checkVideoLimits } from './checkVideoLimits.js';
export {
  encodeFoveatedClip,
  clipFilterGraph,
  analysisFrameSize,
  h264Mp4OutputArgs,
  audioOutputArgs,
  type AnalysisFrames,
  type EncodedClip,
} from './encodeFoveatedClip.js';
export { describeClipStream, type ClipStreamFacts } from './describeClipStream.js';
export { extractFrame } from './extractFrame.js';
export { detectShots, selectKeyframes, histogramDistance, type Shot } from './selectKeyframes.js';
export { colourHistogram } from './frameHistograms.js';
export { resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpegBinaries.js';
export { demuxerByMime, safeInputArgs, type VideoDemuxer, type VideoInput } from './safeInput.js';
export { runTool, type ToolResult, type ToolRun } from './runTool.js';
export {
  NoVideoStreamError,
  VideoTooLongError,
  VideoFrameTooLargeError,
  VideoFrameRateTooHighError,
  UnknownDurationError,
  CorruptVideoError,
  UnsupportedCodecError,
  VideoTimeLimitError,
  VideoToolError,
} from './errors.js';
export type * from './types.js';
