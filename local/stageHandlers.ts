import type { QueueStageName } from '../functions/config/index.js';
import { buildIndexerHandler } from '../functions/handlers/indexer.js';
import { buildIngestHandler } from '../functions/handlers/ingest.js';
import type { StageHandlerBuilder } from '../functions/handlers/stageWiring.js';
import { buildVideoHandler } from '../functions/handlers/video.js';

/** Each stage's handler, built as its Lambda entry point builds it: the local mode only wires it differently. */
export const stageHandlers: Record<QueueStageName, StageHandlerBuilder> = {
  ingest: buildIngestHandler,
  video: buildVideoHandler,
  index: buildIndexerHandler,
};
