import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { detectPanorama } from '../../../../functions/domain/foveate/index.js';
import { probeImage } from '../../../../functions/domain/media/index.js';
import { gpanoXmp, makeEquirectJpeg } from '../../../helpers/panoramaImages.js';

const settings = pipelineConfig.foveation;
const noOverride = { panorama: { ...settings.panorama, twoToOneIsEquirect: false } };

describe('detectPanorama', () => {
  it('reads GPano ProjectionType from XMP written by sharp, as an attribute', async () => {
    const probe = await probeImage(await makeEquirectJpeg(600, 400), 'image/jpeg', 1e8);
    expect(detectPanorama(probe, noOverride)).toEqual({ projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] });
  });

  it('reads GPano as elements, and a cropped panorama as its angular extent', () => {
    const xmp =
      '<rdf:Description><GPano:ProjectionType>equirectangular</GPano:ProjectionType><GPano:FullPanoWidthPixels>8000</GPano:FullPanoWidthPixels>' +
      '<GPano:FullPanoHeightPixels>4000</GPano:FullPanoHeightPixels><GPano:CroppedAreaImageWidthPixels>4000</GPano:CroppedAreaImageWidthPixels>' +
      '<GPano:CroppedAreaImageHeightPixels>1000</GPano:CroppedAreaImageHeightPixels><GPano:CroppedAreaTopPixels>1500</GPano:CroppedAreaTopPixels></rdf:Description>';
    expect(detectPanorama({ widthPx: 4000, heightPx: 1000, xmp }, noOverride)).toEqual({
      projection: 'equirect',
      name: 'panorama',
      yawDeg: [-90, 90],
      pitchDeg: [-22.5, 22.5],
    });
  });

  it('takes 2:1 images without XMP as 360° unless overridden, and trusts XMP that says otherwise', () => {
    expect(detectPanorama({ widthPx: 4000, heightPx: 2000 }, settings)?.name).toBe('360');
    expect(detectPanorama({ widthPx: 4000, heightPx: 2010 }, settings)?.name).toBe('360');
    expect(detectPanorama({ widthPx: 4000, heightPx: 2000 }, noOverride)).toBeUndefined();
    expect(detectPanorama({ widthPx: 4000, heightPx: 2200 }, settings)).toBeUndefined();
    expect(detectPanorama({ widthPx: 4000, heightPx: 2000, xmp: gpanoXmp({ ProjectionType: 'cylindrical' }) }, settings)).toBeUndefined();
  });
});
