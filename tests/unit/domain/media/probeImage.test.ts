import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeImage, TooManyPixelsError } from '../../../../functions/domain/media/index.js';
import { gpanoXmp, makeEquirectJpeg } from '../../../helpers/panoramaImages.js';
import { makeJpeg, makePng } from '../../../helpers/testImages.js';

describe('probeImage', () => {
  it('reports the size after EXIF orientation, from the header alone', async () => {
    const rotated = await sharp(await makeJpeg(600, 300))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect(await probeImage(rotated, 'image/jpeg', 1e8)).toEqual({ widthPx: 300, heightPx: 600 });
  });

  it('returns the XMP packet when there is one', async () => {
    const probe = await probeImage(await makeEquirectJpeg(400, 200, gpanoXmp({ PoseHeadingDegrees: 90 })), 'image/jpeg', 1e8);
    expect(probe.xmp).toContain('GPano:ProjectionType="equirectangular"');
    expect(probe.xmp).toContain('GPano:PoseHeadingDegrees="90"');
  });

  it('refuses more pixels than the limit, naming the size', async () => {
    await expect(probeImage(await makePng(400, 300), 'image/png', 100_000)).rejects.toThrow(TooManyPixelsError);
    await expect(probeImage(await makePng(400, 300), 'image/png', 100_000)).rejects.toThrow('400×300');
  });
});
