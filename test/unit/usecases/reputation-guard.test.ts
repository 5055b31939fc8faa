// The sender reputation guard over in-memory counters: the rolling window, the minimum volume,
// the two bounds, one pause per trip, and a resume that forgives what came before it.
import { describe, expect, it } from 'vitest';
import { REPUTATION_MIN_SENDS } from '../../../shared/domain/reputation.js';
import { noteDeliveryOutcome } from '../../../shared/usecases/reputation/note-outcome.js';
import { resumeSending, sendingStatus } from '../../../shared/usecases/reputation/sending.js';
import { MemoryReputation } from '../../support/fakes/memory-reputation.js';
import { manualClock } from '../../support/fakes/memory-stores.js';

const at = '2026-12-02T10:15:00.000Z';

async function sends(deps: { reputation: MemoryReputation }, n: number, when = at) {
  for (let i = 0; i < n; i++)
    await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'sent', at: when });
}

describe('the sender reputation guard', () => {
  it('pauses email once the rolling bounce rate is above 5 % of at least the minimum volume, and only once', async () => {
    const reputation = new MemoryReputation();
    const paused: string[] = [];
    const deps = { reputation, onPaused: (s: { reason?: string }) => paused.push(s.reason ?? '') };
    await sends(deps, REPUTATION_MIN_SENDS);
    // 10 of 200 is exactly 5 %: not above.
    for (let i = 0; i < 10; i++) {
      const r = await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'bounced', at });
      expect(r.paused).toBe(false);
    }
    const trip = await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'bounced', at });
    expect(trip).toMatchObject({ paused: true, now: true });
    const again = await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'bounced', at });
    expect(again).toMatchObject({ paused: true, now: false });
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatch(/bounce rate 5\.5 %.*11 of 200/);
    expect((await reputation.state('email')).paused).toBe(true);
    expect((await reputation.state('sms')).paused).toBe(false);
  });

  it('does not pause below the minimum volume, however bad the rate', async () => {
    const reputation = new MemoryReputation();
    await sends({ reputation }, REPUTATION_MIN_SENDS - 1);
    for (let i = 0; i < 50; i++)
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at });
    expect((await reputation.state('email')).paused).toBe(false);
  });

  it('pauses email on a complaint rate above 0.1 %', async () => {
    const reputation = new MemoryReputation();
    await sends({ reputation }, 1000);
    expect(
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'complained', at }),
    ).toEqual({
      paused: false,
    });
    expect(
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'complained', at }),
    ).toMatchObject({
      paused: true,
      reason: expect.stringMatching(/complaint rate 0\.20 %/),
    });
  });

  it('forgets sends and bounces older than the 24-hour window', async () => {
    const reputation = new MemoryReputation();
    await sends({ reputation }, 400, '2026-12-01T09:00:00.000Z'); // 25 h before
    await sends({ reputation }, 200);
    for (let i = 0; i < 11; i++)
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at });
    // With the old sends 11 of 600 would be under 5 %; without them 11 of 200 is above.
    expect((await reputation.state('email')).paused).toBe(true);
  });

  it('resumes on the operator word and judges only what came after the resume', async () => {
    const reputation = new MemoryReputation();
    const clock = manualClock(at);
    await sends({ reputation }, 200);
    for (let i = 0; i < 11; i++)
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at });
    expect((await sendingStatus({ reputation, clock }, 'email')).paused).toBe(true);
    const { resumed, status } = await resumeSending({ reputation, clock }, 'email');
    expect(resumed).toBe(true);
    expect(status).toMatchObject({ paused: false, window: { sent: 0, bounced: 0 } });
    expect(await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at })).toEqual({
      paused: false,
    });
    expect((await resumeSending({ reputation, clock }, 'email')).resumed).toBe(false);
  });

  it('a resume while the channel is not paused changes nothing and forgives no counts', async () => {
    const reputation = new MemoryReputation();
    const clock = manualClock(at);
    await sends({ reputation }, 200);
    for (let i = 0; i < 10; i++)
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at });
    const { resumed, status } = await resumeSending({ reputation, clock }, 'email');
    expect(resumed).toBe(false);
    expect(status).toMatchObject({ paused: false, window: { sent: 200, bounced: 10 } });
    expect(status.resumedAt).toBeUndefined();
    // The eleventh bounce still trips it: nothing was forgiven.
    expect(
      await noteDeliveryOutcome({ reputation }, { channel: 'email', outcome: 'bounced', at }),
    ).toMatchObject({
      paused: true,
    });
  });
});
