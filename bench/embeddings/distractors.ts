import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createPrng, type Prng } from '../../functions/domain/vq/index.js';
import type { SourceImage } from './photoSources.js';

export interface Distractor {
  /** Which source(s) and what was cut: `<source> crop …`, `<source> tile r,c`, `mosaic a+b+c+d`. */
  name: string;
  /** JPEG q90, long side at most distractorLongSidePx. */
  bytes: Buffer;
}

type Recipe =
  | { kind: 'whole'; source: number }
  | { kind: 'crop'; source: number; left: number; top: number; size: number }
  | { kind: 'tile'; source: number; row: number; col: number }
  | { kind: 'mosaic'; sources: [number, number, number, number] };

const distractorLongSidePx = 512;
const cropsPerSource = 4;
const tileGrid = 3;
const mosaicCellPx = { width: 192, height: 144 } as const;

/**
 * `count` distinct distractors (JPEG q90) from the distractor sources: each
 * source whole, random crops of 40–70 % of its short side, the tiles of a
 * 3×3 grid over it, then 2×2 mosaics of four random sources until there are
 * enough. The recipes are shuffled with a seeded PRNG before the first
 * `count` are made, so a smaller count is a fair sample of a larger one.
 */
export async function makeDistractors(sources: readonly SourceImage[], count: number, seed: number): Promise<Distractor[]> {
  const random = createPrng(seed);
  const recipes: Recipe[] = [];
  for (let source = 0; source < sources.length; source += 1) {
    recipes.push({ kind: 'whole', source });
    for (let c = 0; c < cropsPerSource; c += 1) {
      const size = 0.4 + 0.3 * random.next();
      recipes.push({ kind: 'crop', source, size, left: random.next() * (1 - size), top: random.next() * (1 - size) });
    }
    for (let t = 0; t < tileGrid * tileGrid; t += 1)
      recipes.push({ kind: 'tile', source, row: Math.floor(t / tileGrid), col: t % tileGrid });
  }
  while (recipes.length < count * 1.05) {
    const pick = () => random.nextInt(sources.length);
    recipes.push({ kind: 'mosaic', sources: [pick(), pick(), pick(), pick()] });
  }
  shuffle(recipes, random);

  const chosen = recipes.slice(0, Math.ceil(count * 1.05));
  const seen = new Set<string>();
  const made: { at: number; distractor: Distractor }[] = [];
  // Each source is decoded once for all of its recipes; mosaics use small cover-fitted cells.
  const bySource = new Map<number, number[]>();
  for (const [at, recipe] of chosen.entries()) {
    if (recipe.kind === 'mosaic') continue;
    bySource.set(recipe.source, [...(bySource.get(recipe.source) ?? []), at]);
  }
  for (const [source, ats] of bySource) {
    const image = sharp(sources[source]!.bytes).rotate().removeAlpha().toColourspace('srgb');
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    for (const at of ats) {
      const recipe = chosen[at] as Exclude<Recipe, { kind: 'mosaic' }>;
      const region = regionOf(recipe, info.width, info.height);
      const bytes = await sharp(data, raw)
        .extract(region)
        .resize(distractorLongSidePx, distractorLongSidePx, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 90 })
        .toBuffer();
      made.push({ at, distractor: { name: nameOf(recipe, sources), bytes } });
    }
  }
  const cells = new Map<number, Promise<Buffer>>();
  const cellOf = (source: number) => {
    if (!cells.has(source)) cells.set(source, mosaicCell(sources[source]!.bytes));
    return cells.get(source)!;
  };
  for (const [at, recipe] of chosen.entries()) {
    if (recipe.kind !== 'mosaic') continue;
    const bytes = await mosaic(await Promise.all(recipe.sources.map(cellOf)));
    made.push({ at, distractor: { name: nameOf(recipe, sources), bytes } });
  }
  made.sort((a, b) => a.at - b.at);
  const distinct: Distractor[] = [];
  for (const { distractor } of made) {
    const hash = createHash('sha256').update(distractor.bytes).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    distinct.push(distractor);
    if (distinct.length === count) break;
  }
  if (distinct.length < count) throw new Error(`only ${distinct.length} distinct distractors of ${count} asked for`);
  return distinct;
}

function regionOf(recipe: Exclude<Recipe, { kind: 'mosaic' }>, width: number, height: number) {
  switch (recipe.kind) {
    case 'whole':
      return { left: 0, top: 0, width, height };
    case 'crop': {
      const side = Math.max(16, Math.round(Math.min(width, height) * recipe.size));
      return {
        left: Math.min(width - side, Math.round(recipe.left * width)),
        top: Math.min(height - side, Math.round(recipe.top * height)),
        width: side,
        height: side,
      };
    }
    case 'tile': {
      const tileWidth = Math.floor(width / tileGrid);
      const tileHeight = Math.floor(height / tileGrid);
      return { left: recipe.col * tileWidth, top: recipe.row * tileHeight, width: tileWidth, height: tileHeight };
    }
  }
}

function nameOf(recipe: Recipe, sources: readonly SourceImage[]): string {
  switch (recipe.kind) {
    case 'whole':
      return sources[recipe.source]!.name;
    case 'crop':
      return `${sources[recipe.source]!.name} crop ${recipe.size.toFixed(2)}@${recipe.left.toFixed(2)},${recipe.top.toFixed(2)}`;
    case 'tile':
      return `${sources[recipe.source]!.name} tile ${recipe.row},${recipe.col}`;
    case 'mosaic':
      return `mosaic ${recipe.sources.map((s) => sources[s]!.name).join(' + ')}`;
  }
}

/** A source cover-fitted to one mosaic cell, PNG. */
function mosaicCell(bytes: Buffer): Promise<Buffer> {
  const { width, height } = mosaicCellPx;
  return sharp(bytes).rotate().removeAlpha().resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).png().toBuffer();
}

async function mosaic(cells: Buffer[]): Promise<Buffer> {
  const { width, height } = mosaicCellPx;
  return sharp({ create: { width: 2 * width, height: 2 * height, channels: 3, background: '#000' } })
    .composite(cells.map((input, i) => ({ input, left: (i % 2) * width, top: Math.floor(i / 2) * height })))
    .jpeg({ quality: 90 })
    .toBuffer();
}

function shuffle<T>(items: T[], random: Prng): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
