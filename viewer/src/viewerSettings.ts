import { foveationConfig, viewerConfig } from '../../functions/config/viewerConfig.js';

/**
 * The viewer's tunables (pipelineConfig.viewer; docs/viewer.md), plus the
 * foveation settings the viewer shares with the planner (surface of an image
 * whose layers are not made yet). Only those two sections are imported, so the
 * bundle carries nothing else of the configuration.
 */
export const viewerSettings = {
  ...viewerConfig,
  foveation: foveationConfig,
  textureBudgetBytes: viewerConfig.tiles.textureBudgetMb * 1024 * 1024,
} as const;

export type ViewerSettings = typeof viewerSettings;
