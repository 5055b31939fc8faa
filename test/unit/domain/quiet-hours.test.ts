import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/domain/documents.js';
import { planDay } from '../../../shared/domain/planner.js';
import { phoneCountry, quietHoursFor, withinQuietHours } from '../../../shared/domain/quiet-hours.js';
import { campaign, customer, SETTINGS } from './fixtures.js';
import { D, due, input, occ } from './planner-helpers.js';

// The fixture customer: +1 415 (US), America/Los_Angeles (UTC−8 on D), window 09:00–18:00.
const withQuietHours = (quietHours: Record<string, { start: string; end: string }>) => ({
  ...SETTINGS,
  quietHours,
});
const bothChannels = campaign({
  steps: [{ id: 's1', offsetDays: 0, channels: { standard: ['email', 'sms'] }, template: 't' }],
});

describe('quiet hours', () => {
  it('names the country of a phone number as libphonenumber does', () => {
    expect(phoneCountry('+14155550123')).toBe('US');
    expect(phoneCountry('+8613800138000')).toBe('CN');
    expect(quietHoursFor(withQuietHours({ CN: { start: '08:00', end: '20:00' } }), '+14155550123')).toBe(
      undefined,
    );
  });

  it('sends an SMS at the later of the window start and the quiet-hours start of its phone country', () => {
    const [email, sms] = planDay(
      input({
        settings: withQuietHours({ US: { start: '10:30', end: '20:00' } }),
        campaigns: [due(bothChannels, [occ(customer('c1'))])],
      }),
    );
    // Email keeps the window: 09:00 PST.
    expect(email).toMatchObject({ channel: 'email', status: 'planned', sendAt: `${D}T17:00:00.000Z` });
    // SMS: 10:30 PST; its window ends at the earlier end, 18:00 PST.
    expect(sms).toMatchObject({
      channel: 'sms',
      status: 'planned',
      sendAt: `${D}T18:30:00.000Z`,
      windowEnd: '2026-11-27T02:00:00.000Z',
    });
  });

  it('ends an SMS window at the quiet-hours end when that comes first, so a late send never lands in quiet hours', () => {
    const [, sms] = planDay(
      input({
        settings: withQuietHours({ US: { start: '08:00', end: '12:00' } }),
        campaigns: [due(bothChannels, [occ(customer('c1'))])],
      }),
    );
    expect(sms).toMatchObject({
      status: 'planned',
      sendAt: `${D}T17:00:00.000Z`,
      windowEnd: `${D}T20:00:00.000Z`,
    });
  });

  it.each([
    ['starts at the window end', { start: '18:00', end: '21:00' }],
    ['ends at the window start', { start: '07:00', end: '09:00' }],
    ['lies before the window', { start: '06:00', end: '08:00' }],
  ])('suppresses an SMS quiet-hours when the allowed period %s', (_why, period) => {
    const [email, sms] = planDay(
      input({
        settings: withQuietHours({ US: period }),
        campaigns: [due(bothChannels, [occ(customer('c1'))])],
      }),
    );
    expect(email).toMatchObject({ status: 'planned' });
    expect(sms).toMatchObject({ status: 'suppressed', reason: 'quiet-hours' });
  });

  it('resolves a quiet-hours start in a spring-forward gap as send windows do: forward by the gap', () => {
    // New York, 2027-03-14: 02:00–03:00 does not exist; 02:30 EST becomes 03:30 EDT (07:30Z).
    const timed = withinQuietHours(
      '2027-03-14',
      'America/New_York',
      { sendAt: '2027-03-14T06:00:00.000Z', windowEnd: '2027-03-14T22:00:00.000Z' },
      { start: '02:30', end: '20:00' },
    );
    expect(timed).toEqual({
      sendAt: '2027-03-14T07:30:00.000Z',
      windowEnd: '2027-03-14T22:00:00.000Z',
      closed: false,
    });
  });

  it('leaves an SMS to another country as it was', () => {
    const plain = planDay(input({ campaigns: [due(bothChannels, [occ(customer('c1'))])] }));
    const ruled = planDay(
      input({
        settings: withQuietHours({ CN: { start: '12:00', end: '13:00' } }),
        campaigns: [due(bothChannels, [occ(customer('c1'))])],
      }),
    );
    expect(ruled).toEqual(plain);
  });

  it('does not count an SMS suppressed for quiet hours against the frequency cap of a later campaign', () => {
    const cap = { max: 1, perDays: 7 };
    const sms = { id: 's1', offsetDays: 0, channels: { standard: ['sms' as const] }, template: 't' };
    const early = campaign({ id: 'early', priority: 9, frequencyCap: cap, steps: [sms] });
    const late = campaign({
      id: 'late',
      priority: 1,
      frequencyCap: cap,
      sendWindow: { start: '12:00', end: '18:00' },
      steps: [sms],
    });
    const touches = planDay(
      input({
        // Allowed 11:00–20:00: the early campaign's window (09:00–10:00) closes before it opens.
        settings: withQuietHours({ US: { start: '11:00', end: '20:00' } }),
        campaigns: [
          due({ ...early, sendWindow: { start: '09:00', end: '10:00' } }, [occ(customer('c1'))]),
          due(late, [occ(customer('c1'))]),
        ],
      }),
    );
    expect(touches.map((t) => `${t.campaignId}:${t.reason ?? t.status}`)).toEqual([
      'early:quiet-hours',
      'late:planned',
    ]);
  });

  it('refuses quiet hours with a country that is not ISO alpha-2 or a period crossing midnight', () => {
    const parsed = settingsSchema.safeParse({
      ...SETTINGS,
      quietHours: { cn: { start: '08:00', end: '20:00' }, US: { start: '21:00', end: '08:00' } },
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['quietHours.cn', 'quietHours.US.end']));
  });
});
