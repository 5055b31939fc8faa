// A touch's delivery timeline as the customer page shows it (console/src/pages/customers/timeline.ts).
import { describe, expect, it } from 'vitest';
import { deliveryTimeline } from '../../../console/src/pages/customers/timeline.js';

describe('deliveryTimeline', () => {
  it('goes reserved → sent → the provider events in time order', () => {
    const steps = deliveryTimeline({
      status: 'sent',
      sendAt: '2026-11-26T01:00:00.000Z',
      leasedAt: '2026-11-26T01:00:00.100Z',
      updatedAt: '2026-11-26T01:00:00.400Z',
      deliveryEvents: [
        { type: 'Open', state: 'opened', at: '2026-11-26T02:00:00.000Z' },
        { type: 'Delivery', state: 'delivered', at: '2026-11-26T01:00:02.000Z' },
        { type: 'DeliveryDelay', at: '2026-11-26T01:00:01.000Z' },
      ],
    });
    expect(steps).toEqual([
      { state: 'reserved', at: '2026-11-26T01:00:00.100Z' },
      { state: 'sent', at: '2026-11-26T01:00:00.400Z' },
      { state: 'event', at: '2026-11-26T01:00:01.000Z', detail: 'DeliveryDelay' },
      { state: 'delivered', at: '2026-11-26T01:00:02.000Z', detail: 'Delivery' },
      { state: 'opened', at: '2026-11-26T02:00:00.000Z', detail: 'Open' },
    ]);
  });

  it('says why a touch was suppressed, and a bounce its kind', () => {
    expect(
      deliveryTimeline({
        status: 'suppressed',
        reason: 'holdout',
        sendAt: '2026-11-26T18:00:00.000Z',
        updatedAt: '2026-11-26T09:00:00.000Z',
      }),
    ).toEqual([{ state: 'suppressed', at: '2026-11-26T09:00:00.000Z', detail: 'holdout' }]);
    const bounced = deliveryTimeline({
      status: 'sent',
      sendAt: 'x',
      leasedAt: '2026-12-08T01:00:00.000Z',
      updatedAt: '2026-12-08T01:00:01.000Z',
      deliveryEvents: [
        { type: 'Bounce', state: 'bounced', detail: 'Permanent', at: '2026-12-08T01:00:03.000Z' },
      ],
    });
    expect(bounced.at(-1)).toEqual({
      state: 'bounced',
      at: '2026-12-08T01:00:03.000Z',
      detail: 'Bounce (Permanent)',
    });
  });

  it('shows a row still held by its reservation as reserved only, a failure with its error', () => {
    expect(
      deliveryTimeline({ status: 'reserved', sendAt: 'x', leasedAt: 'a', updatedAt: 'a' }).map(
        (s) => s.state,
      ),
    ).toEqual(['reserved']);
    expect(
      deliveryTimeline({ status: 'failed', sendAt: 'x', leasedAt: 'a', updatedAt: 'b', error: 'Throttling' }),
    ).toEqual([
      { state: 'reserved', at: 'a' },
      { state: 'failed', at: 'b', detail: 'Throttling' },
    ]);
  });
});
