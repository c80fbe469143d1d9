import { UnknownDisplayProfileError } from './errors.js';
import type { DisplayProfile } from './types.js';

/** WebGL texture ceiling assumed where a headset's is not published (the viewer measures the real one). */
const assumedMaxTextureSizePx = 4096;

/**
 * Named headsets. `ppd` is the density at the view centre, where the eye
 * looks through the sharpest part of the lens; it caps the finest layer.
 */
export const displayProfiles = {
  // Meta Quest 3 spec sheet (2023): 2064×2208 px per eye, pancake lenses,
  // 110°H × 96°V; Meta quotes 25 PPD at the centre (2064/110 ≈ 18.8 on average).
  'quest-3': {
    id: 'quest-3',
    label: 'Meta Quest 3',
    ppd: 25,
    averagePpd: 18.8,
    fovDeg: { horizontal: 110, vertical: 96 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Meta Quest 3S spec sheet (2024): 1832×1920 px per eye behind Quest 2's
  // Fresnel lenses, ~96°H × 90°V; ~20 PPD at the centre (Meta's Quest 2 figure).
  'quest-3s': {
    id: 'quest-3s',
    label: 'Meta Quest 3S',
    ppd: 20,
    averagePpd: 19.1,
    fovDeg: { horizontal: 96, vertical: 90 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Pico 4 / Pico 4 Ultra spec sheets: 2160×2160 px per eye, 105° FOV;
  // Pico quotes 20.6 PPD (2160/105 ≈ 20.6, often rounded to ~20.7).
  'pico-4': {
    id: 'pico-4',
    label: 'Pico 4 / 4 Ultra',
    ppd: 20.6,
    averagePpd: 20.6,
    fovDeg: { horizontal: 105, vertical: 105 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Apple Vision Pro: ~3660×3200 px per eye (23 MP total, Apple), ~100°H;
  // about 34 PPD averaged over the view, ~44 PPD at the centre (reviewers'
  // measurements, e.g. optics teardowns, 2024). Apple publishes no PPD.
  'apple-vision-pro': {
    id: 'apple-vision-pro',
    label: 'Apple Vision Pro',
    ppd: 44,
    averagePpd: 34,
    fovDeg: { horizontal: 100, vertical: 90 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Samsung Galaxy XR spec sheet (2025): 3552×3840 px per eye micro-OLED,
  // 109°H × 100°V; ~32 PPD (3552/109 ≈ 32.6).
  'samsung-galaxy-xr': {
    id: 'samsung-galaxy-xr',
    label: 'Samsung Galaxy XR',
    ppd: 32,
    averagePpd: 32,
    fovDeg: { horizontal: 109, vertical: 100 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Varjo XR-4 spec sheet (2023): 3840×3744 px per eye, 120°H × 105°V;
  // Varjo quotes 51 PPD at the centre.
  'varjo-xr-4': {
    id: 'varjo-xr-4',
    label: 'Varjo XR-4',
    ppd: 51,
    averagePpd: 32,
    fovDeg: { horizontal: 120, vertical: 105 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
  // Snellen 20/20 vision resolves 1 arcminute: 60 PPD, the ceiling any display needs.
  'eye-20-20': {
    id: 'eye-20-20',
    label: 'Eye, 20/20 vision',
    ppd: 60,
    fovDeg: { horizontal: 200, vertical: 135 },
    maxTextureSizePx: assumedMaxTextureSizePx,
    origin: 'catalog',
  },
} as const satisfies Record<string, DisplayProfile>;

/** The catalog profile with this id; a clear error for an unknown one (a typo in config). */
export function displayProfile(id: string, maxTextureSizePx?: number): DisplayProfile {
  const profile: DisplayProfile | undefined = (displayProfiles as Record<string, DisplayProfile>)[id];
  if (!profile) throw new UnknownDisplayProfileError(id, Object.keys(displayProfiles));
  return maxTextureSizePx === undefined ? profile : { ...profile, maxTextureSizePx };
}
