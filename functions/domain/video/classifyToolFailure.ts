import { CorruptVideoError, UnsupportedCodecError } from './errors.js';
import type { MediaRejectedError } from '../media/index.js';

/** Turns ffmpeg's or ffprobe's complaint about an input into the rejection a person can act on. */
export function classifyToolFailure(container: string, stderrTail: string): MediaRejectedError {
  // ffmpeg prefixes lines with "[demuxer @ 0xaddress]" and the input's URL: neither is for people (nor should paths leak).
  const lines = stderrTail
    .split('\n')
    .map((line) =>
      line
        .replace(/^\[[^\]]*\]\s*/, '')
        .replace(/^file:[^:]*:\s*/, '')
        .trim(),
    )
    .filter(Boolean);
  const reason = lines.find((line) => !/^(Conversion failed|Error opening input files?)/.test(line)) ?? lines[0] ?? 'no reason given';
  const decoder = /Decoder \(codec (\S+)\) not found|Error while opening decoder for input stream #\d+:\d+/.exec(stderrTail);
  if (decoder) return new UnsupportedCodecError(decoder[1] ?? 'video', reason);
  if (/moov atom not found|End of file|unexpected end|truncat|Invalid EBML|partial file/i.test(stderrTail)) {
    return new CorruptVideoError('truncated', container, reason);
  }
  return new CorruptVideoError('corrupt', container, reason);
}
