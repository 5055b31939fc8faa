import type { Node } from 'constructs';
import { z } from 'zod';

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

/**
 * Deployment settings, read from CDK context (`cdk.json` or `-c key=value`). Context values given on the
 * command line are strings, hence the coercions. Nothing here is account- or region-specific, so
 * `cdk synth` runs offline.
 */
export const TouchpointSettings = z.object({
  /** The From address. SES must have it (or its domain) verified before sending works. */
  senderEmail: z.email().default('outreach@example.com'),
  /** When given, the stack creates the SES domain identity (DKIM records still have to be published). */
  senderDomain: z.string().min(3).optional(),
  /**
   * ARN of an End User Messaging SMS phone number, pool or sender ID. Unset: SMS sends are disabled
   * (the SMS adapter refuses to send and the touch is recorded as failed), no SMS permission is granted.
   */
  smsOriginationIdentity: z
    .string()
    .regex(
      /^arn:aws[\w-]*:sms-voice:[\w-]+:\d{12}:(phone-number|pool|sender-id)\/.+$/,
      'expected an sms-voice ARN',
    )
    .optional(),
  /** When the daily run starts (EventBridge Scheduler expression). */
  scheduleExpression: scheduleExpression.default('cron(0 9 * * ? *)'),
  /** IANA zone the schedule expression is read in (DST-aware). */
  scheduleTimeZone: z.string().refine(isTimeZone, 'expected an IANA time zone').default('UTC'),
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
});
export type TouchpointSettings = z.infer<typeof TouchpointSettings>;

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
