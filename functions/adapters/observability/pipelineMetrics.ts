import { Metrics } from '@aws-lambda-powertools/metrics';
import { pipelineConfig } from '../../config/index.js';

/** Powertools Metrics (CloudWatch embedded metric format on stdout) in the pipeline's namespace, one service per function. */
export function createPipelineMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: pipelineConfig.monitoring.metricsNamespace, serviceName });
}
