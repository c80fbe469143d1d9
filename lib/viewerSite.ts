import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeFindings, basicExecutionRoleFinding, runtimeFinding, wildcardFindingsOf } from './nagFindings.js';
import { builtViewerAssets } from './viewerAssets.js';

export interface ViewerSiteProps {
  /** The directory `npm run build:viewer` writes (index.html plus hashed assets). */
  viewerAssetPath: string;
  /** Where S3 server access logs go (AccessLogsBucket), under their own prefix. */
  accessLogs: { bucket: IBucket; prefix: string };
}

/** The page every new viewer build starts from; everything else it loads has a content hash in its name. */
const entryPage = 'index.html';

/**
 * The built viewer in a private bucket. Nothing in it is worth keeping: it is
 * rebuilt from viewer/ on every deploy, so it goes with the stack.
 */
export class ViewerSite extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ViewerSiteProps) {
    super(scope, id);
    const source = Source.asset(builtViewerAssets(props.viewerAssetPath));

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs.bucket,
      serverAccessLogsPrefix: props.accessLogs.prefix,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // Hashed assets first: they can be cached by name, and old ones are pruned.
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: [entryPage],
    });

    // Then the entry page, revalidated on every load, so a deploy shows up without a CloudFront invalidation
    // and never points at assets that are not uploaded yet.
    const entry = new BucketDeployment(this, 'EntryPage', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [entryPage],
      prune: false,
      cacheControl: [CacheControl.noCache()],
    });
    entry.node.addDependency(assets);

    // Both deployments run in CDK's one provider function, which exists only to run deploys.
    const provider = entry.handlerRole;
    acknowledgeFindings(
      provider,
      "CDK's BucketDeployment provider copies the built viewer from CDK's staged asset into the site bucket and prunes old files: " +
        'it reads the staged asset objects and writes and deletes any key of the site bucket, which holds nothing else. ' +
        'CDK creates and grants this role (with the basic execution policy) and does not take one of ours.',
      basicExecutionRoleFinding,
      ...wildcardFindingsOf(provider),
    );
    acknowledgeFindings(
      provider.node.scope!,
      "The runtime of CDK's BucketDeployment provider is chosen by aws-cdk-lib; it runs only during a deploy, on files CDK staged itself.",
      runtimeFinding,
    );
  }
}
