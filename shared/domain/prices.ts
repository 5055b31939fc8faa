// Prices for cost estimates (docs/cost.md): per message (SES, End User Messaging SMS by country and
// message type) and per service request (Step Functions transitions, Lambda, DynamoDB on demand).
// Settings may override any of them (`prices`); what is not overridden takes DEFAULT_PRICES.
// Pure: no AWS imports. Amounts are in `currency` units (USD by default).
import * as z from 'zod';

/** The date the default prices were read from AWS's public price pages. */
export const PRICES_AS_OF = '2025-06-01';

/** Where the defaults come from. */
export const PRICES_SOURCE =
  'AWS public list prices, us-east-1, on-demand, no free tier: aws.amazon.com/ses/pricing, ' +
  'aws.amazon.com/end-user-messaging/pricing (base price per message part, carrier fees excluded), ' +
  'aws.amazon.com/step-functions/pricing (standard workflows), aws.amazon.com/lambda/pricing (x86), ' +
  'aws.amazon.com/dynamodb/pricing/on-demand';

const amount = z.number().finite().nonnegative().max(1_000_000);
const smsTypes = z.strictObject({ promotional: amount, transactional: amount });
export type SmsTypePrices = z.infer<typeof smsTypes>;
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code (e.g. US)');

export const pricesSchema = z.strictObject({
  /** ISO 4217 code; every amount below is in it. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code (e.g. USD)')
    .optional(),
  /** The date the prices were read (YYYY-MM-DD), shown with every estimate. */
  asOf: z.iso.date().optional(),
  /** SES: per 1,000 emails. */
  email: z.strictObject({ perThousand: amount }).optional(),
  /** End User Messaging SMS: per message part, by destination country, then `default`. */
  sms: z
    .strictObject({ default: smsTypes.optional(), byCountry: z.record(countryCode, smsTypes).optional() })
    .optional(),
  /** Step Functions standard workflows: per 1,000 state transitions. */
  stepFunctions: z.strictObject({ perThousandTransitions: amount }).optional(),
  /** Lambda: per million requests and per GB-second. */
  lambda: z.strictObject({ perMillionRequests: amount, perGbSecond: amount }).optional(),
  /** DynamoDB on demand: per million write and read request units. */
  dynamodb: z.strictObject({ perMillionWrites: amount, perMillionReads: amount }).optional(),
});
export type PricesInput = z.infer<typeof pricesSchema>;

export interface Prices {
  currency: string;
  asOf: string;
  email: { perThousand: number };
  sms: { default: SmsTypePrices; byCountry: Record<string, SmsTypePrices> };
  stepFunctions: { perThousandTransitions: number };
  lambda: { perMillionRequests: number; perGbSecond: number };
  dynamodb: { perMillionWrites: number; perMillionReads: number };
}

const same = (n: number): SmsTypePrices => ({ promotional: n, transactional: n });

/** AWS list prices as of PRICES_AS_OF (PRICES_SOURCE). Check them against the pages before relying on them. */
export const DEFAULT_PRICES: Prices = {
  currency: 'USD',
  asOf: PRICES_AS_OF,
  email: { perThousand: 0.1 },
  sms: {
    // Countries not listed: a conservative international figure; set yours in settings.prices.
    default: same(0.05),
    byCountry: {
      US: same(0.00581),
      CA: same(0.00575),
      GB: same(0.0395),
      DE: same(0.0793),
      FR: same(0.0672),
    },
  },
  stepFunctions: { perThousandTransitions: 0.025 },
  lambda: { perMillionRequests: 0.2, perGbSecond: 0.0000166667 },
  dynamodb: { perMillionWrites: 0.625, perMillionReads: 0.125 },
};

/** The settings' prices over the defaults: an override replaces that service's entry (SMS: per country). */
export function resolvePrices(input: PricesInput | undefined): Prices {
  if (!input) return DEFAULT_PRICES;
  return {
    currency: input.currency ?? DEFAULT_PRICES.currency,
    asOf: input.asOf ?? DEFAULT_PRICES.asOf,
    email: input.email ?? DEFAULT_PRICES.email,
    sms: {
      default: input.sms?.default ?? DEFAULT_PRICES.sms.default,
      byCountry: { ...DEFAULT_PRICES.sms.byCountry, ...input.sms?.byCountry },
    },
    stepFunctions: input.stepFunctions ?? DEFAULT_PRICES.stepFunctions,
    lambda: input.lambda ?? DEFAULT_PRICES.lambda,
    dynamodb: input.dynamodb ?? DEFAULT_PRICES.dynamodb,
  };
}

export type SmsType = keyof SmsTypePrices;

/** One message's price: an email, or an SMS part to `country` (undefined: the default). */
export function messagePrice(
  prices: Prices,
  m: { channel: 'email' } | { channel: 'sms'; country: string | undefined; type: SmsType; parts?: number },
): number {
  if (m.channel === 'email') return prices.email.perThousand / 1000;
  const perPart = (m.country && prices.sms.byCountry[m.country]) || prices.sms.default;
  return perPart[m.type] * (m.parts ?? 1);
}

/**
 * The service usage a run of this shape causes, as estimated (docs/cost.md): per run, the states
 * select → plan → map → summarize → publish, the three functions, and the run's own items; per batch,
 * its wait and send states and one SendBatch invocation; per touch, the ledger writes and reads the
 * send path makes (reserve, settle, message lookup and results for a send; one row for a suppressed
 * touch) and its share of a batch's duration.
 */
export const USAGE_MODEL = {
  transitionsPerRun: 8,
  transitionsPerBatch: 4,
  invocationsPerRun: 3,
  /** Seconds × GB of the run's own functions (plan and summarize, 1 GB, about 2 s each). */
  gbSecondsPerRun: 4,
  /** SendBatch runs at 1 GB; a send (render, provider call, ledger writes) takes about 0.2 s. */
  gbSecondsPerSend: 0.2,
  writesPerSend: 4,
  readsPerSend: 3,
  writesPerSuppressed: 1,
  writesPerRun: 4,
  readsPerRun: 4,
} as const;

export interface RunShape {
  batches: number;
  sends: number;
  suppressed: number;
}

/** The infrastructure cost of a run of this shape (Step Functions, Lambda, DynamoDB), messages excluded. */
export function runInfraCost(prices: Prices, shape: RunShape): number {
  const u = USAGE_MODEL;
  const transitions = u.transitionsPerRun + u.transitionsPerBatch * shape.batches;
  const invocations = u.invocationsPerRun + shape.batches;
  const gbSeconds = u.gbSecondsPerRun + u.gbSecondsPerSend * shape.sends;
  const writes = u.writesPerRun + u.writesPerSend * shape.sends + u.writesPerSuppressed * shape.suppressed;
  const reads = u.readsPerRun + u.readsPerSend * shape.sends;
  return (
    (transitions * prices.stepFunctions.perThousandTransitions) / 1000 +
    (invocations * prices.lambda.perMillionRequests) / 1e6 +
    gbSeconds * prices.lambda.perGbSecond +
    (writes * prices.dynamodb.perMillionWrites) / 1e6 +
    (reads * prices.dynamodb.perMillionReads) / 1e6
  );
}

/** Counters hold integers: costs are counted in millionths of the currency unit. */
export const COST_SCALE = 1_000_000;
export const toMicros = (amountInUnits: number): number => Math.round(amountInUnits * COST_SCALE);
export const fromMicros = (micros: number): number => micros / COST_SCALE;

/** Rounds an amount for display and JSON: 6 decimals (a millionth of the unit). */
export const roundAmount = (n: number): number => Math.round(n * COST_SCALE) / COST_SCALE;
