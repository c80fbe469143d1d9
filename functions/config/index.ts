export { pipelineConfig } from './pipelineConfig.js';
export { lambdaEnvNames, readLambdaEnv, readAccessEnv, lambdaEnvRecord, MissingEnvError, type LambdaEnv } from './lambdaEnv.js';
export { queueStages, queueStageList, type QueueStage, type QueueStageName } from './stageTable.js';
export type { AccessSettings } from './accessConfig.js';
