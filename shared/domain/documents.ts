// The documents of the outside contract (examples/ holds one of each; README "The CLI"), as zod schemas.
// Every boundary (CLI import, API, webhook, Lambda event) parses with these; nothing downstream re-checks.
import * as z from 'zod';
import { type Channel, channel } from './channels.js';
import {
  anyYearBirthday,
  anyYearDate,
  anyYearInstant,
  birthday,
  calendarDate,
  e164,
  isoInstant,
  locale,
  phone,
  timeZone,
} from './fields.js';
import { goalSchema } from './goals.js';
import {
  boundedId,
  MAX_CAMPAIGN_BYTES,
  MAX_CAMPAIGN_NAME_CHARS,
  MAX_DOCUMENT_BYTES,
  MAX_EMAIL_CHARS,
  MAX_KEY_BYTES,
  MAX_NAME_CHARS,
  MAX_POSTAL_ADDRESS_CHARS,
  MAX_PRODUCT_NAME_CHARS,
  MAX_SHORT_ID_CHARS,
  MAX_TYPE_BYTES,
  singleLine,
  UNSAFE_TEXT,
  utf8Bytes,
} from './limits.js';
import { pricesSchema } from './prices.js';
import { isStorableNumber, jsonBytes, unstorableValues } from './storable.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export { CHANNELS, type Channel, channel, type SuppressionReason, suppressionReason } from './channels.js';
export { birthday, calendarDate, isoInstant, locale, phone, timeZone } from './fields.js';

// Edge schemas (customerSchema, contractSchema, eventSchema) refuse everything the store cannot
// keep (limits.ts). The `stored…` schemas read back what the store holds with the rules that were
// in force when it was written, so a document that predates a limit stays readable.

/** A finite number DynamoDB keeps exactly (its marshaller refuses a magnitude below 1e-130). */
const storableNumber = z
  .number()
  .finite()
  .refine(isStorableNumber, 'is outside the storable range (1e-130 … 9007199254740991 in magnitude)');

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);
/** A key of a map the campaign compares with customers' attributes. */
const attributeKey = z
  .string()
  .min(1, 'empty keys cannot be stored')
  .refine(
    (k) => k !== '__proto__' && utf8Bytes(k) <= MAX_KEY_BYTES,
    `must be a key of at most ${MAX_KEY_BYTES} bytes, not __proto__`,
  );

/**
 * A free-form map (`attributes`, event `data`) at an edge: what the store cannot keep is refused
 * with its path before zod reads the map, since zod's record drops a `__proto__` key unseen (and a
 * walk of 20,000 levels must be iterative, as storable.ts's is; z.unknown never descends). A
 * preprocess, so OpenAPI documents the record (and CSV imports type cells by it).
 */
const storableMap = <V extends z.ZodType>(value: V) =>
  z.preprocess(
    (input, ctx) => {
      for (const issue of unstorableValues(input))
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input });
      return input;
    },
    z.record(z.string(), value),
  );

/**
 * A whole document over MAX_DOCUMENT_BYTES, reported at its largest field. Only for a document with
 * no other problem: a 100 KB id is refused for its length, not once more for the document's size.
 */
function refuseOversized(payload: z.core.ParsePayload<Record<string, unknown>>): void {
  if (payload.issues.length > 0) return;
  const doc = payload.value;
  const bytes = jsonBytes(doc);
  if (bytes <= MAX_DOCUMENT_BYTES) return;
  let largest: [string, number] | undefined;
  for (const [field, value] of Object.entries(doc)) {
    const size = jsonBytes(value);
    if (!largest || size > largest[1]) largest = [field, size];
  }
  payload.issues.push({
    code: 'custom',
    input: doc,
    path: largest ? [largest[0]] : [],
    message: `makes the document ${bytes} bytes as JSON (this field ${largest?.[1] ?? bytes}); a document holds at most ${MAX_DOCUMENT_BYTES}`,
  });
}

const email = z
  .email('must be an email address')
  .max(MAX_EMAIL_CHARS, `must be at most ${MAX_EMAIL_CHARS} characters`);

/** Current consent: the contract's channels, and the topics a customer opted out of or back into. */
const consentObject = z.strictObject({
  email: z.boolean(),
  sms: z.boolean(),
  topics: z.record(z.string(), z.boolean()).optional(),
});

