// Webhook acceptance: a partner's customer event, signed the Standard Webhooks way. Order matters:
// 1. the signature over the raw bytes (nothing is parsed before it is authentic), against the
//    partner's secrets as cached briefly per instance, or a decoy secret for an unknown id, so an
//    unknown partner costs and answers exactly as a bad signature does; a failure draws on the
//    client's failure budget (429 once spent), never on a partner's;
// 2. the verified partner's throttle; 3. the content type; 4. the replay guard; 5. the body: JSON,
//    then eventSchema, which refuses everything the store cannot keep; 6. an occurredAt no later
//    than the moment of receipt plus the signature tolerance; 7. the customer exists;
// and only then the effect: one CustomerEvent on the bus. The webhook-id receipt is written after
// the event was accepted, so a refused attempt can be retried with the same id.
// The partner log (docs/webhooks.md, "Partner activity"): an accepted event adds an entry, and a
// refusal after step 1 adds one to its hour's counter of that reason. Nothing before step 1 is
// recorded: an unknown id or a bad signature never writes (nor answers slower than the other).
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { EVENT_NAMES } from '../../config/events.js';
import { type CustomerEvent, eventSchema } from '../../domain/documents.js';
import { newSecret, partnerId as partnerIdSchema, validSecrets } from '../../partners/secrets.js';
import type { Clock } from '../../ports/clock.js';
import type { DocumentStore } from '../../ports/documents.js';
import type { EventPublisher } from '../../ports/events.js';
import type { PartnerActivityStore } from '../../ports/partner-activity.js';
import type { Partner, WebhookReceipts } from '../../ports/partners.js';
import type { PartnerLookup } from './partner-cache.js';
import { TIMESTAMP_TOLERANCE_MS, type VerifyFailure, verifyWebhook } from './signature.js';

/** Whether a request may go on now: one of the edge's token buckets (per API instance). */
export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The edge's throttles, bound to the request's client (shared/api/webhooks/rate-limit.ts). */
export interface WebhookThrottle {
  /** Takes from the bucket of a partner whose signature verified (shared by every instance: partner-throttle.ts). */
  partner(partnerId: string, nowMs: number): Admission | Promise<Admission>;
  /**
   * Whether the client is within its own failure budget: only then may a partner id this instance
   * has not seen (or saw to be unknown) cost a store read.
   */
  withinFailureBudget(nowMs: number): boolean;
  /** Counts a failed verification against the client; not ok: answer 429 rather than 401. */
  failure(nowMs: number): Admission;
}

export interface WebhookDeps {
  /** Partner reads, cached briefly per API instance (partner-cache.ts). */
  partners: PartnerLookup;
  receipts: WebhookReceipts;
  documents: Pick<DocumentStore, 'existingCustomerIds'>;
  events: EventPublisher;
  /** The partner log: an authenticated partner's accepted events and refusal counts. */
  partnerActivity: Pick<PartnerActivityStore, 'recordPartnerEvent' | 'countRefusal'>;
  clock: Clock;
  throttle: WebhookThrottle;
  log: { info(message: string, extra?: unknown): void };
}

export interface WebhookRequest {
  partnerId: string;
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined };
  /** The Content-Type header: the body must be application/json (UTF-8). */
  contentType: string | undefined;
  /** The raw body, decoded as the standardwebhooks library does (Buffer#toString), so signatures agree. */
  payload: string;
  toleranceMs?: number;
}

export type WebhookOutcome =
  | { ok: true; eventId?: string; duplicate: boolean }
  /** Unknown partner or a bad signature: the same answer, so ids cannot be probed. */
  | { ok: false; reason: 'unauthorized'; detail: string }
  /** `partner`: the verified partner's rate; `failures`: the client's failed verifications. */
  | { ok: false; reason: 'throttled'; scope: 'partner' | 'failures'; retryAfterSeconds: number }
  | { ok: false; reason: 'unsupported-media-type' }
  | { ok: false; reason: 'not-json' }
  | { ok: false; reason: 'invalid-event'; error: z.ZodError }
  /** occurredAt later than the moment of receipt plus the tolerance: a partner reports what happened. */
  | { ok: false; reason: 'future-event'; latest: string }
  | { ok: false; reason: 'unknown-customer'; customerId: string };

const describe = (reason: VerifyFailure): string => `Signature verification failed: ${reason}.`;

/**
 * Checked for an unknown partner id (or one without a valid secret) in place of its secrets, so that
 * the request costs one HMAC and fails the same way a bad signature does. Never handed out.
 */
const DECOY_SECRETS: readonly string[] = [newSecret(new Date(0)).secret];

/** `application/json`, with parameters allowed; a charset, when given, must be UTF-8 (how the body is read). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [mediaType, ...params] = value.split(';');
  if (mediaType?.trim().toLowerCase() !== 'application/json') return false;
  return params.every((param) => {
    const [name, raw = ''] = param.split('=');
    if (name?.trim().toLowerCase() !== 'charset') return true;
    return /^"?utf-?8"?$/i.test(raw.trim());
  });
}

/** The latest occurredAt a webhook may carry: the moment of receipt plus the signature tolerance. */
function occursTooLate(event: CustomerEvent, now: Date, toleranceMs: number): string | undefined {
  const latest = now.getTime() + toleranceMs;
  const at = DateTime.fromISO(event.occurredAt, { setZone: true }).toMillis();
  return at > latest ? new Date(latest).toISOString() : undefined;
}

