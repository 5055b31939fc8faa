// Webhook acceptance: a partner's customer event, signed the Standard Webhooks way. Order matters:
// the cheap refusals first (unknown partner, throttle), then the signature over the raw bytes
// (nothing is parsed before it is authentic), the replay guard, the body schema, the customer
// check, and only then the effect: one CustomerEvent on the bus. The webhook-id receipt is written
// after the event was accepted, so a failed attempt can be retried with the same id.
import type { z } from 'zod';
import { EVENT_NAMES } from '../../config/events.js';
import { eventSchema } from '../../domain/documents.js';
import { partnerId as partnerIdSchema, validSecrets } from '../../partners/secrets.js';
import type { Clock } from '../../ports/clock.js';
import type { DocumentStore } from '../../ports/documents.js';
import type { EventPublisher } from '../../ports/events.js';
import type { PartnerStore, WebhookReceipts } from '../../ports/partners.js';
import { TIMESTAMP_TOLERANCE_MS, type VerifyFailure, verifyWebhook } from './signature.js';

/** Whether a partner may send now: the edge's throttle (a token bucket per API instance). */
export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface WebhookDeps {
  partners: PartnerStore;
  receipts: WebhookReceipts;
  documents: Pick<DocumentStore, 'existingCustomerIds'>;
  events: EventPublisher;
  clock: Clock;
  /** Per-partner admission (a token bucket per API instance). */
  admit(partnerId: string, nowMs: number): Admission;
  log: { info(message: string, extra?: unknown): void };
}

export interface WebhookRequest {
  partnerId: string;
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined };
  /** The raw body, decoded as the standardwebhooks library does (Buffer#toString), so signatures agree. */
  payload: string;
  toleranceMs?: number;
}

export type WebhookOutcome =
  | { ok: true; eventId?: string; duplicate: boolean }
  /** Unknown partner or a bad signature: the same answer, so ids cannot be probed. */
  | { ok: false; reason: 'unauthorized'; detail: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'not-json' }
  | { ok: false; reason: 'invalid-event'; error: z.ZodError }
  | { ok: false; reason: 'unknown-customer'; customerId: string };

const describe = (reason: VerifyFailure): string => `Signature verification failed: ${reason}.`;

export async function acceptWebhook(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookOutcome> {
  const id = partnerIdSchema.safeParse(req.partnerId);
  const partner = id.success ? await deps.partners.getPartner(id.data) : undefined;
  if (!partner) return { ok: false, reason: 'unauthorized', detail: 'Unknown partner or invalid signature.' };

  const now = deps.clock.now();
  const admission = deps.admit(partner.id, now.getTime());
  if (!admission.ok)
    return { ok: false, reason: 'throttled', retryAfterSeconds: admission.retryAfterSeconds };

  const verified = verifyWebhook({
    secrets: validSecrets(partner, now),
    headers: req.headers,
    payload: req.payload,
    now,
    toleranceMs: req.toleranceMs ?? TIMESTAMP_TOLERANCE_MS,
  });
  if (!verified.ok) return { ok: false, reason: 'unauthorized', detail: describe(verified.reason) };
  const webhookId = verified.webhookId;

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
  const known = await deps.documents.existingCustomerIds([event.customerId]);
  if (!known.has(event.customerId))
    return { ok: false, reason: 'unknown-customer', customerId: event.customerId };

  await deps.events.publish([
    { source: EVENT_NAMES.partnerSource, detailType: EVENT_NAMES.customerEvent, detail: event },
  ]);
  // A concurrent replay may have won the receipt: the event id is idempotent downstream, so the
  // second publish had no effect either way; report it as the duplicate it was.
  const first = await deps.receipts.recordWebhookReceipt(partner.id, webhookId, now);
  deps.log.info('partner event accepted', {
    partnerId: partner.id,
    webhookId,
    eventId: event.id,
    duplicate: !first,
  });
  return { ok: true, eventId: event.id, duplicate: !first };
}
