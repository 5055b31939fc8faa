// The documents of the outside contract (examples/ holds one of each; README "The CLI"), as zod schemas.
// Every boundary (CLI import, API, webhook, Lambda event) parses with these; nothing downstream re-checks.
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { type Channel, channel } from './channels.js';
import { unstorableValues } from './storable.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'is not a real calendar date');

/** An ISO 8601 instant with an offset or Z (a local time without offset is ambiguous). */
export const isoInstant = z
  .string()
  .refine(
    (s) => /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && DateTime.fromISO(s, { setZone: true }).isValid,
    'must be an ISO 8601 instant with a time zone offset, e.g. 2026-11-20T03:15:00Z',
  );

// Checking a zone builds an Intl.DateTimeFormat (~0.4 ms); imports check millions of lines with a few zones.
const zoneValidity = new Map<string, boolean>();
const isValidZone = (tz: string): boolean => {
  let valid = zoneValidity.get(tz);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(tz);
    if (zoneValidity.size < 10_000) zoneValidity.set(tz, valid);
  }
  return valid;
};

export const timeZone = z.string().refine(isValidZone, 'must be an IANA time zone such as Asia/Shanghai');

export const locale = z.string().refine((s) => {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(s)) return false;
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP 47 locale such as en-US or zh-CN');

/** Birthday as `MM-DD` or `YYYY-MM-DD`; Feb 29 is allowed (celebrated per settings.feb29). */
export const birthday = z.string().refine((s) => {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const year = m[1] ? Number(m[1]) : 2000; // a leap year, so 02-29 without a year is valid
  return DateTime.fromObject({ year, month: Number(m[2]), day: Number(m[3]) }).isValid;
}, 'must be a birthday MM-DD or YYYY-MM-DD');

/** The shape of an E.164 number: what a stored customer's phone always is. */
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550123');

/**
 * A phone number libphonenumber (full metadata) calls valid, written exactly in E.164: what every
 * edge accepts. Pure, so a bundle that never validates input (the run's Lambdas) leaves out
 * libphonenumber's 190 KB of metadata.
 */
export const phone = /* @__PURE__ */ (() =>
  e164.refine((s) => {
    try {
      return isValidPhoneNumber(s) && parsePhoneNumberWithError(s).number === s;
    } catch {
      return false;
    }
  }, 'must be a valid E.164 phone number such as +14155550123'))();

export { CHANNELS, type Channel, channel, type SuppressionReason, suppressionReason } from './channels.js';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

function refuseUnstorable(value: unknown, ctx: z.RefinementCtx): void {
  for (const issue of unstorableValues(value))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

const customerObject = (phoneNumber: z.ZodType<string>) =>
  z
    .object({
      id: nonEmpty,
      name: nonEmpty,
      email: z.email('must be an email address').optional(),
      phone: phoneNumber.optional(),
      locale,
      timeZone,
      birthday: birthday.optional(),
      monthlyValue: z
        .number()
        .finite()
        .min(0, 'must be ≥ 0')
        .max(Number.MAX_SAFE_INTEGER, 'is too large to store exactly'),
      consent: z.strictObject({ email: z.boolean(), sms: z.boolean() }),
      lastActivityAt: isoInstant.optional(),
      attributes: z.record(z.string(), attributeValue).optional().superRefine(refuseUnstorable),
    })
    .strict();

/** The Customer document as the contract defines it: what imports, the API and webhooks accept. */
export const customerSchema = /* @__PURE__ */ customerObject(phone);

/** A customer read back from the store: checked at the edge when written, so its phone is only shape-checked. */
export const storedCustomerSchema = customerObject(e164);
export type Customer = z.infer<typeof customerSchema>;

export const contractStatus = z.enum(['active', 'renewed', 'cancelled']);
export const contractSchema = z
  .object({
    id: nonEmpty,
    customerId: nonEmpty,
    product: nonEmpty,
    startDate: calendarDate,
    endDate: calendarDate,
    status: contractStatus,
  })
  .strict()
  .refine((c) => c.startDate <= c.endDate, { path: ['endDate'], message: 'must not be before startDate' });
export type Contract = z.infer<typeof contractSchema>;

export const eventSchema = z
  .object({
    id: nonEmpty,
    customerId: nonEmpty,
    type: nonEmpty,
    occurredAt: isoInstant,
    data: z.record(z.string(), z.unknown()).optional().superRefine(refuseUnstorable),
  })
  .strict();
export type CustomerEvent = z.infer<typeof eventSchema>;

export const DEFAULT_TIERS = [
  { id: 'key', minMonthlyValue: 500 },
  { id: 'business', minMonthlyValue: 100 },
  { id: 'standard', minMonthlyValue: 0 },
] as const;

const tierId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case id like business');

export const settingsSchema = z
  .object({
    tiers: z
      .array(z.strictObject({ id: tierId, minMonthlyValue: z.number().finite().min(0) }))
      .min(1, 'needs at least one tier')
      .default(() => DEFAULT_TIERS.map((t) => ({ ...t })))
      .superRefine((tiers, ctx) => {
        const seen = new Set<string>();
        tiers.forEach((t, i) => {
          if (seen.has(t.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate tier ${t.id}` });
          seen.add(t.id);
          const prev = tiers[i - 1];
          if (prev && prev.minMonthlyValue <= t.minMonthlyValue)
            ctx.addIssue({
              code: 'custom',
              path: [i, 'minMonthlyValue'],
              message: 'tiers are ordered from the top: each minimum must be below the previous one',
            });
        });
      }),
    feb29: z.enum(['feb28', 'mar1']).default('feb28'),
    /** Absent: every event type counts as activity. `[]`: none does. */
    activityEventTypes: z.array(nonEmpty).optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmm = z.string().regex(HHMM, 'must be a local time HH:mm');
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, . _ -');

export const anchorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contractEnd'), products: z.array(nonEmpty).min(1).optional() }),
  z.strictObject({ type: z.literal('contractStart'), products: z.array(nonEmpty).min(1).optional() }),
  z.strictObject({ type: z.literal('lastActivity') }),
  z.strictObject({ type: z.literal('birthday') }),
  z.strictObject({ type: z.literal('event'), eventType: nonEmpty }),
]);
export type Anchor = z.infer<typeof anchorSchema>;
export type AnchorType = Anchor['type'];

export const stepSchema = z.strictObject({
  id,
  offsetDays: z.number().int().min(-3660).max(3660),
  channels: z.record(
    tierId,
    z.array(channel).refine((a) => new Set(a).size === a.length, 'lists a channel twice'),
  ),
  template: id,
});
export type Step = z.infer<typeof stepSchema>;

export const emailTemplateSchema = z.strictObject({
  subject: nonEmpty,
  text: nonEmpty,
  html: z.string().optional(),
});
export const smsTemplateSchema = z.strictObject({ text: nonEmpty });

export const exitCondition = z.enum(['contractRenewed', 'contractCancelled', 'activeAgain', 'optedOut']);

/** Which channels of which locales a template has: enough to check the steps' references. */
export type TemplateIndex = Readonly<
  Record<string, Partial<Record<Channel, Readonly<Record<string, unknown>>>>>
>;

/**
 * Duplicate step ids, and steps naming a template (or a channel of one, or its fallback locale)
 * that the campaign lacks. Its own function, not only the schema's refinement: zod skips a
 * refinement once any field fails, and validation must still report these beside that failure.
 */
export function stepReferenceIssues(
  steps: readonly { index: number; step: Pick<Step, 'id' | 'channels' | 'template'> }[],
  templates: TemplateIndex,
  fallbackLocale: string | undefined,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const stepIds = new Set<string>();
  for (const { index: i, step: s } of steps) {
    if (stepIds.has(s.id)) issues.push({ path: ['steps', i, 'id'], message: `duplicate step ${s.id}` });
    stepIds.add(s.id);
    const tpl = Object.hasOwn(templates, s.template) ? templates[s.template] : undefined;
    if (!tpl) {
      issues.push({ path: ['steps', i, 'template'], message: `no template named ${s.template}` });
      continue;
    }
    for (const [tier, chans] of Object.entries(s.channels)) {
      for (const ch of chans) {
        const perLocale = tpl[ch];
        if (!perLocale)
          issues.push({
            path: ['steps', i, 'channels', tier],
            message: `template ${s.template} has no ${ch} version`,
          });
        else if (fallbackLocale !== undefined && !perLocale[fallbackLocale])
          issues.push({
            path: ['templates', s.template, ch],
            message: `missing the fallback locale ${fallbackLocale}`,
          });
      }
    }
  }
  return issues;
}

export const campaignSchema = z
  .object({
    id,
    name: nonEmpty,
    priority: z.number().int(),
    anchor: anchorSchema,
    steps: z.array(stepSchema).min(1, 'needs at least one step'),
    audience: z
      .strictObject({
        tiers: z.array(tierId).min(1).optional(),
        locales: z.array(locale).min(1).optional(),
        attributes: z.record(z.string(), z.array(attributeValue).min(1)).optional(),
      })
      .optional(),
    exit: z.array(exitCondition).default([]),
    sendWindow: z
      .strictObject({ start: hhmm, end: hhmm })
      .refine((w) => !HHMM.test(w.start) || !HHMM.test(w.end) || w.start < w.end, {
        path: ['end'],
        message: 'must be after start (windows do not cross midnight)',
      }),
    frequencyCap: z
      .strictObject({ max: z.number().int().min(1), perDays: z.number().int().min(1).max(366) })
      .optional(),
    holdoutPercent: z.number().min(0).max(100).default(0),
    fallbackLocale: locale,
    templates: z.record(
      id,
      z.strictObject({
        email: z.record(locale, emailTemplateSchema).optional(),
        sms: z.record(locale, smsTemplateSchema).optional(),
      }),
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const issue of stepReferenceIssues(
      c.steps.map((step, index) => ({ index, step })),
      c.templates,
      c.fallbackLocale,
    ))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;
