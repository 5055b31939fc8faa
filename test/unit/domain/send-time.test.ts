// The send-time decision on its own (shared/domain/send-time.ts): planning's anchor functions fed
// the facts as they are now, and planning's order of reasons with an exit first.
import { describe, expect, it } from 'vitest';
import { type SendTimeFacts, sendTimeReason } from '../../../shared/domain/send-time.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { campaign, customer, SETTINGS } from './fixtures.js';

const birthday = campaign({
  id: 'bday',
  anchor: { type: 'birthday' },
  steps: [{ id: 's1', offsetDays: 0, channels: { standard: ['email'] }, template: 't' }],
});
const touch: PlannedTouch = {
  campaignId: 'bday',
  stepId: 's1',
  customerId: 'c1',
  channel: 'email',
  occasion: '2026',
  tier: 'standard',
  locale: 'en-US',
  dueDate: '2026-12-10',
  sendAt: '2026-12-10T09:00:00.000Z',
  windowEnd: '2026-12-10T18:00:00.000Z',
  status: 'planned',
  template: 't',
};
const facts = (over: Partial<SendTimeFacts> = {}): SendTimeFacts => ({
  record: { campaign: birthday, paused: false },
  customer: customer('c1', { birthday: '12-10', timeZone: 'UTC' }),
  address: 'c1@example.com',
  settings: SETTINGS,
  suppressedAddresses: new Set(),
  channelPaused: false,
  ...over,
});

describe('sendTimeReason', () => {
  it('sends a touch whose facts did not change', () => {
    expect(sendTimeReason(touch, facts())).toBeUndefined();
  });

  it('calls a birthday corrected since planning an exit, before a pause, as planning would not have planned it', () => {
    const moved = customer('c1', { birthday: '12-11', timeZone: 'UTC' });
    expect(sendTimeReason(touch, facts({ customer: moved }))).toBe('exited');
    expect(
      sendTimeReason(touch, facts({ customer: moved, record: { campaign: birthday, paused: true } })),
    ).toBe('exited');
  });

  it('keeps planning order for the rest: paused, no-consent, no-address, suppressed-address, then sending-paused', () => {
    const all = {
      record: { campaign: birthday, paused: true },
      customer: customer('c1', { birthday: '12-10', timeZone: 'UTC', consent: { email: false, sms: true } }),
      address: undefined,
      suppressedAddresses: new Set(['c1@example.com']),
      channelPaused: true,
    };
    expect(sendTimeReason(touch, facts(all))).toBe('paused');
    expect(sendTimeReason(touch, facts({ ...all, record: { campaign: birthday, paused: false } }))).toBe(
      'no-consent',
    );
    expect(sendTimeReason(touch, facts({ channelPaused: true, address: undefined }))).toBe('no-address');
    expect(
      sendTimeReason(touch, facts({ channelPaused: true, suppressedAddresses: all.suppressedAddresses })),
    ).toBe('suppressed-address');
    expect(sendTimeReason(touch, facts({ channelPaused: true }))).toBe('sending-paused');
  });
});
