// The hardening of POST /webhooks/{partnerId} (issue 9), through the whole local path
// (test/emulator/support/webhooks.ts): everything the store cannot keep is refused before 202 and
// leaves the webhook-id free for the corrected retry; an occurredAt after the moment of receipt is
// refused; the body must be application/json; a 100 KB webhook-id is a 401; the bus consumer
// refuses what reaches it past the webhook; and throttling comes after verification, so unsigned
// floods spend no partner's allowance and are answered alike for known and unknown partner ids.
import { ulid } from 'ulid';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_NAMES } from '../../../shared/config/events.js';
import { MAX_DEPTH } from '../../../shared/domain/limits.js';
import { HOSTILE_IDS } from '../support/hostile-inputs.js';
import { eventBody, eventIdOf, expectProblem, START, webhookTestBed } from '../support/webhooks.js';

const bed = webhookTestBed();
const { clock, send, storedEvent, rows } = bed;

beforeAll(() => bed.setup());

beforeEach(() => {
  clock.t = START;
  bed.makeApp();
});

afterEach(() => {
  // No bus target failed: nothing was accepted and then lost.
  expect(bed.busFailures).toEqual([]);
});

/** `{"a":{"a":…1…}}`, `levels` objects deep, as text: JSON.parse reads it, a recursive walk would not. */
const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;

/** An event body written as text, so that `__proto__` stays an own key as JSON.parse makes it. */
const eventText = (over: { id?: string; type?: string; occurredAt?: string; data?: string }) =>
  `{"id":${JSON.stringify(over.id ?? `ev-${ulid()}`)},"customerId":"c-1","type":${JSON.stringify(over.type ?? 'app.login')},"occurredAt":${JSON.stringify(over.occurredAt ?? '2026-11-26T11:00:00Z')}${over.data === undefined ? '' : `,"data":${over.data}`}}`;

const problemErrors = z.object({ errors: z.array(z.object({ path: z.string(), message: z.string() })) });

describe('what the store cannot keep is refused before 202, and the webhook-id stays free', () => {
  const shapes: [string, string, number[]][] = [
    ['whose data nests 20,000 levels deep', eventText({ data: nested(20_000) }), [400]],
    [
      `whose data nests one level deeper than the store allows (${MAX_DEPTH + 1})`,
      eventText({ data: nested(MAX_DEPTH + 1) }),
      [400],
    ],
    [
      'whose data has a __proto__ key',
      eventText({ data: '{"__proto__":{"admin":true},"plan":"pro"}' }),
      [400],
    ],
    ['with a 100 KB id', eventText({ id: 'e'.repeat(100_000) }), [400]],
    ['with a 100 KB type', eventText({ type: 't'.repeat(100_000) }), [400]],
    ['with a 100 KB data key', eventText({ data: `{${JSON.stringify('k'.repeat(100_000))}:1}` }), [400]],
    ...Object.entries(HOSTILE_IDS).map(([name, id]): [string, string, number[]] => [
      `with an id of ${name}`,
      eventText({ id }),
      [400],
    ]),
    ['with occurredAt +275760-09-13T00:00:00Z', eventText({ occurredAt: '+275760-09-13T00:00:00Z' }), [400]],
    // Outside 1900–2100 (400), and later than the moment of receipt (422) too.
    ['with occurredAt 9999-01-01', eventText({ occurredAt: '9999-01-01T00:00:00Z' }), [400, 422]],
  ];

  it.each(shapes)(
    'refuses a webhook %s, then accepts the corrected retry with the same webhook-id',
    async (_name, bad, statuses) => {
      const webhookId = ulid();
      const res = await send(bad, { id: webhookId });
      expect(statuses).toContain(res.status);
      await expectProblem(res, res.status);
      expect(await rows(`WEBHOOK#acme#${webhookId}`)).toEqual([]);
      const corrected = eventBody();
      const retry = await send(corrected, { id: webhookId });
      expect(retry.status).toBe(202);
      expect(await retry.json()).toEqual({
        status: 'accepted',
        eventId: eventIdOf(corrected),
        duplicate: false,
      });
      expect(await rows(`EVENT#${eventIdOf(corrected)}`)).toHaveLength(1);
      expect(await (await send(corrected, { id: webhookId })).json()).toEqual({
        status: 'accepted',
        duplicate: true,
      });
    },
  );

  it('refuses an occurredAt later than the moment of receipt plus the 5-minute tolerance with a 422 naming occurredAt', async () => {
    const tooLate = new Date(clock.t + 5 * 60_000 + 1000).toISOString();
    const webhookId = ulid();
    const body = eventBody({ occurredAt: tooLate });
    const refused = problemErrors.parse(await expectProblem(await send(body, { id: webhookId }), 422));
    expect(refused.errors.map((e) => e.path)).toEqual(['occurredAt']);
    expect(await storedEvent(eventIdOf(body))).toBeUndefined();
    // The latest instant accepted, written in another offset.
    const latest = eventBody({ occurredAt: '2026-11-26T20:05:00+08:00' });
    expect((await send(latest, { id: webhookId })).status).toBe(202);
    expect(await storedEvent(eventIdOf(latest))).toMatchObject({ occurredAt: '2026-11-26T20:05:00+08:00' });
  });

  it('answers a 100 KB or non-ASCII webhook-id with a 401 problem and writes no receipt', async () => {
    for (const id of ['w'.repeat(100_000), 'w'.repeat(257), 'msg-\u00e9', 'msg 1']) {
      await expectProblem(await send(eventBody(), { id }), 401);
    }
    expect((await send(eventBody(), { id: 'w'.repeat(256) })).status).toBe(202);
    expect(await rows(`WEBHOOK#acme#${'w'.repeat(256)}`)).toHaveLength(1);
  });

  it('refuses a signed event not sent as application/json with a 415 problem, and keeps its webhook-id free', async () => {
    const webhookId = ulid();
    const body = eventBody();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=iso-8859-1',
    ])
      await expectProblem(await send(body, { id: webhookId, headers: { 'content-type': type } }), 415);
    await expectProblem(await send(body, { id: webhookId, omit: ['content-type'] }), 415);
    expect(await storedEvent(eventIdOf(body))).toBeUndefined();
    const ok = await send(body, {
      id: webhookId,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ duplicate: false });
  });
});

