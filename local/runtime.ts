// The composition root of the embedded stack: the same use cases and handlers as Lambda, over
// DynamoDB Local, the local SES server and the SMS sink, with tables taken from the synthesized
// template (never redeclared here).
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../functions/commons/deps.js';
import { PROJECT_ROOT } from '../infra/names.js';
import { SesEmailSender } from '../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../shared/channels/sms.js';
import { installFileLogSink } from '../shared/observability/sink.js';
import type { EmailSender, SmsSender } from '../shared/ports/channels.js';
import { systemClock } from '../shared/ports/clock.js';
import { backfillEmailKeys } from '../shared/store/email-key-backfill.js';
import { RateScheduleRows } from '../shared/store/rate-budget.js';
import { dynamoStores } from '../shared/store/stores.js';
import { type BulkWrites, Table } from '../shared/store/table.js';
import { type CfnTemplate, ensureTables } from './assembly-tables.js';
import { DLQ_FILE } from './bus-dlq.js';
import {
  advertiseOwner,
  clearDataDir,
  ensurePrivateDir,
  lockDataDir,
  type RuntimeInfo,
  runningOwner,
} from './data-dir.js';
import { assertNoJvmOn, startDynamoDbLocal } from './dynamodb-local.js';
import { pageReplyHandler } from './inbound-sms.js';
import { dataDirKey } from './keys.js';
import { LocalBus } from './local-bus.js';
import { EMAIL_ENGAGEMENT_FILE, LocalFeedback } from './provider-feedback.js';
import { EMAIL_CAPTURE_FILE, startSesLocal } from './ses-local.js';
import { type SmsSink, startSmsSink } from './sms-sink.js';
import { loadTemplate } from './synth.js';

export { PROJECT_ROOT };

/** Local credentials and region: the emulators accept any, and nothing here may reach AWS. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export const LOCAL_SENDER = 'outreach@touchpoint.local';

/** How the embedded stack writes in bulk to its disk-backed DynamoDB Local (docs/imports-at-scale.md). */
export const LOCAL_BULK_WRITES = 'transactions' satisfies BulkWrites;
export const LOCAL_SMS_ORIGINATOR = '+15555550100';

export interface OpenOptions {
  dataDir: string;
  /** Start (or attach to) the local SES server and SMS sink as well. */
  channels?: boolean;
  /** Become the data dir's long-lived owner and advertise the endpoints (serve, npm start). */
  own?: boolean;
  /**
   * Start from an empty data dir (`npm start`): never attach to a running owner; wait for the data
   * dir's lock (`onBusy` is told the holder's pid), then empty the dir. Nothing is removed from
   * under a process that still uses it.
   */
  fresh?: { onBusy?: (pid: number) => void };
  /** Use this DynamoDB endpoint instead of starting one (tests). */
  ddbEndpoint?: string;
  tableNamePrefix?: string;
}

export interface Embedded {
  template: CfnTemplate;
  deps: Deps;
  bus: LocalBus;
  info: RuntimeInfo;
  dataDir: string;
  stop(): Promise<void>;
  /** With channels: the providers' feedback (simulated SES and SMS events, opens and clicks). */
  feedback?: LocalFeedback;
}

const unavailable = (what: string): EmailSender & SmsSender => ({
  send: async () => ({ ok: false, retryable: false, error: `${what} is not running in this command` }),
});

