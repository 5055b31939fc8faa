// A run stores its planned touches as batch items, each touch carrying its event: 50 touches of
// documents at MAX_DOCUMENT_BYTES would make one item far over DynamoDB's 400 KB.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../../shared/domain/documents.js';
import { MAX_DOCUMENT_BYTES, MAX_RUN_ITEM_TOUCH_BYTES, utf8Bytes } from '../../../shared/domain/limits.js';
import { jsonBytes } from '../../../shared/domain/storable.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { BATCH_SIZE, batchesOf } from '../../../shared/usecases/run/plan-run.js';

const ITEM_BYTES = 400 * 1024;

function touch(n: number, sendAt: string, note: string): PlannedTouch {
  // The largest event the edge accepts: its JSON just under MAX_DOCUMENT_BYTES.
  const event = eventSchema.parse({
    id: `ev-${n}`,
    customerId: `c-${n}`,
    type: 'purchase',
    occurredAt: '2026-11-20T00:00:00Z',
    data: { note },
  });
  return {
    campaignId: 'service-recovery',
    stepId: 'd2',
    customerId: `c-${n}`,
    channel: 'email',
    occasion: `ev-${n}`,
    tier: 'standard',
    locale: 'en-US',
    dueDate: '2026-11-26',
    sendAt,
    windowEnd: '2026-11-26T18:00:00.000Z',
    status: 'planned',
    address: `c-${n}@example.com`,
    template: 'how-did-we-do',
    event,
  };
}

describe('batchesOf', () => {
  it('splits 50 touches carrying 32 KB events into batch items that fit DynamoDB, in order', () => {
    const note = 'x'.repeat(MAX_DOCUMENT_BYTES - 200);
    const at = '2026-11-26T17:00:00.000Z';
    const planned = Array.from({ length: BATCH_SIZE }, (_, n) => touch(n, at, note));
    expect(utf8Bytes(JSON.stringify(planned[0]?.event))).toBeGreaterThan(MAX_DOCUMENT_BYTES - 200);

    const batches = batchesOf('run-1', planned);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) {
      expect(jsonBytes(b.touches)).toBeLessThanOrEqual(MAX_RUN_ITEM_TOUCH_BYTES);
      // The item as the store writes it: keys, the batch, its TTL.
      const item = marshall({ pk: 'RUN#run-1', sk: `BATCH#${b.batchId}`, ...b, expiresAt: 1 });
      expect(jsonBytes(item)).toBeLessThan(ITEM_BYTES);
    }
    expect(batches.flatMap((b) => b.touches)).toEqual(planned);
    expect(batches.map((b) => b.batchId)).toEqual(
      batches.map((_, i) => `${at}#${String(i).padStart(4, '0')}`),
    );
  });

  it('still groups small touches by send time, 50 a batch', () => {
    const early = '2026-11-26T01:00:00.000Z';
    const late = '2026-11-26T17:00:00.000Z';
    const planned = [
      ...Array.from({ length: 120 }, (_, n) => touch(n, late, 'n')),
      ...Array.from({ length: 3 }, (_, n) => touch(200 + n, early, 'n')),
    ];
    const batches = batchesOf('run-1', planned);
    expect(batches.map((b) => [b.batchId, b.touches.length])).toEqual([
      [`${early}#0000`, 3],
      [`${late}#0000`, 50],
      [`${late}#0001`, 50],
      [`${late}#0002`, 20],
    ]);
  });
});
