export { pipelineConfig } from './pipelineConfig.js';
export {
  lambdaEnvNames,
  readLambdaEnv,
  readAccessEnv,
  lambdaEnvRecord,
  embeddingModelEnvRecord,
  MissingEnvError,
  type LambdaEnv,
} from './lambdaEnv.js';
export {
  embeddingModelSetting,
  parseS3ModelUri,
  InvalidEmbeddingModelError,
  type EmbeddingModelSetting,
  type EmbeddingModelSpec,
  type ModelPreprocessing,
} from './embeddingModel.js';
export { queueStages, queueStageList, type QueueStage, type QueueStageName } from './stageTable.js';
export type { AccessSettings } from './accessConfig.js';
