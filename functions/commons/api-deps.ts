// The API Lambda's dependencies, built once per cold start: the handlers' cloud dependencies
// (channels, bus), a store whose partners live in Secrets Manager (webhook receipts stay in the
// table), a RunStarter over Step Functions, and Powertools logging.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ulid } from 'ulid';
import type { ApiDeps, ApiLog, RunStarter } from '../../shared/api/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { cachedSecrets } from '../../shared/config/secrets.js';
import { EventBridgePublisher } from '../../shared/events/eventbridge.js';
import { createLog, type Log } from '../../shared/observability/log.js';
import { metricService } from '../../shared/observability/metric-names.js';
import { traced } from '../../shared/observability/tracer.js';
import { SecretsManagerPartnerStore } from '../../shared/partners/secrets-manager.js';
import { RateScheduleRows } from '../../shared/store/rate-budget.js';
import { dynamoStores } from '../../shared/store/stores.js';
import { S3ImportUploads } from '../../shared/usecases/imports/s3-uploads.js';
import { ScheduledPartnerThrottle } from '../../shared/usecases/webhooks/partner-throttle.js';
import { cloudChannels } from './channels.js';
import { cloudTable, systemClock } from './table.js';

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

/** ApiLog over the house logger: structured JSON, personal data masked, extra data under `extra`. */
export function houseApiLog(log: Log): ApiLog {
  const attrs = (extra: unknown) =>
    extra === undefined ? undefined : extra instanceof Error ? extra : { extra };
  return {
    info: (message, extra) => log.info(message, attrs(extra)),
    error: (message, extra) => log.error(message, attrs(extra)),
  };
}

export async function apiCloudDeps(): Promise<ApiDeps> {
  const e = parseEnv('api');
  const secretsClient = traced(new SecretsManagerClient({}));
  const secrets = cachedSecrets(secretsClient);
  const table = cloudTable(e.TABLE_NAME, traced);
  // The table's ports, with partners (and their secrets) answered by Secrets Manager.
  const store = {
    ...dynamoStores({ client: table.client, tableName: table.name, clock: systemClock }),
    partners: new SecretsManagerPartnerStore({
      client: secretsClient,
      prefix: e.PARTNER_SECRET_PREFIX,
      cacheTtlMs: e.PARTNER_CACHE_SECONDS * 1000,
    }),
  };
  const [unsubscribeSecret, pseudonymKey] = await Promise.all([
    secrets(e.UNSUBSCRIBE_SECRET_ARN),
    secrets(e.PSEUDONYM_SECRET_ARN),
  ]);
  const rates = new RateScheduleRows(table);
  const partnerRate = { ratePerSecond: e.PARTNER_RATE_LIMIT, burst: e.PARTNER_BURST_LIMIT };
  return {
    store,
    ...cloudChannels(e, rates, traced),
    partnerThrottle: new ScheduledPartnerThrottle(rates, partnerRate),
    events: new EventBridgePublisher({
      client: traced(new EventBridgeClient({})),
      busName: e.EVENT_BUS_NAME,
    }),
    clock: systemClock,
    runs: new SfnRunStarter({ client: traced(new SFNClient({})), stateMachineArn: e.STATE_MACHINE_ARN }),
    ...(e.IMPORT_BUCKET && {
      uploads: new S3ImportUploads({ client: traced(new S3Client({})), bucket: e.IMPORT_BUCKET }),
    }),
    log: houseApiLog(createLog(metricService('api'))),
    config: {
      // No token in the cloud: API Gateway authorizes /v1/* with IAM (SigV4) before the Lambda runs.
      secretRolloverMs: e.SECRET_ROLLOVER_HOURS * 3_600_000,
      maxBodyBytes: e.MAX_BODY_BYTES,
      partnerRate,
      unsubscribeSecret,
      pseudonymKey,
    },
  };
}