/** `edge`: the rules every edge applies; otherwise the rules a stored document was written under. */
const customerObject = (phoneNumber: z.ZodType<string>, edge: boolean) => {
  const doc = z
    .object({
      id: edge ? boundedId() : nonEmpty,
      name: edge ? singleLine(MAX_NAME_CHARS) : nonEmpty,
      email: (edge ? email : z.email('must be an email address')).optional(),
      phone: phoneNumber.optional(),
      locale,
      timeZone,
      birthday: (edge ? birthday : anyYearBirthday).optional(),
      monthlyValue: storableNumber
        .min(0, 'must be ≥ 0')
        .max(Number.MAX_SAFE_INTEGER, 'is too large to store exactly'),
      // Topics change only through consent changes (docs/consent.md): the stored document has them.
      consent: edge
        ? consentObject.refine((c) => c.topics === undefined, {
            path: ['topics'],
            message: 'topics change only through consent changes (unsubscribe links, the preference page)',
          })
        : consentObject,
      /** When the sender last learned this consent: a later one overrides the customer's own opt-out. */
      consentUpdatedAt: (edge ? isoInstant : anyYearInstant).optional(),
      lastActivityAt: (edge ? isoInstant : anyYearInstant).optional(),
      attributes: (edge ? storableMap(attributeValue) : z.record(z.string(), attributeValue)).optional(),
    })
    .strict();
  return edge ? doc.check(refuseOversized) : doc;
};

/** The Customer document as the contract defines it: what imports, the API and webhooks accept. */
export const customerSchema = /* @__PURE__ */ customerObject(phone, true);

/** A customer read back from the store: checked at the edge when written, so its phone is only shape-checked. */
export const storedCustomerSchema = customerObject(e164, false);
/** A customer as stored: the contract's document, with current topic consent (docs/consent.md). */
export type Customer = z.infer<typeof storedCustomerSchema>;

export const contractStatus = z.enum(['active', 'renewed', 'cancelled']);
// Every field is bounded, so a contract cannot outgrow MAX_DOCUMENT_BYTES.
const contractObject = (edge: boolean) =>
  z
    .object({
      id: edge ? boundedId() : nonEmpty,
      customerId: edge ? boundedId() : nonEmpty,
      product: edge ? boundedId() : nonEmpty,
      startDate: edge ? calendarDate : anyYearDate,
      endDate: edge ? calendarDate : anyYearDate,
      status: contractStatus,
    })
    .strict()
    .refine((c) => c.startDate <= c.endDate, { path: ['endDate'], message: 'must not be before startDate' });
export const contractSchema = contractObject(true);
/** A contract read back from the store (see storedCustomerSchema). */
export const storedContractSchema = contractObject(false);
export type Contract = z.infer<typeof contractSchema>;

const eventObject = (edge: boolean) => {
  const doc = z
    .object({
      id: edge ? boundedId() : nonEmpty,
      customerId: edge ? boundedId() : nonEmpty,
      // A type is also a key of the customer's activity map.
      type: edge
        ? boundedId(MAX_TYPE_BYTES).refine((t) => t !== '__proto__', 'must not be __proto__')
        : nonEmpty,
      occurredAt: edge ? isoInstant : anyYearInstant,
      data: (edge ? storableMap(z.unknown()) : z.record(z.string(), z.unknown())).optional(),
    })
    .strict();
  return edge ? doc.check(refuseOversized) : doc;
};
export const eventSchema = eventObject(true);
/** An event read back from the store (see storedCustomerSchema). */
export const storedEventSchema = eventObject(false);
export type CustomerEvent = z.infer<typeof eventSchema>;

export const DEFAULT_TIERS = [
  { id: 'key', minMonthlyValue: 500 },
  { id: 'business', minMonthlyValue: 100 },
  { id: 'standard', minMonthlyValue: 0 },
] as const;

const tierId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case id like business')
  .max(MAX_SHORT_ID_CHARS, `must be at most ${MAX_SHORT_ID_CHARS} characters`);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmm = z.string().regex(HHMM, 'must be a local time HH:mm');
/** A local `HH:mm` period within one day (send windows, quiet hours): they do not cross midnight. */
const localPeriod = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((w) => !HHMM.test(w.start) || !HHMM.test(w.end) || w.start < w.end, {
    path: ['end'],
    message: 'must be after start (windows do not cross midnight)',
  });

/** ISO 3166-1 alpha-2, as libphonenumber names a phone number's country. */
const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code like CN or US');

/** `products`: what customers read instead of a SKU (template variable `contract.productName`). */
const productsSchema = z.record(
  boundedId(),
  z.strictObject({ name: z.record(locale, singleLine(MAX_PRODUCT_NAME_CHARS)) }),
);

