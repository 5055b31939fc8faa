// GET /v1/deliveries took any well-formed cursor and handed its key to DynamoDB as the Query's
// start key: another customer's cursor, another filter's, or one rewritten to point at a partner
// item came back as 500 (ValidationException), or steered the read. A cursor is now bound to the
// query it came from, and its key must be one that query could return (shared/api/ops/cursor.ts,
// shared/store/delivery-position.ts): anything else is a 400 problem.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestStore } from '../support/ddb.js';
import { exampleCampaign, touch } from '../support/fixtures.js';
import { type HostileApp, hostileApp } from '../support/ops-app.js';

let api: HostileApp;
const page = z.object({ deliveries: z.array(z.unknown()), nextCursor: z.string().optional() });
const cursorJson = z.looseObject({ lastKey: z.record(z.string(), z.string()).optional() });

beforeAll(async () => {
  const { store } = await createTestStore();
  api = hostileApp(store, 'cursor-token');
  // Unfiltered pages read the current campaigns' ledger rows.
  for (const id of ['renewal', 'welcome'])
    await store.campaigns.putCampaign({ ...exampleCampaign('contract-renewal'), id });
  for (const customerId of ['c-1', 'c-2'])
    for (const campaignId of ['renewal', 'welcome'])
      for (let i = 0; i < 3; i++)
        await store.ledger.reserve(
          touch({ campaignId, customerId, stepId: `s${i}`, dueDate: `2026-11-0${i + 1}` }),
          'run-c',
          '2026-11-01T00:00:00Z',
        );
});

/** A genuine cursor: the one the first page of `query` returns. */
async function cursorOf(query: string): Promise<string> {
  const res = await api.call('GET', `/v1/deliveries?${query}&limit=1`);
  expect(res.status).toBe(200);
  const { nextCursor } = page.parse(await res.json());
  if (nextCursor === undefined) throw new Error(`no next page for ${query}`);
  return nextCursor;
}

/** What a forger does: decode a cursor they were given, change its key, encode it again. */
function rewrite(
  cursor: string,
  change: (lastKey: Record<string, string>) => Record<string, string>,
): string {
  const value = cursorJson.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  return Buffer.from(JSON.stringify({ ...value, lastKey: change(value.lastKey ?? {}) })).toString(
    'base64url',
  );
}

async function expectRefused(query: string, cursor: string): Promise<void> {
  const before = api.footprint();
  const res = await api.call('GET', `/v1/deliveries?${query}&cursor=${cursor}`);
  const body: unknown = await res.json();
  expect(res.status, `${query}: ${JSON.stringify(body)}`).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(body).toMatchObject({
    status: 400,
    detail: 'The cursor is not one this API returned.',
    errors: [{ path: 'cursor' }],
  });
  expect(api.footprint()).toEqual(before);
}

describe('forged but well-formed cursors on GET /v1/deliveries', () => {
  it("answers 400, not 500, for another customer's cursor", async () => {
    await expectRefused('customer=c-1', await cursorOf('customer=c-2'));
    // The same, made by rewriting the partition of a cursor of this very query.
    await expectRefused(
      'customer=c-1',
      rewrite(await cursorOf('customer=c-1'), (k) => ({ ...k, pk: 'CUSTOMER#c-2' })),
    );
  });

  it("answers 400, not 500, for another filter's cursor", async () => {
    await expectRefused('customer=c-1', await cursorOf('campaign=renewal'));
    await expectRefused('customer=c-1', await cursorOf('customer=c-1&campaign=renewal'));
    await expectRefused('campaign=welcome', await cursorOf('campaign=renewal'));
    await expectRefused('campaign=renewal', await cursorOf('customer=c-1'));
    await expectRefused('', await cursorOf('customer=c-1'));
    // A by-campaign cursor rewritten to another campaign's index partition.
    await expectRefused(
      'campaign=renewal',
      rewrite(await cursorOf('campaign=renewal'), (k) => ({ ...k, ledgerCampaign: 'welcome' })),
    );
    // A customer cursor moved outside the campaign prefix its query reads.
    await expectRefused(
      'customer=c-1&campaign=renewal',
      rewrite(await cursorOf('customer=c-1&campaign=renewal'), (k) => ({
        ...k,
        sk: 'TOUCH#welcome#s0#email#k-1:2026-12-01',
      })),
    );
  });

  it('answers 400, not 500, for a cursor pointing at a partner item', async () => {
    const partner = { pk: 'PARTNER#acme', sk: 'PARTNER' };
    await expectRefused(
      'customer=c-1',
      rewrite(await cursorOf('customer=c-1'), () => partner),
    );
    await expectRefused(
      'campaign=renewal',
      rewrite(await cursorOf('campaign=renewal'), () => partner),
    );
    await expectRefused(
      'campaign=renewal',
      rewrite(await cursorOf('campaign=renewal'), (k) => ({ ...k, pk: 'PARTNER#acme', sk: 'PARTNER' })),
    );
    await expectRefused(
      '',
      rewrite(await cursorOf(''), () => partner),
    );
  });

  it('answers 400 for a truncated, garbled or oversized cursor', async () => {
    const genuine = await cursorOf('customer=c-1');
    await expectRefused('customer=c-1', genuine.slice(0, Math.floor(genuine.length / 2)));
    await expectRefused('customer=c-1', `${genuine.slice(0, -3)}%%%`);
    await expectRefused('customer=c-1', 'bm90LWpzb24');
    await expectRefused('customer=c-1', Buffer.from('{"lastKey":[]}').toString('base64url'));
    await expectRefused(
      'customer=c-1',
      rewrite(genuine, (k) => ({ ...k, sk: `TOUCH#${'x'.repeat(1500)}` })),
    );
    const res = await api.call('GET', `/v1/deliveries?customer=c-1&cursor=${'A'.repeat(5000)}`);
    expect(res.status).toBe(400);
  });

  it('still pages through every filter with the cursors it returns', async () => {
    for (const [query, rows] of [
      ['customer=c-1', 6],
      ['customer=c-1&campaign=welcome', 3],
      ['campaign=renewal', 6],
      ['', 12],
    ] as const) {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const res = await api.call(
          'GET',
          `/v1/deliveries?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status, query).toBe(200);
        const next = page.parse(await res.json());
        seen += next.deliveries.length;
        cursor = next.nextCursor;
      } while (cursor);
      expect(seen, query).toBe(rows);
    }
  });
});
