import { FoveateError } from './errors.js';
import type { DisplayProfile, FoveatedManifest, ManifestProfile } from './types.js';

/**
 * The planned profile a display should use: the finest whose PPD it can show
 * (display PPD at most the measured one), else the coarsest planned. A viewer
 * passes the profile it measured at run time (measuredDisplayProfile).
 */
export function pickManifestProfile(manifest: FoveatedManifest, display: Pick<DisplayProfile, 'ppd'>): ManifestProfile {
  const byPpd = [...manifest.profiles].sort((a, b) => a.displayPpd - b.displayPpd);
  if (byPpd.length === 0) throw new FoveateError('the manifest plans no profiles');
  return byPpd.filter((profile) => profile.displayPpd <= display.ppd * (1 + 1e-9)).pop() ?? byPpd[0]!;
}
