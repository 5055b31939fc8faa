// The reputation guard's state as the API answers it and the CLI reads it.
import * as z from 'zod';

export const guardedChannel = z.enum(['email', 'sms']);

const counts = {
  sent: z.number().int().nonnegative(),
  bounced: z.number().int().nonnegative(),
  complained: z.number().int().nonnegative(),
};

export const sendingStatusSchema = z.object({
  channel: guardedChannel,
  paused: z.boolean(),
  /** While paused: the rate that tripped the guard. */
  reason: z.string().optional(),
  pausedAt: z.string().optional(),
  resumedAt: z.string().optional(),
  /** What the guard judges now: the last `hours`, less what the last resume forgave. */
  window: z.object({
    ...counts,
    hours: z.number().int().positive(),
    bounceRate: z.number().nullable(),
    complaintRate: z.number().nullable(),
  }),
  limits: z.object({ minSends: z.number().int(), maxBounceRate: z.number(), maxComplaintRate: z.number() }),
});
export type SendingStatus = z.infer<typeof sendingStatusSchema>;

export const sendingResumedSchema = z.object({ resumed: z.boolean(), status: sendingStatusSchema });
