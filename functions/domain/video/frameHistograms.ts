import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { RawPixels } from '../embed/index.js';
import type { AnalysisFrames } from './encodeFoveatedClip.js';

/** Levels per channel of the colour histogram: 4×4×4 = 64 bins. */
const levels = 4;
const histogramBins = levels ** 3;

/** A normalised RGB histogram of each analysis frame, streamed: the frames are never all in memory. */
export async function frameHistograms(frames: AnalysisFrames): Promise<Float32Array[]> {
  const frameBytes = frames.widthPx * frames.heightPx * 3;
  const histograms: Float32Array[] = [];
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(frames.path, { highWaterMark: Math.max(frameBytes, 64 * 1024) })) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let offset = 0;
    for (; offset + frameBytes <= buffer.length && histograms.length < frames.frameCount; offset += frameBytes) {
      histograms.push(colourHistogram(buffer.subarray(offset, offset + frameBytes)));
    }
    carry = Buffer.from(buffer.subarray(offset));
  }
  return histograms;
}

/** Normalised 64-bin RGB histogram of interleaved 8-bit RGB. */
export function colourHistogram(rgb: Uint8Array): Float32Array {
  const histogram = new Float32Array(histogramBins);
  const pixels = Math.floor(rgb.length / 3);
  const shift = 8 - Math.log2(levels);
  for (let p = 0; p < pixels; p += 1) {
    const r = rgb[p * 3]! >> shift;
    const g = rgb[p * 3 + 1]! >> shift;
    const b = rgb[p * 3 + 2]! >> shift;
    histogram[(r * levels + g) * levels + b]! += 1;
  }
  for (let bin = 0; bin < histogramBins; bin += 1) histogram[bin]! /= Math.max(1, pixels);
  return histogram;
}

/** One analysis frame's pixels, read from its offset in the file. */
export async function readAnalysisFrame(frames: AnalysisFrames, index: number): Promise<RawPixels> {
  const frameBytes = frames.widthPx * frames.heightPx * 3;
  const data = Buffer.alloc(frameBytes);
  const file = await open(frames.path, 'r');
  try {
    await file.read(data, 0, frameBytes, index * frameBytes);
  } finally {
    await file.close();
  }
  return { data, widthPx: frames.widthPx, heightPx: frames.heightPx, channels: 3 };
}
