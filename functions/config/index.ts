export { pipelineConfig } from './pipelineConfig.js';
export { lambdaEnvNames, readLambdaEnv, lambdaEnvRecord, MissingEnvError, type LambdaEnv } from './lambdaEnv.js';
export { queueStages, queueStageList, type QueueStage, type QueueStageName } from './stageTable.js';
