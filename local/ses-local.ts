// The local SES: aws-ses-v2-local in its own process group, with its mailbox page and JSON store.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { killGroupWhenParentDies } from './parent-watchdog.js';
import { freePort, ProcessStartError, spawnGroup, stopGroup, waitForUrl } from './process-group.js';

const storedMailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()).default([]),
  destination: z.object({
    to: z.array(z.string()),
    cc: z.array(z.string()).default([]),
    bcc: z.array(z.string()).default([]),
  }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds. */
  at: z.number(),
});
export type StoredMail = z.infer<typeof storedMailSchema>;

const storeSchema = z.object({ emails: z.array(storedMailSchema) });

export interface SesLocal {
  /** For `new SESv2Client({ endpoint, region, credentials })`. */
  endpoint: string;
  /** The mailbox web page. */
  mailboxUrl: string;
  pid: number;
  listMail(): Promise<StoredMail[]>;
  clearMail(): Promise<void>;
  stop(): Promise<void>;
}

export interface SesLocalOptions {
  port?: number;
  /** What GetAccount reports as SendQuota.MaxSendRate (the server answers GetAccount from its env). */
  maxSendRate?: number;
  startTimeoutMs?: number;
  /**
   * Append every message the server stores to this NDJSON file, and put the file's messages back
   * into its store at start (the mailbox page and `touchpoint outbox` show them after a restart).
   */
  captureFile?: string;
  /** Told the server's pid (its process group) as soon as it is spawned, before it is ready. */
  onSpawn?: (pid: number) => void;
}

/** The file in a data dir that keeps every email the local SES server received. */
export const EMAIL_CAPTURE_FILE = 'email-messages.ndjson';

export class SesLocalError extends Error {
  override readonly name = 'SesLocalError';
}

/** The account GetAccount returns locally; aws-ses-v2-local validates every field of it. */
const localAccount = (maxSendRate: number) => ({
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'MARKETING',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'Touchpoint local runtime',
    WebsiteURL: 'http://127.0.0.1',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: [] },
});

export const startSesLocal = async (options: SesLocalOptions = {}): Promise<SesLocal> => {
  const port = options.port ?? (await freePort());
  const entry = fileURLToPath(new URL('./ses-local-server.mjs', import.meta.url));
  const args = [entry, '--host', '127.0.0.1', '--port', String(port)];
  if (options.captureFile !== undefined) args.push('--capture', options.captureFile);
  const group = spawnGroup(process.execPath, args, {
    env: { ...process.env, AWS_SES_ACCOUNT: JSON.stringify(localAccount(options.maxSendRate ?? 14)) },
  });
  // Named in a data dir's lock (onSpawn), the next launcher stops it after a crash; named nowhere
  // (benches, tests), it dies with its launcher (a SIGTERM'd bench left one running for an hour).
  if (options.onSpawn) options.onSpawn(group.pid);
  else killGroupWhenParentDies(group.pid);
  let exit: string | undefined;
  void group.exited.then(({ code, signal }) => {
    exit = `exited with ${code ?? signal}: ${group.output()}`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForUrl(`${endpoint}/health-check`, {
      timeoutMs: options.startTimeoutMs ?? 15_000,
      abortReason: () => exit,
    });
  } catch (error) {
    await stopGroup(group.pid);
    if (error instanceof ProcessStartError)
      throw new SesLocalError(`aws-ses-v2-local did not start: ${error.message}`);
    throw error;
  }

  return {
    endpoint,
    mailboxUrl: `${endpoint}/`,
    pid: group.pid,
    listMail: async () => {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new SesLocalError(`GET /store answered ${response.status}`);
      return storeSchema.parse(await response.json()).emails;
    },
    clearMail: async () => {
      const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      await response.arrayBuffer();
      if (!response.ok) throw new SesLocalError(`POST /clear-store answered ${response.status}`);
    },
    stop: () => stopGroup(group.pid),
  };
};
