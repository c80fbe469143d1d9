import { detectPanorama, type ImageFacts } from './detectPanorama.js';
import { displayProfile } from './displayProfiles.js';
import { InvalidFoveateParameterError } from './errors.js';
import type { FoveationSettings, PanelSurfaceSettings, SurfaceSpec } from './types.js';

const radiansPerDegree = Math.PI / 180;
const degreesPerRadian = 180 / Math.PI;

/**
 * Where an image will be shown: on the sphere if it is a panorama, else on
 * the configured panel (`settings.imageSurface`), sized to the image's aspect
 * and, flat, made smaller for a source too small to fill it at the first
 * profile's PPD (`maxDisplayPxPerSourcePx`): the viewer shows it at that size
 * on that display (smaller on a finer one, larger up to the configured angle
 * on a coarser one), so the layers are planned for the angle it is seen at.
 */
export function surfaceForImage(
  image: ImageFacts,
  settings: Pick<FoveationSettings, 'panorama' | 'surfaces' | 'imageSurface' | 'profiles'>,
): SurfaceSpec {
  const panorama = detectPanorama(image, settings);
  if (panorama) return panorama;
  const panel = settings.surfaces[settings.imageSurface];
  if (!panel) {
    throw new InvalidFoveateParameterError('imageSurface', `one of ${Object.keys(settings.surfaces).join(', ')}`, settings.imageSurface);
  }
  const configured = panelSurface(settings.imageSurface, panel, image.widthPx / image.heightPx);
  if (configured.projection !== 'flat' || !panel.maxDisplayPxPerSourcePx || settings.profiles.length === 0) return configured;
  // Planned for the first profile, the one the configuration names first; the viewer scales for the others.
  const plannedPpd = displayProfile(settings.profiles[0]!).ppd;
  const fill =
    sourceFillHalfTan(image.widthPx, plannedPpd, panel.maxDisplayPxPerSourcePx) / Math.tan(configured.yawDeg[1] * radiansPerDegree);
  return fill < 1 ? scaledFlatSurface(configured, fill) : configured;
}

/**
 * The half-width (a tangent) of the largest flat panel on which `widthPx` source pixels get no more than
 * `maxDisplayPxPerSourcePx` display pixels each, at its centre, on a display of `displayPpd`.
 */
export function sourceFillHalfTan(widthPx: number, displayPpd: number, maxDisplayPxPerSourcePx: number): number {
  return (widthPx / 2) * radiansPerDegree * (maxDisplayPxPerSourcePx / displayPpd);
}

/** A flat surface with its tangents multiplied by `scale` (its aspect kept). */
function scaledFlatSurface(surface: SurfaceSpec, scale: number): SurfaceSpec {
  const yaw = Math.atan(scale * Math.tan(surface.yawDeg[1] * radiansPerDegree)) * degreesPerRadian;
  const pitch = Math.atan(scale * Math.tan(surface.pitchDeg[1] * radiansPerDegree)) * degreesPerRadian;
  return { ...surface, yawDeg: [-yaw, yaw], pitchDeg: [-pitch, pitch] };
}

/** A panel `widthDeg` wide, as tall as the aspect makes it, shrunk to fit `maxHeightDeg`. */
export function panelSurface(name: string, panel: PanelSurfaceSettings, aspect: number): SurfaceSpec {
  const limit = panel.kind === 'flat' ? 120 : 360;
  if (!(panel.widthDeg > 0 && panel.widthDeg <= limit)) {
    throw new InvalidFoveateParameterError(
      `surfaces.${name}.widthDeg`,
      `a number in (0, ${limit}] for a ${panel.kind} panel`,
      panel.widthDeg,
    );
  }
  if (!(panel.maxHeightDeg > 0 && panel.maxHeightDeg <= Math.min(limit, 180))) {
    throw new InvalidFoveateParameterError(`surfaces.${name}.maxHeightDeg`, `a number in (0, ${Math.min(limit, 180)}]`, panel.maxHeightDeg);
  }
  if (panel.kind === 'flat') {
    // Plane coordinates (tangents) scale with pixels, so the aspect holds in tangents, not angles.
    let halfWidth = Math.tan((panel.widthDeg / 2) * radiansPerDegree);
    let halfHeight = halfWidth / aspect;
    const maxHalfHeight = Math.tan((panel.maxHeightDeg / 2) * radiansPerDegree);
    if (halfHeight > maxHalfHeight) {
      halfHeight = maxHalfHeight;
      halfWidth = halfHeight * aspect;
    }
    const yaw = Math.atan(halfWidth) * degreesPerRadian;
    const pitch = Math.atan(halfHeight) * degreesPerRadian;
    return { projection: 'flat', name, yawDeg: [-yaw, yaw], pitchDeg: [-pitch, pitch] };
  }
  let halfYaw = panel.widthDeg / 2;
  let halfPitch = halfYaw / aspect;
  if (halfPitch > panel.maxHeightDeg / 2) {
    halfPitch = panel.maxHeightDeg / 2;
    halfYaw = halfPitch * aspect;
  }
  return { projection: 'equirect', name, yawDeg: [-halfYaw, halfYaw], pitchDeg: [-halfPitch, halfPitch] };
}
