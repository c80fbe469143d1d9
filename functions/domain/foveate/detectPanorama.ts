import type { FoveationSettings, SurfaceSpec } from './types.js';

export interface ImageFacts {
  readonly widthPx: number;
  readonly heightPx: number;
  /** The XMP packet, if the file carries one. */
  readonly xmp?: string;
}

/**
 * A 360° (or cropped) equirectangular panorama as a surface, or undefined for
 * an ordinary picture. Photo Sphere XMP (GPano:ProjectionType=equirectangular)
 * decides when present, with its cropped area; without it, an image within
 * `aspectTolerance` of 2:1 counts as a full sphere unless `twoToOneIsEquirect`
 * is turned off.
 */
export function detectPanorama(image: ImageFacts, settings: Pick<FoveationSettings, 'panorama'>): SurfaceSpec | undefined {
  const projection = image.xmp === undefined ? undefined : gpanoField(image.xmp, 'ProjectionType');
  if (projection !== undefined) {
    if (projection.toLowerCase() !== 'equirectangular') return undefined;
    return croppedSphere(image.xmp!);
  }
  const aspect = image.widthPx / image.heightPx;
  if (settings.panorama.twoToOneIsEquirect && Math.abs(aspect / 2 - 1) <= settings.panorama.aspectTolerance) {
    return fullSphere();
  }
  return undefined;
}

function fullSphere(): SurfaceSpec {
  return { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] };
}

/** GPano's cropped area, as angles; the crop's centre becomes the initial heading, the horizon stays at pitch 0. */
function croppedSphere(xmp: string): SurfaceSpec {
  const number = (field: string) => {
    const value = Number(gpanoField(xmp, field));
    return Number.isFinite(value) ? value : undefined;
  };
  const fullWidth = number('FullPanoWidthPixels');
  const fullHeight = number('FullPanoHeightPixels');
  const cropWidth = number('CroppedAreaImageWidthPixels');
  const cropHeight = number('CroppedAreaImageHeightPixels');
  const cropTop = number('CroppedAreaTopPixels') ?? 0;
  if (!fullWidth || !fullHeight || !cropWidth || !cropHeight || (cropWidth >= fullWidth && cropHeight >= fullHeight)) {
    return fullSphere();
  }
  const yawSpan = Math.min(360, (cropWidth / fullWidth) * 360);
  const pitchTop = 90 - (cropTop / fullHeight) * 180;
  const pitchBottom = Math.max(-90, pitchTop - (cropHeight / fullHeight) * 180);
  return { projection: 'equirect', name: 'panorama', yawDeg: [-yawSpan / 2, yawSpan / 2], pitchDeg: [pitchBottom, pitchTop] };
}

/** A GPano property, written either as an attribute or as an element (both are valid XMP). */
function gpanoField(xmp: string, field: string): string | undefined {
  const attribute = new RegExp(`GPano:${field}\\s*=\\s*["']([^"']*)["']`).exec(xmp);
  if (attribute) return attribute[1]!.trim();
  const element = new RegExp(`<GPano:${field}>([^<]*)</GPano:${field}>`).exec(xmp);
  return element ? element[1]!.trim() : undefined;
}
