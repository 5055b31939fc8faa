// GET/POST /u/{token} over in-memory ports: one-click, the preference page, forged links.
import { describe, expect, it } from 'vitest';
import { unsubscribeRoutes } from '../../../shared/api/unsubscribe/routes.js';
import { unsubscribeUrl } from '../../../shared/domain/unsubscribe.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const SECRET = 'unit-unsubscribe-key';
const clock = manualClock('2026-11-26T09:00:00Z');

async function setup(over: Parameters<typeof customer>[1] = {}) {
  const store = memoryStores(clock);
  await store.documents.putCustomers([customer('c1', over)]);
  await store.campaigns.putCampaign(campaign({ id: 'renewal', name: 'Renewal <reminders>' }));
  await store.campaigns.putCampaign(campaign({ id: 'winback', name: 'Win-back' }));
  const app = unsubscribeRoutes({ store, clock, config: { unsubscribeSecret: SECRET } });
  const link = unsubscribeUrl('http://localhost/', SECRET, {
    customerId: 'c1',
    channel: 'email',
    topic: 'renewal',
    issuedAt: clock.now().toISOString(),
  });
  const path = new URL(link).pathname;
  const oneClick = () =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
  const form = (body: string) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  return { store, app, path, oneClick, form };
}

describe('one-click unsubscribe', () => {
  it('records the opt-out of the link topic once, answering 200 each time (idempotent)', async () => {
    const { store, oneClick } = await setup();
    expect((await oneClick()).status).toBe(200);
    expect((await oneClick()).status).toBe(200);
    const c = await store.customers.getCustomer('c1');
    expect(c?.consent).toEqual({ email: true, sms: true, topics: { renewal: false } });
    const history = await store.consent.consentHistory('c1');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      channel: 'email',
      topic: 'renewal',
      value: false,
      source: 'unsubscribe-link',
    });
  });

  it('refuses a forged or altered link with 400 and changes nothing', async () => {
    const { store, app, path } = await setup();
    const token = path.slice('/u/'.length);
    const raw = Buffer.from(token, 'base64url');
    raw[20] = (raw[20] ?? 0) ^ 0x01;
    const altered = raw.toString('base64url');
    for (const p of [`/u/${altered}`, '/u/not-a-token', `/u/${'x'.repeat(2000)}`]) {
      const res = await app.request(p, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(400);
      expect((await app.request(p)).status).toBe(400);
    }
    expect((await store.customers.getCustomer('c1'))?.consent).toEqual({ email: true, sms: true });
    expect(await store.consent.consentHistory('c1')).toEqual([]);
  });

  it('refuses a POST whose multipart body cannot be read (no boundary, or not multipart) with 400, not 500, and changes nothing', async () => {
    const { store, app, path } = await setup();
    for (const type of ['multipart/form-data', 'multipart/form-data; boundary=x']) {
      const res = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status, type).toBe(400);
    }
    expect((await store.customers.getCustomer('c1'))?.consent).toEqual({ email: true, sms: true });
    expect(await store.consent.consentHistory('c1')).toEqual([]);
  });
});

describe('preference page', () => {
  it("shows the page in the customer's locale, escaped, without name or address, and a GET changes nothing", async () => {
    const { store, app, path } = await setup({ locale: 'zh-CN', name: 'Zhang <b>San</b>' });
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('退订');
    expect(html).toContain('Renewal &#60;reminders&#62;');
    expect(html).not.toContain('<reminders>');
    expect(html).not.toContain('Zhang');
    expect(html).not.toContain('c1@example.com');
    expect(await store.consent.consentHistory('c1')).toEqual([]);
  });

  it('opts out of the whole channel, chooses topics, and resubscribes', async () => {
    const { store, form } = await setup();
    expect((await form('action=channel-off')).status).toBe(200);
    expect((await store.customers.getCustomer('c1'))?.consent.email).toBe(false);
    const page = await (await form('action=resubscribe')).text();
    expect(page).toContain('Your choice is saved');
    expect((await store.customers.getCustomer('c1'))?.consent.email).toBe(true);
    expect((await form('action=topics&topic=renewal')).status).toBe(200);
    expect((await store.customers.getCustomer('c1'))?.consent.topics).toEqual({ winback: false });
    const sources = (await store.consent.consentHistory('c1')).map((h) => [h.topic ?? '-', h.value]);
    expect(sources).toEqual([
      ['-', false],
      ['-', true],
      ['winback', false],
    ]);
  });

  it('refuses to resubscribe through a link older than 90 days, while opting out still works', async () => {
    const { store, form } = await setup();
    await form('action=channel-off');
    clock.set('2027-06-01T00:00:00Z');
    try {
      expect((await form('action=resubscribe')).status).toBe(409);
      expect((await store.customers.getCustomer('c1'))?.consent.email).toBe(false);
      expect((await form('action=topic-off')).status).toBe(200);
    } finally {
      clock.set('2026-11-26T09:00:00Z');
    }
  });
});
