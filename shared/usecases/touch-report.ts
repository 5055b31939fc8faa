// The contract's JSON for plan and run output, built in one place for the CLI and the API.
import type { PlannedTouch } from '../domain/touch.js';

export interface TouchRow<S extends string = string, R extends string = string> {
  campaignId: string;
  stepId: string;
  customerId: string;
  channel: PlannedTouch['channel'];
  occasion: string;
  tier: string;
  locale: string;
  sendAt: string;
  status: S;
  reason?: R;
}

/** Exactly the contract's touch fields, in its order. */
export function touchRow<S extends string, R extends string>(
  t: PlannedTouch,
  status: S,
  reason: R | undefined,
): TouchRow<S, R> {
  return {
    campaignId: t.campaignId,
    stepId: t.stepId,
    customerId: t.customerId,
    channel: t.channel,
    occasion: t.occasion,
    tier: t.tier,
    locale: t.locale,
    sendAt: t.sendAt,
    status,
    ...(reason !== undefined && { reason }),
  };
}

export function countByReason(rows: readonly { status: string; reason?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows)
    if (r.status === 'suppressed' && r.reason) counts[r.reason] = (counts[r.reason] ?? 0) + 1;
  return counts;
}

/** `plan --date D --json` / `GET /v1/plan`: `{ date, touches, summary: { planned, suppressed, byReason } }`. */
export function planReport(date: string, touches: readonly PlannedTouch[]) {
  const rows = touches.map((t) => touchRow(t, t.status, t.reason));
  const planned = rows.filter((r) => r.status === 'planned').length;
  return {
    date,
    touches: rows,
    summary: { planned, suppressed: rows.length - planned, byReason: countByReason(rows) },
  };
}
