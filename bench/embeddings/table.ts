import type { CandidateResult, SubsetSizes } from './candidateResult.js';
import type { NearDuplicateFigures } from './nearDuplicateSearch.js';

/** Column heads short enough for one line. */
const shortNames: Record<string, string> = {
  'resize-50%': 'half',
  'crop-80%': 'crop80',
  'jpeg-q30': 'q30',
  'brightness+20%': 'bright+',
  'brightness-20%': 'bright-',
  'rotate-5deg': 'rot5',
  'flip-horizontal': 'flip',
  greyscale: 'grey',
};

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? '   –  ' : `${(100 * value).toFixed(1)}%`.padStart(6);

/** The readable summary: one block for the full subsets, one for the capped ones, every candidate a row. */
export function formatTable(results: readonly CandidateResult[], sizes: SubsetSizes, floor: { full: number; capped: number }): string {
  const transforms = Object.keys(results[0]!.nearDuplicates.capped.perTransform);
  const lines: string[] = [];
  const block = (
    title: string,
    pick: (r: CandidateResult) => { near: NearDuplicateFigures | null; precision: number | null },
    floorValue: number,
  ) => {
    lines.push('', title);
    lines.push(
      [
        'candidate'.padEnd(36),
        'top1  ',
        'top10 ',
        ...transforms.map((t) => (shortNames[t] ?? t.slice(0, 8)).padStart(8)),
        ' P@10 ',
        'ms p50',
      ].join(' '),
    );
    for (const result of results) {
      const { near, precision } = pick(result);
      lines.push(
        [
          `${result.name}${result.isDefault ? ' *' : ''}`.padEnd(36),
          pct(near?.top1),
          pct(near?.top10),
          ...transforms.map((t) => pct(near?.perTransform[t]?.top1).padStart(8)),
          pct(precision),
          result.embedMsP50.toFixed(2).padStart(6),
        ].join(' '),
      );
    }
    lines.push(`${'raw Fashion-MNIST pixels (784-d floor)'.padEnd(36)} ${' '.repeat(14 + 9 * transforms.length)}${pct(floorValue)}`);
  };
  block(
    `FULL: ${sizes.originals} originals + ${sizes.distractors} distractors indexed, ${sizes.copies} copies searched (top-1 per transform); Fashion-MNIST ${sizes.fashionIndexed} train indexed, ${sizes.fashionQueries} test queries`,
    (r) => ({ near: r.nearDuplicates.full, precision: r.classPrecisionAt10.full }),
    floor.full,
  );
  block(
    `CAPPED: ${sizes.originals} originals + ${sizes.cappedDistractors} distractors; Fashion-MNIST ${sizes.cappedFashionIndexed} train indexed, ${sizes.cappedFashionQueries} test queries`,
    (r) => ({ near: r.nearDuplicates.capped, precision: r.classPrecisionAt10.capped }),
    floor.capped,
  );
  lines.push('', '* the default embedder; ms p50 = the descriptor alone, after decode, over the photos embedded');
  lines.push('top-1 misses by transform (full set, capped for capped candidates):');
  for (const result of results) {
    const near = result.nearDuplicates.full ?? result.nearDuplicates.capped;
    const misses = Object.entries(near.perTransform)
      .sort((a, b) => b[1].top1Misses - a[1].top1Misses)
      .map(([t, f]) => `${t} ${f.top1Misses}/${f.copies}`);
    const outsideTop10 = Object.entries(near.perTransform)
      .map(([t, f]) => [t, Math.round((1 - f.top10) * f.copies)] as const)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${n}`);
    lines.push(`  ${result.name}: ${misses.join(', ')}; outside the top 10: ${outsideTop10.join(', ') || 'none'}`);
    const bySource = Object.entries(near.top1BySource).map(([source, f]) => `${source} ${(f.top1 * 100).toFixed(1)} % of ${f.copies}`);
    lines.push(`    top-1 by where the original came from: ${bySource.join(', ')}`);
  }
  return lines.join('\n');
}
