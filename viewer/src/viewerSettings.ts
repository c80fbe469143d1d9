import { pipelineConfig } from '../../functions/config/pipelineConfig.js';

/**
 * The viewer's tunables, from the pipeline's one configuration object
 * (pipelineConfig.viewer; docs/viewer.md), plus the foveation settings the
 * viewer shares with the planner (surface of an image whose layers are not
 * made yet).
 */
export const viewerSettings = {
  ...pipelineConfig.viewer,
  foveation: pipelineConfig.foveation,
  textureBudgetBytes: pipelineConfig.viewer.tiles.textureBudgetMb * 1024 * 1024,
} as const;

export type ViewerSettings = typeof viewerSettings;
