import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  CfnFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  ENV,
  type FunctionEnvInput,
  type FunctionRole,
  knownVariables,
  requiredVariables,
} from '../../shared/config/env.js';
import { METRICS_NAMESPACE, metricService } from '../../shared/observability/metric-names.js';
import { HOUSE_BUNDLING } from '../bundling.js';
import { ENTRY_METADATA_KEY, PROJECT_ROOT } from '../names.js';
import { TABLE_ACCESS } from './table-access.js';

export { ENTRY_METADATA_KEY, PROJECT_ROOT };

export class MissingEntryError extends Error {
  constructor(readonly entry: string) {
    super(`Lambda entry ${entry} does not exist`);
    this.name = 'MissingEntryError';
  }
}

export interface HouseFunctionProps<R extends FunctionRole> {
  /** Handler file base name: `functions/<name>.ts`, exporting `handler`; also its environment's role. */
  name: R;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  /** Variables of the role's schema (shared/config/env.ts) beyond what the bind* helpers set. */
  environment?: FunctionEnvInput<R>;
  logRetention?: RetentionDays;
  /** Removal policy of the log group and DLQ. Default: DESTROY (logs expire anyway). */
  removalPolicy?: RemovalPolicy;
}

/**
 * The one way this project builds a Lambda function: arm64, Node 24, ESM bundle (minified,
 * tree-shaken, SDK bundled), JSON logs in its own log group, X-Ray, an encrypted DLQ and a role
 * that starts empty, so every permission is a visible grant in the stack.
 */
export class HouseFunction<R extends FunctionRole = FunctionRole> extends NodejsFunction {
  readonly dlq: Queue;
  /** The entry, relative to the project root (what the local runtime imports). */
  readonly entryPath: string;
  readonly envRole: R;
  private readonly envSet = new Set<string>();

