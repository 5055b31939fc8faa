// The consent loop against DynamoDB Local (the real Store construct's table): an unsubscribe link
// opts out of its topic and the next plan says `no-consent` for that topic only; an import after an
// opt-out does not resubscribe and says how many it kept opted out; history lives in the customer's
// partition, so the export includes it and erasure removes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeRoutes } from '../../../shared/api/unsubscribe/routes.js';
import { unsubscribeUrl } from '../../../shared/domain/unsubscribe.js';
import { importDocuments } from '../../../shared/import/import-file.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { recordConsentChange } from '../../../shared/usecases/consent/record.js';
import { exportCustomer } from '../../../shared/usecases/customers/export-customer.js';
import { showCustomer } from '../../../shared/usecases/customers/show-customer.js';
import { planDayTouches } from '../../../shared/usecases/plan-day.js';
import { createTestStore } from '../support/ddb.js';
import { customer, exampleCampaign } from '../support/fixtures.js';

const SECRET = 'emulator-unsubscribe-key';
const DAY = '2026-11-30';
const clock = { now: () => new Date('2026-11-29T10:00:00Z') };
let store: DynamoStores;

beforeAll(async () => {
  ({ store } = await createTestStore({ clock }));
  const birthday = exampleCampaign('birthday');
  await store.campaigns.putCampaign(birthday);
  // A second campaign on the same occasion in another topic: the opt-out must not reach it.
  await store.campaigns.putCampaign({ ...birthday, id: 'birthday-offers', category: 'offers' });
  const key = { monthlyValue: 600, birthday: '1990-11-30', phone: '+14155550123' };
  await store.documents.putCustomers([
    customer({ id: 'link', ...key }),
    customer({ id: 'stop', ...key }),
    customer({ id: 'fresh', ...key }),
  ]);
});

const reasons = async (customerId: string) =>
  Object.fromEntries(
    (await planDayTouches({ store }, { date: DAY }))
      .filter((t) => t.customerId === customerId)
      .map((t) => [`${t.campaignId}/${t.channel}`, t.reason ?? t.status]),
  );

describe('consent on DynamoDB Local', () => {
  it('an unsubscribe link POST makes the next plan say no-consent for that topic, and only that one', async () => {
    expect(await reasons('link')).toEqual({
      'birthday/email': 'planned',
      'birthday/sms': 'planned',
      'birthday-offers/email': 'planned',
      'birthday-offers/sms': 'planned',
    });
    const app = unsubscribeRoutes({ store, clock, config: { unsubscribeSecret: SECRET } });
    const link = unsubscribeUrl('http://127.0.0.1:8787/', SECRET, {
      customerId: 'link',
      channel: 'email',
      topic: 'birthday',
      issuedAt: clock.now().toISOString(),
    });
    const post = () =>
      app.request(new URL(link).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200); // idempotent
    expect(await reasons('link')).toEqual({
      'birthday/email': 'no-consent',
      'birthday/sms': 'no-consent',
      'birthday-offers/email': 'planned',
      'birthday-offers/sms': 'planned',
    });
    const view = await showCustomer(store, 'link');
    expect(view?.consent).toEqual({ email: true, sms: true, topics: { birthday: false } });
    expect(view?.consentHistory).toEqual([
      {
        at: clock.now().toISOString(),
        channel: 'email',
        topic: 'birthday',
        value: false,
        source: 'unsubscribe-link',
        evidence: expect.stringContaining('one-click'),
      },
    ]);
  });

  it('an import after an opt-out does not resubscribe, says how many it kept opted out, and a later consentUpdatedAt wins', async () => {
    const stopAt = '2026-11-28T08:00:00.000Z';
    await recordConsentChange(
      { store },
      {
        customerId: 'stop',
        channel: 'sms',
        value: false,
        source: 'sms-keyword',
        at: stopAt,
        evidence: 'STOP',
      },
    );
    const doc = (over: Record<string, unknown> = {}) => ({
      ...customer({ id: 'stop', monthlyValue: 600, birthday: '1990-11-30', phone: '+14155550123' }),
      ...over,
    });
    const again = await importDocuments([doc(), doc({ id: 'fresh' })], 'customers', store);
    expect(again).toMatchObject({ ok: true, count: 2, written: 2, keptOptedOut: 1 });
    expect((await store.customers.getCustomer('stop'))?.consent.sms).toBe(false);
    expect((await reasons('stop'))['birthday/sms']).toBe('no-consent');

    const older = await importDocuments(
      [doc({ consentUpdatedAt: '2026-11-27T00:00:00Z' })],
      'customers',
      store,
    );
    expect(older).toMatchObject({ ok: true, keptOptedOut: 1 });
    expect((await store.customers.getCustomer('stop'))?.consent.sms).toBe(false);

    const later = await importDocuments(
      [doc({ consentUpdatedAt: '2026-11-29T09:00:00Z' })],
      'customers',
      store,
    );
    expect(later).toEqual({ ok: true, count: 1, written: 1 });
    expect((await store.customers.getCustomer('stop'))?.consent.sms).toBe(true);
    expect((await reasons('stop'))['birthday/sms']).toBe('planned');
    expect((await store.consent.consentHistory('stop')).map((h) => [h.source, h.value])).toEqual([
      ['sms-keyword', false],
      ['import', true],
    ]);
  });

  it('keeps the history in the customer partition: the export includes it and erasure removes it', async () => {
    const exported = await exportCustomer({ store, clock }, 'link');
    expect(exported?.consent.history).toHaveLength(1);
    expect(exported?.consent.current.topics).toEqual({ birthday: false });
    await store.customers.eraseCustomer('link', 'anon-link', (v) => `p-${v}`);
    expect(await store.consent.consentHistory('link')).toEqual([]);
  });
});
