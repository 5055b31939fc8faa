// GET /v1/deliveries cursors: bound to the query that returned them (route and filters), and a
// position must be a key that query could return before it becomes a DynamoDB start key.
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../../shared/api/ops/common.js';
import { decodeCursor, encodeCursor } from '../../../shared/api/ops/cursor.js';
import { positionMismatch } from '../../../shared/store/delivery-position.js';

const customerKey = { pk: 'CUSTOMER#c-1', sk: 'TOUCH#renewal#d30#email#k-1:2026-12-01' };
const indexKey = {
  ...customerKey,
  ledgerCampaign: 'renewal',
  ledgerCampaignSk: '2026-11-01#c-1#d30#email#k-1:2026-12-01',
};

function refused(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProblemError) return e.problem.errors?.[0]?.message;
    throw e;
  }
  return undefined;
}

describe('the deliveries cursor', () => {
  it('round-trips a position for the query that made it', () => {
    const q = { customerId: 'c-1' };
    expect(decodeCursor(q, encodeCursor(q, { lastKey: customerKey }))).toEqual({ lastKey: customerKey });
  });

  it("refuses another customer's or another filter's cursor", () => {
    const cursor = encodeCursor({ customerId: 'c-2' }, { lastKey: { ...customerKey, pk: 'CUSTOMER#c-2' } });
    expect(refused(() => decodeCursor({ customerId: 'c-1' }, cursor))).toBe(
      'the cursor belongs to another query',
    );
    expect(refused(() => decodeCursor({ customerId: 'c-2', campaignId: 'renewal' }, cursor))).toBe(
      'the cursor belongs to another query',
    );
    expect(refused(() => decodeCursor({}, cursor))).toBe('the cursor belongs to another query');
  });

  it('refuses a truncated, garbled or unbound cursor', () => {
    const q = { customerId: 'c-1' };
    const cursor = encodeCursor(q, { lastKey: customerKey });
    for (const bad of [
      cursor.slice(0, 10),
      '%%%',
      Buffer.from(JSON.stringify({ lastKey: customerKey })).toString('base64url'),
    ])
      expect(refused(() => decodeCursor(q, bad))).toBe('invalid cursor');
  });
});

describe('a position from a cursor', () => {
  it('fits only the partition and key prefix of its customer query', () => {
    expect(positionMismatch({ customerId: 'c-1' }, { lastKey: customerKey })).toBeUndefined();
    expect(positionMismatch({ customerId: 'c-2' }, { lastKey: customerKey })).toBe(
      "another customer's partition",
    );
    expect(positionMismatch({ customerId: 'c-1' }, { lastKey: { pk: 'PARTNER#acme', sk: 'PARTNER' } })).toBe(
      "another customer's partition",
    );
    expect(positionMismatch({ customerId: 'c-1', campaignId: 'welcome' }, { lastKey: customerKey })).toBe(
      'not a ledger key of this query',
    );
    expect(positionMismatch({ customerId: 'c-1' }, { lastKey: indexKey })).toBe('not a table key');
  });

  it('fits only the index partition of its campaign', () => {
    expect(
      positionMismatch({ campaignId: 'renewal' }, { campaignId: 'renewal', lastKey: indexKey }),
    ).toBeUndefined();
    expect(positionMismatch({}, { campaignId: 'renewal', lastKey: indexKey })).toBeUndefined();
    expect(positionMismatch({}, { campaignId: 'renewal' })).toBeUndefined();
    expect(positionMismatch({ campaignId: 'welcome' }, { campaignId: 'renewal', lastKey: indexKey })).toBe(
      'another campaign',
    );
    expect(
      positionMismatch({}, { campaignId: 'welcome', lastKey: { ...indexKey, ledgerCampaign: 'welcome' } }),
    ).toBe('not a ledger key of this campaign');
    expect(
      positionMismatch(
        {},
        { campaignId: 'renewal', lastKey: { ...indexKey, pk: 'PARTNER#acme', sk: 'PARTNER' } },
      ),
    ).toBe('not a ledger key');
    expect(positionMismatch({}, { lastKey: indexKey })).toBe('not a campaign query position');
  });
});
