// Delivery events are signals, not noise: a permanent bounce or a complaint puts the address on
// the suppression list, so no campaign contacts it again.
import * as z from 'zod';
import { normalizeEmail } from '../domain/addresses.js';
import type { Clock } from '../ports/clock.js';
import type { Stores } from '../store/stores.js';

/** The parts of an SES event (EventBridge detail) this needs. */
export const sesEventDetail = z.object({
  eventType: z.string(),
  mail: z.object({ destination: z.array(z.string()).default([]) }),
  bounce: z
    .object({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]),
    })
    .optional(),
  complaint: z
    .object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]) })
    .optional(),
});
export type SesEventDetail = z.infer<typeof sesEventDetail>;

export async function applyDeliveryFeedback(
  deps: { store: Pick<Stores, 'suppression'>; clock: Clock },
  detail: SesEventDetail,
): Promise<{ suppressed: string[] }> {
  const addedAt = deps.clock.now().toISOString();
  const suppressed: string[] = [];
  if (detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent') {
    for (const r of detail.bounce.bouncedRecipients) {
      const address = normalizeEmail(r.emailAddress);
      await deps.store.suppression.addSuppression({ address, reason: 'bounced', addedAt, source: 'bounce' });
      suppressed.push(address);
    }
  }
  if (detail.eventType === 'Complaint') {
    for (const r of detail.complaint?.complainedRecipients ?? []) {
      const address = normalizeEmail(r.emailAddress);
      await deps.store.suppression.addSuppression({
        address,
        reason: 'complained',
        addedAt,
        source: 'complaint',
      });
      suppressed.push(address);
    }
  }
  return { suppressed };
}
