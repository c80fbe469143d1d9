import { describe, expect, it } from 'vitest';
import { eccentricityWherePpdFallsTo, firstViewTiles } from '../../../functions/domain/foveate/index.js';
import { decodedTextureBytes } from '../../../viewer/src/foveated/decodedTextureBytes.js';
import { rectDistanceDeg } from '../../../viewer/src/foveated/rectDistanceDeg.js';
import { selectGazeTiles } from '../../../viewer/src/foveated/selectGazeTiles.js';
import { anglesDirection } from '../../../viewer/src/foveated/surfaceDirection.js';
import { plannedManifest } from '../../helpers/plannedManifest.js';

const tileName = (selected: { layer: { name: string }; tile: { col: number; row: number } }) =>
  `${selected.layer.name}/${selected.tile.col}_${selected.tile.row}`;

describe('selectGazeTiles', () => {
  const photo = plannedManifest(6000, 4000).manifest;
  const quest = photo.profiles.find((profile) => profile.id === 'quest-3')!;
  const pano = plannedManifest(8192, 4096).manifest;
  const panoQuest = pano.profiles.find((profile) => profile.id === 'quest-3')!;

  it('looking straight ahead, selects the base, the rings and exactly the first-view full-PPD tiles', () => {
    const selected = selectGazeTiles(photo, quest, [0, 0, -1]);
    expect(selected[0]!.layer.role).toBe('base');
    const firstView = firstViewTiles(photo, 'quest-3');
    type Entry = { layer: { role: string; name: string }; tile: { col: number; row: number } };
    const tilesOf = (list: Entry[]) => list.filter((entry) => entry.layer.role === 'tiles');
    expect(new Set(tilesOf(selected).map(tileName))).toEqual(new Set(tilesOf(firstView).map(tileName)));
    // Every ring tile of the first view is selected too: the rings surround the head direction.
    const rings = (list: Entry[]) => list.filter((entry) => entry.layer.role === 'ring');
    for (const name of rings(firstView).map(tileName)) expect(rings(selected).map(tileName)).toContain(name);
  });

  it('orders by priority: the base, then the full-PPD tiles nearest the gaze first, then the rings nearest first', () => {
    const selected = selectGazeTiles(photo, quest, anglesDirection(8, 4));
    expect(selected[0]!.layer.role).toBe('base');
    const roles = selected.slice(1).map((entry) => entry.layer.role);
    expect(roles.indexOf('ring')).toBeGreaterThan(roles.lastIndexOf('tiles'));
    expect(roles).toContain('ring');
    for (const role of ['tiles', 'ring']) {
      const distances = selected.filter((entry) => entry.layer.role === role).map((entry) => entry.distanceDeg);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
    }
  });

  it('on a panorama, takes every full-PPD tile within the fovea radius of the gaze and none beyond, in any direction', () => {
    const tiles = pano.layers.find((layer) => layer.name === panoQuest.layers.at(-1))!;
    for (const [yaw, pitch] of [
      [0, 0],
      [90, 0],
      [180, 0],
      [-90, 0],
      [0, 60],
      [180, -60],
      [45, 30],
      [-135, -45],
    ] as const) {
      const gaze = anglesDirection(yaw, pitch);
      const selected = new Set(
        selectGazeTiles(pano, panoQuest, gaze)
          .filter((entry) => entry.layer.role === 'tiles')
          .map(tileName),
      );
      const expected = new Set(
        tiles.tiles
          .filter((tile) => rectDistanceDeg(pano.surface, tile.rect, gaze) <= panoQuest.foveaRadiusDeg)
          .map((tile) => `${tiles.name}/${tile.col}_${tile.row}`),
      );
      expect(selected, `yaw ${yaw} pitch ${pitch}`).toEqual(expected);
      expect(selected.size).toBeGreaterThan(0);
      // Far fewer than the whole layer: the gaze needs only its surroundings.
      expect(selected.size).toBeLessThan(tiles.tiles.length / 3);
    }
  });

  it('leaves out every layer whose next coarser one has all the PPD the display shows, and adds them back as it shows more', () => {
    const layerPpd = (selected: ReturnType<typeof selectGazeTiles>) => Math.max(...selected.map((entry) => entry.layer.ppd));
    const all = selectGazeTiles(photo, quest, [0, 0, -1]);
    const ladder = [...new Set(all.map((entry) => entry.layer.ppd))].sort((a, b) => a - b);
    expect(ladder.length).toBeGreaterThan(2);
    // A display showing a little more than each layer: that layer and the next finer one, never beyond.
    for (let index = 0; index + 1 < ladder.length; index += 1) {
      const selected = selectGazeTiles(photo, quest, [0, 0, -1], { displayPpd: ladder[index]! * 1.01 });
      expect(layerPpd(selected)).toBe(ladder[index + 1]);
    }
    // Exactly a layer's PPD: that layer is as fine as needed.
    expect(layerPpd(selectGazeTiles(photo, quest, [0, 0, -1], { displayPpd: ladder[1]! }))).toBe(ladder[1]);
    // Below the coarsest: the base alone.
    expect(selectGazeTiles(photo, quest, [0, 0, -1], { displayPpd: ladder[0]! / 2 }).map((entry) => entry.layer.role)).toEqual(['base']);
    // At the profile's own PPD: everything, the full-PPD tiles too.
    expect(selectGazeTiles(photo, quest, [0, 0, -1], { displayPpd: quest.displayPpd }).map(tileName)).toEqual(all.map(tileName));
  });

  it('keeps rings to where the eye wants more than the next coarser layer', () => {
    const gaze = anglesDirection(5, -3);
    for (const entry of selectGazeTiles(photo, quest, gaze).filter((selected) => selected.layer.role === 'ring')) {
      const coarser = photo.layers.find((layer) => layer.name === quest.layers[entry.layerIndex - 1])!;
      expect(entry.distanceDeg).toBeLessThanOrEqual(eccentricityWherePpdFallsTo(coarser.ppd, photo.acuity));
    }
    // Looking behind a panorama, its rings (around the initial direction) are not needed at all.
    expect(selectGazeTiles(pano, panoQuest, anglesDirection(180, 0)).some((entry) => entry.layer.role === 'ring')).toBe(false);
  });

  it('widens by the hysteresis, narrows with eye tracking, and stops at the texture budget (the base always in)', () => {
    const gaze = anglesDirection(60, 10);
    const plain = selectGazeTiles(pano, panoQuest, gaze);
    const wider = selectGazeTiles(pano, panoQuest, gaze, { hysteresisDeg: 8 });
    const eyes = selectGazeTiles(pano, panoQuest, gaze, { eyeTracked: true });
    expect(wider.length).toBeGreaterThan(plain.length);
    expect(new Set(wider.map(tileName))).toEqual(new Set([...wider.map(tileName), ...plain.map(tileName)]));
    expect(eyes.length).toBeLessThan(plain.length);
    for (const entry of eyes.filter((selected) => selected.layer.role === 'tiles')) {
      expect(entry.distanceDeg).toBeLessThanOrEqual(panoQuest.foveaRadiusDeg - pano.acuity.eyeMarginDeg);
    }
    const budget = 4 * 1024 * 1024;
    const capped = selectGazeTiles(pano, panoQuest, gaze, { maxDecodedBytes: budget });
    expect(capped.length).toBeLessThan(plain.length);
    expect(capped[0]!.layer.role).toBe('base');
    const bytes = capped.slice(1).reduce((sum, entry) => sum + decodedTextureBytes(entry.tile.widthPx, entry.tile.heightPx), 0);
    expect(bytes).toBeLessThanOrEqual(budget);
    // The budget keeps the most urgent tiles: the capped list is a prefix of the full one.
    expect(capped.map(tileName)).toEqual(plain.slice(0, capped.length).map(tileName));
    expect(selectGazeTiles(pano, panoQuest, gaze, { maxDecodedBytes: 0 }).map((entry) => entry.layer.role)).toEqual(['base']);
  });
});