  constructor(scope: Construct, id: string, props: HouseFunctionProps<R>) {
    const entry = join(PROJECT_ROOT, 'functions', `${props.name}.ts`);
    if (!existsSync(entry)) throw new MissingEntryError(entry);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    // Created beside the function (not inside) because the function's props need them before super().
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const dlq = new Queue(scope, `${id}Dlq`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    // Our own role instead of the default one with the AWSLambdaBasicExecutionRole managed policy
    // (write to any log group): this one writes only to the function's own log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry,
      handler: 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: dlq,
      environment: {},
      bundling: {
        format: HOUSE_BUNDLING.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        mainFields: [...HOUSE_BUNDLING.mainFields],
        target: HOUSE_BUNDLING.target,
        minify: HOUSE_BUNDLING.minify,
        sourceMap: HOUSE_BUNDLING.sourcemap,
        bundleAwsSDK: true,
        externalModules: [...HOUSE_BUNDLING.external],
        esbuildArgs: {
          '--tree-shaking': String(HOUSE_BUNDLING.treeShaking),
          ...Object.fromEntries(
            Object.entries(HOUSE_BUNDLING.alias).map(([from, to]) => [
              `--alias:${from}`,
              join(PROJECT_ROOT, to),
            ]),
          ),
        },
        banner: HOUSE_BUNDLING.banner,
      },
    });
    this.dlq = dlq;
    this.envRole = props.name;
    this.put(ENV.serviceName, metricService(props.name));
    this.put(ENV.metricsNamespace, METRICS_NAMESPACE);
    this.put(ENV.logLevel, 'INFO');
    this.put(ENV.nodeOptions, '--enable-source-maps');
    for (const [key, value] of Object.entries(props.environment ?? {})) {
      if (typeof value === 'string') this.put(key, value);
    }
    // The role's schema is the contract: a variable it requires and nobody set fails the synth,
    // and so does one it does not know (a typo would otherwise reach the handler as unset).
    this.node.addValidation({
      validate: () => {
        const known = new Set(knownVariables(this.envRole));
        return [
          ...requiredVariables(this.envRole)
            .filter((v) => !this.envSet.has(v))
            .map((v) => `${this.envRole}: environment variable ${v} is required by its schema but not set`),
          ...[...this.envSet]
            .filter((v) => !known.has(v))
            .map(
              (v) => `${this.envRole}: environment variable ${v} is not in its schema (shared/config/env.ts)`,
            ),
        ];
      },
    });
    this.entryPath = relative(PROJECT_ROOT, entry).split('\\').join('/');
    const cfn = this.node.defaultChild;
    if (cfn instanceof CfnFunction) cfn.addMetadata(ENTRY_METADATA_KEY, this.entryPath);
  }

  /** Sets one variable of this function's role (checked against its schema at synth). */
  setEnv(key: keyof FunctionEnvInput<R> & string, value: string): this {
    return this.put(key, value);
  }

  /** The bind* helpers serve every role: the synth-time validation checks their keys instead. */
  private put(key: string, value: string): this {
    this.addEnvironment(key, value);
    this.envSet.add(key);
    return this;
  }

  /**
   * The role's table access profile (TABLE_ACCESS): its actions on the table's ARN, and Query on
   * the indexes it reads, each by its own ARN; and TABLE_NAME. Never the table's own grants, which
   * add Scan, DeleteItem and DescribeTable on the table and every index.
   */
  bindTable(table: ITableV2): this {
    const access = TABLE_ACCESS[this.envRole];
    const dynamodb = (action: string) => `dynamodb:${action}`;
    if (access.table.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: access.table.map(dynamodb), resources: [table.tableArn] }),
      );
    }
    if (access.indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [dynamodb('Query')],
          resources: access.indexes.map((name) => `${table.tableArn}/index/${name}`),
        }),
      );
    }
    this.put(ENV.tableName, table.tableName);
    return this;
  }

  /** events:PutEvents on that bus only, and EVENT_BUS_NAME. */
  bindBus(bus: IEventBus): this {
    bus.grantPutEventsTo(this);
    this.put(ENV.eventBusName, bus.eventBusName);
    return this;
  }

  /** ses:SendEmail on the sender identities and the configuration set, and the env the adapter reads. */
  bindEmail(email: { senderEmail: string; configurationSetName: string }): this {
    const stack = Stack.of(this);
    const domain = email.senderEmail.split('@')[1] ?? email.senderEmail;
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        // SES authorizes against whichever identity is verified: the address or its domain.
        resources: [
          identity(email.senderEmail),
          identity(domain),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: email.configurationSetName,
          }),
        ],
      }),
    );
    // The token bucket follows the account's send quota (SES GetAccount), an account-level read
    // with no resource to scope to.
    this.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    this.put(ENV.senderEmail, email.senderEmail);
    this.put(ENV.sesConfigurationSet, email.configurationSetName);
    return this;
  }

  /**
   * secretsmanager:GetSecretValue on one generated secret (not the secret's grantRead, which adds
   * DescribeSecret), and the variable that names it (the value never is in the template).
   */
  bindSecret(key: keyof FunctionEnvInput<R> & string, secret: ISecret): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        // A secret imported by partial ARN matches on the random suffix Secrets Manager appends.
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
    return this.put(key, secret.secretArn);
  }

  /**
   * sms-voice:SendTextMessage on the origination identity, and the identity's messages per second
   * (one rate every sender shares); without an identity, SMS stays disabled.
   */
  bindSms(
    originationIdentityArn: string | undefined,
    maxPerSecond: number,
    /** Sends name it, so its event destination reports their delivery (SendTextMessage authorizes on it too). */
    configurationSet?: { name: string; arn: string },
  ): this {
    if (originationIdentityArn === undefined) return this;
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [originationIdentityArn, ...(configurationSet ? [configurationSet.arn] : [])],
      }),
    );
    this.put(ENV.smsOriginationIdentity, originationIdentityArn);
    this.put(ENV.smsMaxPerSecond, String(maxPerSecond));
    if (configurationSet) this.put(ENV.smsConfigurationSet, configurationSet.name);
    return this;
  }
}