export async function openEmbedded(opts: OpenOptions): Promise<Embedded> {
  const dataDir = resolve(opts.dataDir);
  ensurePrivateDir(dataDir);
  const stops: (() => Promise<void> | void)[] = [];
  // Idempotent: Ctrl-C and the command's own cleanup may both ask.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const s of stops.reverse()) await s();
    })();
    return stopping;
  };
  try {
    const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
    const owner = opts.ddbEndpoint || opts.fresh ? undefined : runningOwner(dataDir);
    let ddbEndpoint = opts.ddbEndpoint ?? owner?.ddbEndpoint;
    // The lock names every process started below, so a command after a crash can stop them.
    let guard: (role: string) => (pid: number) => void = () => () => undefined;
    if (!ddbEndpoint) {
      const lock = await lockDataDir(dataDir, undefined, opts.fresh?.onBusy);
      stops.push(() => lock.release());
      guard = (role) => (pid) => lock.guard(role, pid);
      const dbPath = join(dataDir, 'dynamodb');
      if (opts.fresh) {
        assertNoJvmOn(dbPath);
        clearDataDir(lock, dataDir);
      }
      const ddb = await startDynamoDbLocal({ dataDir: dbPath, onSpawn: guard('dynamodb-local') });
      stops.push(() => ddb.stop());
      ddbEndpoint = ddb.endpoint;
    }
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddbEndpoint });
    stops.push(() => client.destroy());
    const tables = await ensureTables(client, template, { tableNamePrefix: opts.tableNamePrefix });
    const tableName = [...tables.values()][0];
    if (!tableName) throw new Error('the synthesized template has no DynamoDB table');
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    // A data dir made before byEmail: its profiles get their emailKey once (docs/table-design.md).
    await backfillEmailKeys({ client: doc, tableName });
    // The data dir's disk-backed DynamoDB Local commits a transaction per item of a BatchWriteItem:
    // bulk writes go as transactions there (table.ts); a given endpoint (tests) keeps the cloud's.
    const store = dynamoStores({
      client: doc,
      tableName,
      bulkWrites: opts.ddbEndpoint ? 'batch' : LOCAL_BULK_WRITES,
    });

    const info: RuntimeInfo = { pid: process.pid, ddbEndpoint, ...(owner && { ...owner, pid: owner.pid }) };
    let email: EmailSender = unavailable('the local SES server');
    let sms: SmsSender = unavailable('the local SMS sink');
    let ownSink: SmsSink | undefined;
    if (opts.channels) {
      let sesEndpoint = owner?.sesEndpoint;
      let smsEndpoint = owner?.smsEndpoint;
      if (!sesEndpoint || !smsEndpoint) {
        const ses = await startSesLocal({
          captureFile: join(dataDir, EMAIL_CAPTURE_FILE),
          onSpawn: guard('ses-local'),
        });
        stops.push(() => ses.stop());
        const sink = await startSmsSink({ dir: dataDir });
        stops.push(() => sink.stop());
        ownSink = sink;
        sesEndpoint = ses.endpoint;
        smsEndpoint = sink.endpoint;
        Object.assign(info, {
          sesEndpoint,
          smsEndpoint,
          mailboxUrl: ses.mailboxUrl,
          smsPageUrl: sink.pageUrl,
        });
      }
      email = new SesEmailSender({
        client: new SESv2Client({ ...LOCAL_AWS, endpoint: sesEndpoint }),
        from: LOCAL_SENDER,
      });
      sms = new EndUserMessagingSmsSender({
        client: new PinpointSMSVoiceV2Client({ ...LOCAL_AWS, endpoint: smsEndpoint }),
        originationIdentity: LOCAL_SMS_ORIGINATOR,
      });
    }
    if (opts.own) stops.push(advertiseOwner(dataDir, info));
    stops.push(installFileLogSink(join(dataDir, 'logs')));
    const bus = new LocalBus(join(dataDir, 'events.ndjson'));
    const deps: Deps = {
      store,
      email,
      sms,
      events: bus,
      clock: systemClock,
      links: {
        unsubscribeBaseUrl: info.apiUrl ?? 'http://127.0.0.1:8787/',
        unsubscribeSecret: dataDirKey(dataDir, 'unsubscribe'),
      },
      rates: new RateScheduleRows(new Table(doc, tableName)),
    };
    // The SMS page's reply box reaches the inbound SMS handler as the cloud's two-way topic does.
    if (ownSink) ownSink.onReply(pageReplyHandler(deps, LOCAL_SMS_ORIGINATOR));
    if (opts.channels) {
      // What SES and End User Messaging report after each send reaches delivery-events as in the
      // cloud (docs/delivery-feedback.md); stop waits for what is under way before the store closes.
      const feedback = new LocalFeedback(template, deps, bus, {
        deadLetterFile: join(dataDir, DLQ_FILE),
        onFailure: (f) => console.error(`delivery feedback → ${f.target} failed: ${f.error}`),
      });
      deps.email = feedback.email(deps.email, LOCAL_SENDER);
      deps.sms = feedback.smsSender(deps.sms, LOCAL_SMS_ORIGINATOR);
      feedback.observeSettles(store.ledger);
      feedback.watchEngagement(join(dataDir, EMAIL_ENGAGEMENT_FILE));
      stops.push(() => feedback.close());
      return { template, deps, bus, info, dataDir, stop, feedback };
    }
    return { template, deps, bus, info, dataDir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
