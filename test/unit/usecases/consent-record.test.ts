// recordConsentChange over in-memory ports: current consent, the append-only history, idempotency.
import { describe, expect, it } from 'vitest';
import { recordConsentChange } from '../../../shared/usecases/consent/record.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');
const optOut = {
  customerId: 'c1',
  channel: 'sms' as const,
  value: false,
  source: 'sms-keyword' as const,
  at: '2026-11-26T09:00:00.000Z',
  evidence: 'STOP',
};

describe('recordConsentChange', () => {
  it('records an opt-out once: current consent, one history entry, the same change again unchanged', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1')]);
    expect(await recordConsentChange({ store }, optOut)).toBe('applied');
    expect(await recordConsentChange({ store }, { ...optOut, at: '2026-11-26T09:05:00.000Z' })).toBe(
      'unchanged',
    );
    expect((await store.customers.getCustomer('c1'))?.consent.sms).toBe(false);
    expect(await store.consent.consentHistory('c1')).toEqual([
      { at: optOut.at, channel: 'sms', value: false, source: 'sms-keyword', evidence: 'STOP' },
    ]);
  });

  it('records a topic opt-out beside the channel, which stays opted in', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1')]);
    const change = {
      ...optOut,
      channel: 'email' as const,
      topic: 'renewal',
      source: 'unsubscribe-link' as const,
    };
    expect(await recordConsentChange({ store }, change)).toBe('applied');
    const c = await store.customers.getCustomer('c1');
    expect(c?.consent).toMatchObject({ email: true, topics: { renewal: false } });
  });

  it('answers no-customer for an unknown customer and records nothing', async () => {
    const store = memoryStores(clock);
    expect(await recordConsentChange({ store }, optOut)).toBe('no-customer');
    expect(await store.consent.consentHistory('c1')).toEqual([]);
  });
});