describe('the bus consumer', () => {
  it('refuses a CustomerEvent the store cannot keep, published past the webhook, once and without a write', async () => {
    const detail = JSON.parse(eventText({ id: 'ev-bus-deep', data: nested(100) }));
    const bus = bed.bus;
    if (!bus) throw new Error('no RuleBus');
    // In EventBridge PutEvents succeeds and the target fails (then retries and its DLQ); locally the
    // failure is recorded: one, with the schema's refusal, and nothing stored.
    await bus.publish([{ source: EVENT_NAMES.partnerSource, detailType: EVENT_NAMES.customerEvent, detail }]);
    await bus.settled();
    expect(bed.busFailures).toHaveLength(1);
    expect(JSON.stringify(bed.busFailures[0])).toContain('not a storable Event document');
    expect(await storedEvent('ev-bus-deep')).toBeUndefined();
    bed.busFailures.length = 0;
  });
});

describe('throttling: verify first, then throttle per verified partner', () => {
  /** A request with the partner's headers but no valid signature (as a flood sends them). */
  const unsigned = (partner: string, i: number) =>
    bed.app.request(`/webhooks/${partner}`, {
      method: 'POST',
      body: eventBody(),
      headers: {
        'content-type': 'application/json',
        'webhook-id': `flood-${i}`,
        'webhook-timestamp': String(Math.floor(clock.t / 1000)),
        'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      },
    });

  /** Status, Retry-After and body of an answer, minus `instance` (which echoes the request's path). */
  const answer = async (res: Response) => {
    const { instance: _, ...body } = z
      .object({ instance: z.string() })
      .passthrough()
      .parse(await res.json());
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  };

  it("200 unsigned requests do not make the partner's next genuine request 429, and cost the store one read", async () => {
    bed.store.resetCapacity();
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await unsigned('acme', i)).status);
    // The client's failure budget (burst 20) answers 401, then 429; a partner's bucket is never touched.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(new Set(statuses.slice(20))).toEqual(new Set([429]));
    // One read of the partner: the rest were refused from the instance's cache.
    expect(bed.store.capacity.read).toBeLessThanOrEqual(1);
    const genuine = await send(eventBody());
    expect(genuine.status).toBe(202);
    expect(await genuine.json()).toMatchObject({ duplicate: false });
  });

  it('unknown and known partner ids get the same answer to unsigned floods', async () => {
    const flood = async (partner: string) => {
      bed.makeApp();
      const out = [];
      for (let i = 0; i < 60; i++) out.push(await answer(await unsigned(partner, i)));
      return out;
    };
    const known = await flood('acme');
    expect(known.filter((a) => a.status === 401)).toHaveLength(20);
    expect(known.filter((a) => a.status === 429)).toHaveLength(40);
    expect(await flood('nobody')).toEqual(known);
    expect(await flood('..%2F..')).toEqual(known);
    // Interleaved in one flood: each known request is answered as the unknown one beside it.
    bed.makeApp();
    for (let i = 0; i < 30; i++) {
      const a = await answer(await unsigned('acme', i));
      const b = await answer(await unsigned('nobody', i));
      expect(b.body).toEqual(a.body);
      expect(b.status === a.status || (a.status === 401 && b.status === 429)).toBe(true);
    }
  });

  it('a flood of made-up partner ids costs the store a read only while its client is within its failure budget, and does not lock out a partner', async () => {
    expect((await send(eventBody())).status).toBe(202);
    bed.store.resetCapacity();
    for (let i = 0; i < 200; i++) await unsigned(`ghost-${i}`, i);
    // Each id is read once while the client is within its budget (20), none after.
    expect(bed.store.capacity.read).toBeLessThanOrEqual(20);
    expect((await send(eventBody())).status).toBe(202);
  });
});
