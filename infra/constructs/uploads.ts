// Large imports: a private bucket the API presigns PUT URLs into (`imports/<id>/…`), and
// the importer Lambda that S3 invokes for each new object there. The notification is declared on
// the bucket itself (no notifications custom resource, whose Python function the house rules
// would not allow), so the bucket has a name we know before it exists: the invoke permission must
// name it without referencing the bucket, or the two would depend on each other.
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { HouseFunction } from './house-function.js';

/** The key prefix every upload uses; grants and the notification are scoped to it. */
export const IMPORT_PREFIX = 'imports/';

const IAM5 = 'AwsSolutions::AwsSolutions-IAM5';

const PREFIX_REASON =
  'Upload objects are named imports/<importId>/<kind>.<format> by a new id per job: the grant is the imports/ prefix of this one bucket.';

export interface UploadsProps {
  table: ITableV2;
  envName: string;
}

export class Uploads extends Construct {
  readonly bucket: Bucket;
  readonly importer: HouseFunction<'import-upload'>;
  /** `arn:…:s3:::<bucket>/imports/*`: the only objects either grant covers. */
  readonly importObjectsArn: string;
  private readonly envSlug: string;

  constructor(scope: Construct, id: string, props: UploadsProps) {
    super(scope, id);
    this.envSlug = props.envName.toLowerCase();
    const bucketName = `touchpoint-imports-${this.envSlug}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    // Named, not referenced: the importer's policy must not depend on the bucket, which depends on
    // the invoke permission, which depends on the function and so on its policy.
    this.importObjectsArn = `arn:${Aws.PARTITION}:s3:::${bucketName}/${IMPORT_PREFIX}*`;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Uploads are inputs, imported once; a week leaves time to look at a failed one.
      lifecycleRules: [
        { expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Uploads expire in 7 days and every import is recorded as a job in the table; CloudTrail data events are the audit path if needed, not a second bucket of access logs.',
    });

    this.importer = new HouseFunction(this, 'ImportUploadFn', {
      name: 'import-upload',
      description: 'Imports an uploaded file (S3 imports/ prefix), all or nothing, and records the job',
      // Two streaming passes over files of millions of lines; the 15-minute Lambda maximum.
      timeout: Duration.minutes(15),
      memorySize: 1024,
    }).bindTable(props.table);
    this.importer.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.importObjectsArn] }),
    );

    const role = this.importer.role ?? this.importer;
    Validations.of(role).acknowledge({
      id: `${IAM5}[Resource::*]`,
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept only Resource *.',
    });
    Validations.of(role).acknowledge({
      id: `${IAM5}[Resource::arn:<AWS::Partition>:s3:::touchpoint-imports-${this.envSlug}-<AWS::AccountId>-<AWS::Region>/${IMPORT_PREFIX}*]`,
      reason: PREFIX_REASON,
    });

    const invoke = new CfnPermission(this, 'S3InvokesImporter', {
      action: 'lambda:InvokeFunction',
      functionName: this.importer.functionArn,
      principal: 's3.amazonaws.com',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: `arn:${Aws.PARTITION}:s3:::${bucketName}`,
    });
    const cfnBucket = this.bucket.node.defaultChild;
    if (cfnBucket instanceof CfnBucket) {
      cfnBucket.notificationConfiguration = {
        lambdaConfigurations: [
          {
            event: 's3:ObjectCreated:*',
            function: this.importer.functionArn,
            filter: { s3Key: { rules: [{ name: 'prefix', value: IMPORT_PREFIX }] } },
          },
        ],
      };
      // S3 checks that it may invoke the function when the configuration is saved.
      cfnBucket.addResourceDependency(invoke);
    }
  }

  /** s3:PutObject on the imports prefix only (what a presigned PUT needs), and the bucket's name. */
  bindPresigner(fn: HouseFunction<'api'>): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.importObjectsArn] }),
    );
    fn.setEnv(ENV.importBucket, this.bucket.bucketName);
    Validations.of(fn.role ?? fn).acknowledge({
      id: `${IAM5}[Resource::arn:<AWS::Partition>:s3:::touchpoint-imports-${this.envSlug}-<AWS::AccountId>-<AWS::Region>/${IMPORT_PREFIX}*]`,
      reason: PREFIX_REASON,
    });
  }
}
