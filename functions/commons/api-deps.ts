// The API Lambda's dependencies, built once per cold start: the handlers' cloud dependencies
// (channels, bus), a store whose partners live in Secrets Manager (webhook receipts stay in the
// table), a RunStarter over Step Functions, and Powertools logging.

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { z } from 'zod';
import { FUNCTION_ENV } from '../../infra/constructs/function-env.js';
import type { ApiDeps, ApiLog, RunStarter } from '../../shared/api/deps.js';
import { DEFAULT_ROLLOVER_MS } from '../../shared/partners/secrets.js';
import { SecretsManagerPartnerStore } from '../../shared/partners/secrets-manager.js';
import { dynamoStores } from '../../shared/store/stores.js';
import { IMPORT_BUCKET_ENV, S3ImportUploads } from '../../shared/usecases/imports/s3-uploads.js';

/** Environment variables the API construct sets and this module reads. */
export const API_ENV = {
  /** The run state machine "run now" starts. */
  stateMachineArn: 'STATE_MACHINE_ARN',
  /** Partner secrets are named `<prefix>/partners/<id>`. */
  partnerSecretPrefix: 'PARTNER_SECRET_PREFIX',
  /** How long a partner read is reused (a rotated secret is accepted at most this late). */
  partnerCacheSeconds: 'PARTNER_CACHE_SECONDS',
  secretRolloverHours: 'SECRET_ROLLOVER_HOURS',
  maxBodyBytes: 'MAX_BODY_BYTES',
} as const;

const env = z.object({
  [FUNCTION_ENV.tableName]: z.string().min(1),
  [API_ENV.stateMachineArn]: z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+$/),
  [API_ENV.partnerSecretPrefix]: z.string().min(1),
  [API_ENV.partnerCacheSeconds]: z.coerce.number().int().min(0).max(3600).default(30),
  [API_ENV.secretRolloverHours]: z.coerce
    .number()
    .positive()
    .default(DEFAULT_ROLLOVER_MS / 3_600_000),
  // API Gateway's payload limit is 10 MB and Lambda's 6 MB; webhooks and imports need far less.
  [API_ENV.maxBodyBytes]: z.coerce.number().int().positive().max(6_000_000).default(1_000_000),
  UNSUBSCRIBE_SECRET: z.string().min(16).default('rotate-me-set-UNSUBSCRIBE_SECRET'),
  [IMPORT_BUCKET_ENV]: z.string().min(1).optional(),
});

type RunStatus = NonNullable<Awaited<ReturnType<RunStarter['status']>>>;

const STATUS: Record<ExecutionStatus, RunStatus['status']> = {
  RUNNING: 'RUNNING',
  // A failed execution waiting to be redriven is not finished.
  PENDING_REDRIVE: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'FAILED',
  ABORTED: 'FAILED',
};

/** Execution names: what StartExecution accepts and what we hand out (a ULID). */
const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;

/**
 * "Run now" over Step Functions. The execution is named by the run id (a ULID), which is also
 * passed as the run's id, so the id the API returns names both the execution and the run.
 */
export class SfnRunStarter implements RunStarter {
  constructor(private readonly opts: { client: SFNClient; stateMachineArn: string; newId?: () => string }) {}

  async start(input: { date: string; campaignId?: string }): Promise<{ executionId: string }> {
    const runId = (this.opts.newId ?? ulid)();
    await this.opts.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.opts.stateMachineArn,
        name: runId,
        input: JSON.stringify({
          date: input.date,
          runId,
          ...(input.campaignId && { campaignId: input.campaignId }),
        }),
      }),
    );
    return { executionId: runId };
  }

  async status(executionId: string): Promise<RunStatus | undefined> {
    // Anything else cannot be ours, and must not reach an ARN.
    if (!EXECUTION_NAME.test(executionId)) return undefined;
    const executionArn = `${this.opts.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionId}`;
    try {
      const out = await this.opts.client.send(new DescribeExecutionCommand({ executionArn }));
      const status = out.status ? STATUS[out.status] : 'UNKNOWN';
      return {
        status,
        ...(out.output !== undefined && { output: parseOutput(out.output) }),
        ...(out.error !== undefined && { error: [out.error, out.cause].filter(Boolean).join(': ') }),
      };
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist) return undefined;
      throw err;
    }
  }
}

function parseOutput(text: string): unknown {
  try {
    const json: unknown = JSON.parse(text);
    return json;
  } catch {
    return text;
  }
}

/** ApiLog over Powertools: structured JSON with the request's extra data under `extra`. */
export function powertoolsLog(logger: Logger): ApiLog {
  return {
    info: (message, extra) => {
      if (extra === undefined) logger.info(message);
      else if (extra instanceof Error) logger.info(message, extra);
      else logger.info(message, { extra });
    },
    error: (message, extra) => {
      if (extra === undefined) logger.error(message);
      else if (extra instanceof Error) logger.error(message, extra);
      else logger.error(message, { extra });
    },
  };
}

export async function apiCloudDeps(): Promise<ApiDeps> {
  const e = env.parse(process.env);
  const { cloudDeps } = await import('./cloud.js');
  const base = await cloudDeps();
  // The table's ports, with partners (and their secrets) answered by Secrets Manager.
  const store = {
    ...dynamoStores({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      tableName: e[FUNCTION_ENV.tableName],
    }),
    partners: new SecretsManagerPartnerStore({
      client: new SecretsManagerClient({}),
      prefix: e[API_ENV.partnerSecretPrefix],
      cacheTtlMs: e[API_ENV.partnerCacheSeconds] * 1000,
    }),
  };
  return {
    store,
    email: base.email,
    sms: base.sms,
    events: base.events,
    clock: base.clock,
    runs: new SfnRunStarter({ client: new SFNClient({}), stateMachineArn: e[API_ENV.stateMachineArn] }),
    ...(e[IMPORT_BUCKET_ENV] && {
      uploads: new S3ImportUploads({ client: new S3Client({}), bucket: e[IMPORT_BUCKET_ENV] }),
    }),
    log: powertoolsLog(new Logger({ serviceName: 'touchpoint-api' })),
    config: {
      // No token in the cloud: API Gateway authorizes /v1/* with IAM (SigV4) before the Lambda runs.
      secretRolloverMs: e[API_ENV.secretRolloverHours] * 3_600_000,
      maxBodyBytes: e[API_ENV.maxBodyBytes],
      unsubscribeSecret: e.UNSUBSCRIBE_SECRET,
    },
  };
}
