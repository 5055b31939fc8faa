import type { Node } from 'constructs';
import { z } from 'zod';
import { DEFAULT_RATE_LIMIT } from '../shared/api/webhooks/rate-limit.js';
import { DEFAULT_MAX_BODY_BYTES } from '../shared/config/env.js';

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** EventBridge Scheduler expressions: `cron(6 fields)`, `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
const scheduleExpression = z
  .string()
  .regex(
    /^(cron\((\S+\s){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/,
    'expected cron(min hour dom mon dow year), rate(n unit) or at(yyyy-mm-ddThh:mm:ss)',
  );

/** The From address `cdk synth` uses when none is given: fine for a look at the template, never for customers. */
export const PLACEHOLDER_SENDER = 'outreach@example.com';

/** Context given with `-c key=…` arrives as a string: objects may be given as JSON text. */
const jsonText = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed;
  } catch {
    return v;
  }
};

const throttle = z.object({
  /** Steady-state requests per second. */
  rateLimit: z.coerce.number().positive().max(10_000),
  /** Bucket size: requests allowed in a burst above the rate. */
  burstLimit: z.coerce.number().int().positive().max(5_000),
});

/**
 * The API (API Gateway REST + one Lambda). Everything has a default, so `api` may be left out;
 * given on the command line it is JSON: `-c api='{"wafRateLimit":1000}'`.
 */
export const ApiSettings = z.strictObject({
  /** Stage name: the first path segment of the API URL. */
  stageName: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/)
    .default('api'),
  /** Stage-wide default throttle (every method). */
  throttle: throttle.default({ rateLimit: 50, burstLimit: 100 }),
  /** Throttle of POST /webhooks/{partnerId} across all partners, at the gateway (floods; each partner also has its own). */
  webhookThrottle: throttle.default({ rateLimit: 100, burstLimit: 200 }),
  /**
   * Each partner's own throttle, taken in the Lambda after its signature verified (a booking
   * schedule in the table, shared by every API instance; the local API reads the same numbers).
   */
  partnerThrottle: throttle.default({
    rateLimit: DEFAULT_RATE_LIMIT.ratePerSecond,
    burstLimit: DEFAULT_RATE_LIMIT.burst,
  }),
  /** Throttle of the public unsubscribe routes (GET and POST /u/{token}). */
  unsubscribeThrottle: throttle.default({ rateLimit: 20, burstLimit: 40 }),
  /** Requests per 5 minutes per client IP; set: a WAF WebACL with that rate-based rule guards the stage. */
  wafRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).optional(),
  /** How long a rotated-out partner secret stays valid. */
  secretRolloverHours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** The largest request body the API takes inline, bytes (larger imports go through an upload URL); the local API reads the same default. */
  maxBodyBytes: z.coerce.number().int().positive().max(6_000_000).default(DEFAULT_MAX_BODY_BYTES),
  /** How long the API Lambda reuses a partner's secrets read (a new secret is accepted at most this late). */
  partnerCacheSeconds: z.coerce.number().int().min(0).max(3600).default(30),
});
export type ApiSettings = z.infer<typeof ApiSettings>;

/**
 * Deployment settings, read from CDK context (`cdk.json` or `-c key=value`). Context values given on the
 * command line are strings, hence the coercions. Nothing here is account- or region-specific, so
 * `cdk synth` runs offline.
 */
export const TouchpointSettings = z.object({
  /** The From address. SES must have it (or its domain) verified before sending works. */
  senderEmail: z.email().default(PLACEHOLDER_SENDER),
  /** When given, the stack creates the SES domain identity (DKIM records still have to be published). */
  senderDomain: z.string().min(3).optional(),
  /**
   * ARN of an End User Messaging SMS phone number, pool or sender ID, or `none` to send email only.
   * Unset or none: SMS sends are disabled (the touch is recorded as failed), no SMS permission is
   * granted; unset is refused by `cdk deploy` unless `sandbox` (DeployGuard).
   */
  smsOriginationIdentity: z
    .union([
      z.literal('none'),
      z
        .string()
        .regex(
          /^arn:aws[\w-]*:sms-voice:[\w-]+:\d{12}:(phone-number|pool|sender-id)\/.+$/,
          'expected an sms-voice ARN, or none',
        ),
    ])
    .optional(),
  /**
   * A sandbox deploy: placeholder sender and no SMS decision are accepted (see DeployGuard). Without
   * it, `cdk deploy` refuses them; `cdk synth` never does.
   */
  sandbox: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .default(false),
  /**
   * When the daily run starts (EventBridge Scheduler expression): a cron with one minute and one
   * hour (one firing a local day); rate(), at() and several firings a day are refused at synth
   * (Schedules, shared/domain/schedule-dates.ts, docs/scheduling.md).
   */
  scheduleExpression: scheduleExpression.default('cron(0 9 * * ? *)'),
  /** IANA zone the schedule expression is read in (DST-aware). */
  scheduleTimeZone: z.string().refine(isTimeZone, 'expected an IANA time zone').default('UTC'),
  /**
   * SMS messages per second the origination identity may send (its MPS in End User Messaging: 1 for a
   * new toll-free or 10DLC number unless raised). Every sender shares it (shared/channels/rate-budget.ts).
   */
  smsMaxPerSecond: z.coerce.number().positive().max(1000).default(1),
  /** Batches sent in parallel by the run's Map state: the channels' send rate bound. */
  sendConcurrency: z.coerce.number().int().min(1).max(40).default(4),
  /** Past local days a scheduled run also plans, to catch up missed runs (the ledger makes it idempotent). */
  lookbackDays: z.coerce.number().int().min(0).max(14).default(2),
  /** Deployment name, tagged on every resource and passed to the functions. */
  envName: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/)
    .default('dev'),
  /** Optional address subscribed to the alarm topic. */
  alarmEmail: z.email().optional(),
  /** The API's settings; absent means every default (see ApiSettings). */
  api: z.preprocess(jsonText, ApiSettings.optional()),
  /**
   * Only for a stack deployed before the profile day indexes: the step (1, 2, 3, 4) of their migration,
   * one GSI change per deploy, then leave it unset (docs/table-design.md, "Migrating the customer day indexes").
   */
  dayIndexMigration: z.coerce
    .number()
    .pipe(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]))
    .optional(),
});
export type TouchpointSettings = z.infer<typeof TouchpointSettings>;

/** The SMS identity the stack uses: an ARN, or nothing (unset or `none`). */
export function smsIdentityOf(settings: TouchpointSettings): string | undefined {
  return settings.smsOriginationIdentity === 'none' ? undefined : settings.smsOriginationIdentity;
}

export const SETTING_KEYS = Object.keys(TouchpointSettings.shape);

export class InvalidSettingsError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid Touchpoint context settings:\n  ${issues.join('\n  ')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** Reads and validates the settings from the construct tree's context. */
export function settingsFromContext(node: Node): TouchpointSettings {
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = TouchpointSettings.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidSettingsError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