type Authenticated =
  | { ok: true; partner: Partner; webhookId: string }
  | { ok: false; outcome: WebhookOutcome };

async function authenticate(deps: WebhookDeps, req: WebhookRequest, now: Date): Promise<Authenticated> {
  const nowMs = now.getTime();
  const id = partnerIdSchema.safeParse(req.partnerId);
  let partner: Partner | undefined;
  let readNow = false;
  if (id.success) {
    const seen = deps.partners.cached(id.data, nowMs);
    // A stale read of a known partner is always refreshed (partners are few); an id never seen, or
    // seen to be unknown, costs a store read only while the client is within its failure budget.
    if (seen?.fresh) partner = seen.partner;
    else if (seen?.partner || deps.throttle.withinFailureBudget(nowMs)) {
      partner = await deps.partners.read(id.data, nowMs);
      readNow = true;
    }
  }
  const check = (p: Partner | undefined) => {
    const secrets = p ? validSecrets(p, now) : [];
    return verifyWebhook({
      secrets: secrets.length > 0 ? secrets : DECOY_SECRETS,
      headers: req.headers,
      payload: req.payload,
      now,
      toleranceMs: req.toleranceMs ?? TIMESTAMP_TOLERANCE_MS,
    });
  };
  let verified = check(partner);
  // The cache only refuses: what verified against a cached read is checked against a fresh one, so
  // a secret revoked or rotated out a moment ago is refused at once.
  if (verified.ok && partner && !readNow) {
    partner = await deps.partners.read(partner.id, nowMs);
    verified = check(partner);
  }
  if (verified.ok && partner) return { ok: true, partner, webhookId: verified.webhookId };
  const budget = deps.throttle.failure(nowMs);
  if (!budget.ok)
    return {
      ok: false,
      outcome: {
        ok: false,
        reason: 'throttled',
        scope: 'failures',
        retryAfterSeconds: budget.retryAfterSeconds,
      },
    };
  const detail = verified.ok ? describe('no-matching-signature') : describe(verified.reason);
  return { ok: false, outcome: { ok: false, reason: 'unauthorized', detail } };
}

export async function acceptWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const now = deps.clock.now();
  const auth = await authenticate(deps, req, now);
  if (!auth.ok) return auth.outcome;
  const outcome = await acceptFromPartner(deps, req, { ...auth, now });
  if (!outcome.ok && outcome.reason !== 'unauthorized')
    await logged(deps, 'refusal', () =>
      deps.partnerActivity.countRefusal(auth.partner.id, outcome.reason, now),
    );
  return outcome;
}

/** The partner log is the console's view, not the webhook's effect: a failed write is logged, not a 5xx. */
async function logged(deps: WebhookDeps, what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    deps.log.info(`partner log: ${what} not recorded`, { error: String(err) });
  }
}

async function acceptFromPartner(
  deps: WebhookDeps,
  req: WebhookRequest,
  { partner, webhookId, now }: { partner: Partner; webhookId: string; now: Date },
): Promise<WebhookOutcome> {
  const admission = await deps.throttle.partner(partner.id, now.getTime());
  if (!admission.ok)
    return {
      ok: false,
      reason: 'throttled',
      scope: 'partner',
      retryAfterSeconds: admission.retryAfterSeconds,
    };

  if (!isJsonContentType(req.contentType)) return { ok: false, reason: 'unsupported-media-type' };

  if (await deps.receipts.hasWebhookReceipt(partner.id, webhookId)) return { ok: true, duplicate: true };

  let json: unknown;
  try {
    json = JSON.parse(req.payload);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'invalid-event', error: parsed.error };
  const event = parsed.data;
  const latest = occursTooLate(event, now, req.toleranceMs ?? TIMESTAMP_TOLERANCE_MS);
  if (latest !== undefined) return { ok: false, reason: 'future-event', latest };
  const known = await deps.documents.existingCustomerIds([event.customerId]);
  if (!known.has(event.customerId))
    return { ok: false, reason: 'unknown-customer', customerId: event.customerId };

  await deps.events.publish([
    { source: EVENT_NAMES.partnerSource, detailType: EVENT_NAMES.customerEvent, detail: event },
  ]);
  // A concurrent replay may have won the receipt: the event id is idempotent downstream, so the
  // second publish had no effect either way; report it as the duplicate it was.
  const first = await deps.receipts.recordWebhookReceipt(partner.id, webhookId, now);
  if (first)
    await logged(deps, 'event', () =>
      deps.partnerActivity.recordPartnerEvent(partner.id, {
        eventId: event.id,
        type: event.type,
        receivedAt: now.toISOString(),
      }),
    );
  deps.log.info('partner event accepted', {
    partnerId: partner.id,
    webhookId,
    eventId: event.id,
    duplicate: !first,
  });
  return { ok: true, eventId: event.id, duplicate: !first };
}
