// Large imports: a private bucket the API presigns PUT URLs into (`imports/<id>/…`), and
// the importer Lambda that S3 invokes for each new object there. The notification is declared on
// the bucket itself (no notifications custom resource, whose Python function the house rules
// would not allow), so the bucket has a name we know before it exists: the invoke permission must
// name it without referencing the bucket, or the two would depend on each other.
import { Aws, CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket } from 'aws-cdk-lib/aws-s3';
import {
  AwsOwnedEncryptionConfiguration,
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { WORK_PREFIX } from '../../shared/usecases/imports/chunked-import.js';
import { HouseFunction } from './house-function.js';

/** State names of the chunked import (docs/imports-at-scale.md): a contract with the tests. */
export const IMPORT_STATES = {
  plan: 'PlanImport',
  claimed: 'Claimed',
  alreadyClaimed: 'AlreadyClaimed',
  validateChunks: 'ValidateChunks',
  validateChunk: 'ValidateChunk',
  findDuplicates: 'FindDuplicates',
  checkPartition: 'CheckPartition',
  decide: 'DecideImport',
  valid: 'Valid',
  refused: 'Refused',
  byKind: 'ByKind',
  writeChunks: 'WriteChunks',
  writeChunksInOrder: 'WriteChunksInOrder',
  finish: 'FinishImport',
  markFailed: 'MarkImportFailed',
  failed: 'ImportFailed',
} as const;

/** Chunks validated at once (each one invocation reading ~16 MB by range). */
export const VALIDATE_CONCURRENCY = 10;
/**
 * Customer chunks written at once (each writes 4 batches at a time, WRITE_CONCURRENCY). Contracts
 * and events are written one chunk at a time, in file order: attribution and a customer's activity
 * read what earlier writes stored, as in the single importer.
 */
export const WRITE_CHUNK_CONCURRENCY = 8;
/** A whole import of millions of rows: validate and write, with every retry, well inside this. */
export const IMPORT_TIMEOUT_HOURS = 6;

const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

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
  /** The chunked import of uploads too large for one invocation (CHUNKED_IMPORT_MIN_BYTES and up). */
  readonly stateMachine: StateMachine;
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
    this.stateMachine = this.importMachine(bucketName);

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

  /**
   * plan → validate each chunk → duplicates per id partition → decide → write each chunk → finish,
   * every step the importer function itself (`{ step, … }`); any step failing past its retries marks
   * the job failed. Inline Maps over the plan's manifest (~20 chunks of 16 MB for a million rows):
   * the parent's history stays a few hundred events, and the local runner runs the same definition.
   */
  private importMachine(bucketName: string): StateMachine {
    const machineName = `touchpoint-imports-${this.envSlug}`;
    // Named, not referenced: the importer starts it and it invokes the importer.
    const machineArn = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${machineName}`;
    const workArn = `arn:${Aws.PARTITION}:s3:::${bucketName}/${WORK_PREFIX}*`;
    const fn = this.importer;
    const step = (stateName: string, payload: Record<string, unknown>, resultPath?: string) => {
      const task = new LambdaInvoke(this, stateName, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        ...(resultPath !== undefined && { resultPath }),
        ...(fn.timeout ? { taskTimeout: Timeout.duration(fn.timeout) } : {}),
        retryOnServiceExceptions: false,
        payload: TaskInput.fromObject(payload),
      });
      task.addRetry({
        errors: LAMBDA_TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
      });
      // A chunk's step is safe to run again: work files are overwritten, writes are upserts.
      task.addRetry({
        errors: ['States.TaskFailed', 'States.Timeout'],
        interval: Duration.seconds(10),
        maxAttempts: 2,
        backoffRate: 3,
      });
      return task;
    };
    const job = JsonPath.objectAt('$.plan.job');
    const markFailed = step(
      IMPORT_STATES.markFailed,
      {
        step: 'fail',
        importId: JsonPath.stringAt('$.importId'),
        error: JsonPath.stringAt('$.failure.Error'),
        cause: JsonPath.stringAt('$.failure.Cause'),
      },
      JsonPath.DISCARD,
    ).next(
      new Fail(this, IMPORT_STATES.failed, {
        error: 'ImportFailed',
        cause: 'A step of the chunked import failed; the job says why',
      }),
    );
    const onFailure = { errors: ['States.ALL'], resultPath: '$.failure' };

    const chunkMap = (
      stateName: string,
      taskName: string,
      maxConcurrency: number,
      jobStep: 'validate' | 'write',
    ) =>
      new MapState(this, stateName, {
        itemsPath: '$.plan.chunks',
        itemSelector: { job, chunk: JsonPath.objectAt('$$.Map.Item.Value') },
        maxConcurrency,
        resultPath: jobStep === 'validate' ? JsonPath.DISCARD : '$.written',
      })
        .itemProcessor(
          step(taskName, {
            step: jobStep,
            job: JsonPath.objectAt('$.job'),
            chunk: JsonPath.objectAt('$.chunk'),
          }),
        )
        .addCatch(markFailed, onFailure);

    const finish = step(IMPORT_STATES.finish, {
      step: 'finish',
      job,
      results: JsonPath.listAt('$.written'),
    }).addCatch(markFailed, onFailure);
    const definition = step(
      IMPORT_STATES.plan,
      {
        step: 'plan',
        importId: JsonPath.stringAt('$.importId'),
        bucket: JsonPath.stringAt('$.bucket'),
        key: JsonPath.stringAt('$.key'),
      },
      '$.plan',
    )
      .addCatch(markFailed, onFailure)
      .next(
        new Choice(this, IMPORT_STATES.claimed)
          .when(
            Condition.booleanEquals('$.plan.claimed', true),
            chunkMap(
              IMPORT_STATES.validateChunks,
              IMPORT_STATES.validateChunk,
              VALIDATE_CONCURRENCY,
              'validate',
            )
              .next(
                new MapState(this, IMPORT_STATES.findDuplicates, {
                  itemsPath: '$.plan.partitions',
                  itemSelector: {
                    step: 'duplicates',
                    job,
                    chunks: JsonPath.numberAt('$.plan.chunkCount'),
                    partition: JsonPath.numberAt('$$.Map.Item.Value'),
                  },
                  maxConcurrency: VALIDATE_CONCURRENCY,
                  resultPath: JsonPath.DISCARD,
                })
                  .itemProcessor(
                    step(IMPORT_STATES.checkPartition, {
                      step: 'duplicates',
                      job: JsonPath.objectAt('$.job'),
                      chunks: JsonPath.numberAt('$.chunks'),
                      partition: JsonPath.numberAt('$.partition'),
                    }),
                  )
                  .addCatch(markFailed, onFailure),
              )
              .next(
                step(
                  IMPORT_STATES.decide,
                  {
                    step: 'decide',
                    job,
                    chunks: JsonPath.numberAt('$.plan.chunkCount'),
                    partitions: JsonPath.numberAt('$.plan.partitionCount'),
                  },
                  '$.decided',
                ).addCatch(markFailed, onFailure),
              )
              .next(
                new Choice(this, IMPORT_STATES.valid)
                  .when(
                    Condition.booleanEquals('$.decided.ok', true),
                    new Choice(this, IMPORT_STATES.byKind)
                      .when(
                        Condition.stringEquals('$.plan.job.kind', 'customers'),
                        chunkMap(
                          IMPORT_STATES.writeChunks,
                          'WriteChunk',
                          WRITE_CHUNK_CONCURRENCY,
                          'write',
                        ).next(finish),
                      )
                      .otherwise(
                        chunkMap(IMPORT_STATES.writeChunksInOrder, 'WriteChunkInOrder', 1, 'write').next(
                          finish,
                        ),
                      ),
                  )
                  // Refused: the job lists the problems; nothing was written. Not an execution failure.
                  .otherwise(new Succeed(this, IMPORT_STATES.refused)),
              ),
          )
          // Another execution (or the single importer) has the job.
          .otherwise(new Succeed(this, IMPORT_STATES.alreadyClaimed)),
      );

    const logs = new LogGroup(this, 'ImportExecutionLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const machine = new StateMachine(this, 'ImportMachine', {
      stateMachineName: machineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(IMPORT_TIMEOUT_HOURS),
      tracingEnabled: true,
      // Stated, not defaulted: execution data holds byte ranges, counts and ids of jobs, no rows.
      encryptionConfiguration: new AwsOwnedEncryptionConfiguration(),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    Validations.of(machine.role).acknowledge({
      id: `${IAM5}[Resource::*]`,
      reason: 'X-Ray tracing and CloudWatch Logs vended log delivery accept only Resource *.',
    });
    Validations.of(machine.role).acknowledge({
      id: `${IAM5}[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
      reason: 'Invoke on versions/aliases of this one function (the LambdaInvoke grant).',
    });

    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }));
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [workArn] }),
    );
    fn.setEnv(ENV.importMachineArn, machineArn);
    Validations.of(fn.role ?? fn).acknowledge({
      id: `${IAM5}[Resource::arn:<AWS::Partition>:s3:::touchpoint-imports-${this.envSlug}-<AWS::AccountId>-<AWS::Region>/${WORK_PREFIX}*]`,
      reason:
        'The chunked import’s work files (ids and problems per chunk) are import-work/<importId>/… of this one bucket, outside the prefix that starts imports.',
    });
    return machine;
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

function logicalIdOf(construct: Construct): string {
  const cfn = construct.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return String(Stack.of(construct).resolve(cfn.logicalId));
}
