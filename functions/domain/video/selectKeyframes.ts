/** A run of analysis frames between two cuts, [startFrame, endFrame). */
export interface Shot {
  startFrame: number;
  endFrame: number;
}

/**
 * Cuts where consecutive frames' colour histograms differ by more than
 * `cutDistance` (half their L1 distance, 0 to 1). Cheap, and blind to slow
 * fades by design. A cut within `minShotFrames` of the last is taken as a
 * flash, not a new shot.
 */
export function detectShots(histograms: readonly Float32Array[], cutDistance: number, minShotFrames: number): Shot[] {
  if (histograms.length === 0) return [];
  const shots: Shot[] = [];
  let start = 0;
  for (let frame = 1; frame < histograms.length; frame += 1) {
    if (frame - start >= minShotFrames && histogramDistance(histograms[frame - 1]!, histograms[frame]!) > cutDistance) {
      shots.push({ startFrame: start, endFrame: frame });
      start = frame;
    }
  }
  shots.push({ startFrame: start, endFrame: histograms.length });
  return shots;
}

export function histogramDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let bin = 0; bin < a.length; bin += 1) sum += Math.abs(a[bin]! - b[bin]!);
  return sum / 2;
}

/**
 * At most `maxKeyframes` frames, spread so that every shot gets at least one
 * (the longest shots first, when there are more shots than keyframes) and the
 * rest go to shots by their length; within a shot they sit at the centres of
 * equal parts. Returned per shot, in time order.
 */
export function selectKeyframes(shots: readonly Shot[], maxKeyframes: number): { shot: Shot; frames: number[] }[] {
  const length = (shot: Shot) => shot.endFrame - shot.startFrame;
  const totalFrames = shots.reduce((sum, shot) => sum + length(shot), 0);
  const budget = Math.min(maxKeyframes, totalFrames);
  const kept = [...shots].sort((a, b) => length(b) - length(a) || a.startFrame - b.startFrame).slice(0, budget);
  const counts = new Map(kept.map((shot) => [shot, 1]));
  // Largest remainder: each further keyframe goes to the shot with the most frames per keyframe.
  for (let spare = budget - kept.length; spare > 0; spare -= 1) {
    const open = kept.filter((shot) => counts.get(shot)! < length(shot));
    if (open.length === 0) break;
    const roomiest = open.reduce((a, b) => (length(b) / counts.get(b)! > length(a) / counts.get(a)! ? b : a));
    counts.set(roomiest, counts.get(roomiest)! + 1);
  }
  return kept
    .sort((a, b) => a.startFrame - b.startFrame)
    .map((shot) => {
      const count = counts.get(shot)!;
      return { shot, frames: Array.from({ length: count }, (_, i) => shot.startFrame + Math.floor(((i + 0.5) * length(shot)) / count)) };
    });
}
