import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { embeddingModelEnvRecord, parseS3ModelUri, pipelineConfig, type EmbeddingModelSetting } from '../functions/config/index.js';
import { OnnxRuntimeLayer, onnxRuntimePackage } from './onnxRuntimeLayer.js';

/** What a function that embeds is deployed with when a model of your own is configured. */
export interface EmbeddingFunctionSettings {
  environment: Record<string, string>;
  layers: ILayerVersion[];
  externalModules: string[];
  /** The larger of the function's own memory and the model's. */
  memoryMb(ownMemoryMb: number): number;
}

/**
 * A model of your own (`cdk deploy -c embeddingModel=s3://… -c embeddingModelSpec=…`):
 * the ONNX runtime layer, what every embedding function is told, and read
 * access to exactly the model's object. Memory follows the spec's memoryMb,
 * or pipelineConfig.embedding.onnx.memoryMb, never below a function's own.
 */
export class EmbeddingModelDeployment extends Construct {
  readonly settings: EmbeddingFunctionSettings;
  private readonly modelObjectArn: string;

  constructor(scope: Construct, id: string, setting: EmbeddingModelSetting) {
    super(scope, id);
    const { bucket, key } = parseS3ModelUri(setting.model, 'embeddingModel');
    this.modelObjectArn = `arn:${Aws.PARTITION}:s3:::${bucket}/${key}`;
    const modelMemoryMb = setting.spec.memoryMb ?? pipelineConfig.embedding.onnx.memoryMb;
    this.settings = {
      environment: embeddingModelEnvRecord(setting),
      layers: [new OnnxRuntimeLayer(this, 'OnnxRuntimeLayer')],
      externalModules: [onnxRuntimePackage],
      memoryMb: (ownMemoryMb) => Math.max(ownMemoryMb, modelMemoryMb),
    };
  }

  /** s3:GetObject on the model's one object, nothing more. */
  grantRead(fn: IFunction): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.modelObjectArn] }));
  }
}