/** `sender`: the display name of the From address and the postal address every email footer shows. */
const senderSchema = z.strictObject({
  fromName: singleLine(MAX_NAME_CHARS).optional(),
  postalAddress: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine(
      (s) => [...s].length <= MAX_POSTAL_ADDRESS_CHARS,
      `must be at most ${MAX_POSTAL_ADDRESS_CHARS} characters`,
    )
    // Lines are kept (an address has several); other controls and bidirectional overrides are not.
    .refine(
      (s) => !UNSAFE_TEXT.test(s.replace(/\r?\n/g, ' ')),
      'must not hold control characters other than line breaks',
    )
    .optional(),
});

/**
 * The settings document. `tiers` is required: `settings apply` replaces the settings, and a document
 * without tiers (`{}`) is a mistake to refuse, not a request to reset the pyramid. Optional fields
 * take the contract's defaults. Settings never applied are `defaultSettings()`.
 */
export const settingsSchema = z
  .object({
    tiers: z
      .array(z.strictObject({ id: tierId, minMonthlyValue: storableNumber.min(0) }))
      .min(1, 'needs at least one tier')
      .max(100, 'at most 100 tiers')
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
    activityEventTypes: z.array(boundedId(MAX_TYPE_BYTES)).optional(),
    products: productsSchema.optional(),
    /**
     * Per phone country, the local period in which SMS may be sent (docs/messages.md): an SMS touch is
     * sent at the later of its window start and this start, and suppressed `quiet-hours` if that is
     * at or after either end.
     */
    quietHours: z.record(countryCode, localPeriod).optional(),
    sender: senderSchema.optional(),
    /** Prices for cost estimates, over the AWS list-price defaults (shared/domain/prices.ts, docs/cost.md). */
    prices: pricesSchema.optional(),
  })
  .strict()
  .check(refuseOversized);
export type Settings = z.infer<typeof settingsSchema>;
/** The contract's defaults (key ≥ 500, business ≥ 100, standard ≥ 0; feb28; every type is activity). */
export const defaultSettings = (): Settings =>
  settingsSchema.parse({ tiers: DEFAULT_TIERS.map((t) => ({ ...t })) });
export const DEFAULT_SETTINGS: Settings = defaultSettings();

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, . _ -')
  .max(MAX_SHORT_ID_CHARS, `must be at most ${MAX_SHORT_ID_CHARS} characters`);

export const anchorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contractEnd'), products: z.array(boundedId()).min(1).optional() }),
  z.strictObject({ type: z.literal('contractStart'), products: z.array(boundedId()).min(1).optional() }),
  z.strictObject({ type: z.literal('lastActivity') }),
  z.strictObject({ type: z.literal('birthday') }),
  z.strictObject({ type: z.literal('event'), eventType: boundedId(MAX_TYPE_BYTES) }),
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
  /** A header: one line (rendering also folds whatever a variable brings into one safe line). */
  subject: nonEmpty.refine(
    (s) => !UNSAFE_TEXT.test(s),
    'must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
  ),
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
    name: singleLine(MAX_CAMPAIGN_NAME_CHARS),
    priority: z.number().int(),
    anchor: anchorSchema,
    steps: z.array(stepSchema).min(1, 'needs at least one step'),
    audience: z
      .strictObject({
        tiers: z.array(tierId).min(1).optional(),
        locales: z.array(locale).min(1).optional(),
        attributes: z.record(attributeKey, z.array(attributeValue).min(1)).optional(),
      })
      .optional(),
    exit: z.array(exitCondition).default([]),
    sendWindow: localPeriod,
    frequencyCap: z
      .strictObject({ max: z.number().int().min(1), perDays: z.number().int().min(1).max(366) })
      .optional(),
    holdoutPercent: storableNumber.min(0).max(100).default(0),
    /** The topic a customer can opt out of (docs/consent.md); absent: the campaign's id. */
    category: id.optional(),
    /** End User Messaging's message type for this campaign's SMS; absent: `promotional` (marketing). */
    smsType: z.enum(['promotional', 'transactional']).optional(),
    /** What counts as the campaign's conversion, within `withinDays` of a touch (docs/attribution.md). */
    goal: goalSchema.optional(),
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
    const bytes = jsonBytes(c);
    if (bytes > MAX_CAMPAIGN_BYTES)
      ctx.addIssue({
        code: 'custom',
        path: ['templates'],
        message: `makes the campaign ${bytes} bytes as JSON; a campaign holds at most ${MAX_CAMPAIGN_BYTES}`,
      });
    if (c.goal?.type === 'contractRenewed' && c.anchor.type !== 'contractEnd')
      ctx.addIssue({
        code: 'custom',
        path: ['goal', 'type'],
        message: 'contractRenewed needs a contractEnd anchor: it is the anchored contract that renews',
      });
    for (const issue of stepReferenceIssues(
      c.steps.map((step, index) => ({ index, step })),
      c.templates,
      c.fallbackLocale,
    ))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;
