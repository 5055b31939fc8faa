// Cutting a leaked partner secret off at once, over in-memory ports: `rotate --now` leaves only the
// new secret valid, `revoke` leaves none (the partner stays, and a later rotation re-enables it).
// The webhook path's own answers (401) are in test/emulator/api/partner-cutoff.test.ts.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { validSecrets } from '../../../shared/partners/secrets.js';
import {
  addPartner,
  listPartners,
  revokePartner,
  rotatePartner,
} from '../../../shared/usecases/partners/partners.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';

const DAY = 86_400_000;

/** Whether a webhook signed with `secret` verifies against the partner's secrets valid now. */
async function verifies(deps: ReturnType<typeof setup>, secret: string): Promise<boolean> {
  const partner = await deps.partners.getPartner('acme');
  const payload = '{"id":"e1"}';
  const at = new Date();
  const headers = {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('msg_1', at, payload),
  };
  return (partner ? validSecrets(partner, deps.clock.now()) : []).some((s) => {
    try {
      new Webhook(s).verify(payload, headers);
      return true;
    } catch {
      return false;
    }
  });
}

function setup() {
  const clock = manualClock('2026-11-26T09:00:00Z');
  return { ...memoryStores(clock), clock };
}

async function added(deps: ReturnType<typeof setup>): Promise<string> {
  const result = await addPartner(deps, 'acme');
  if (!result.ok) throw new Error('not added');
  return result.value.secret;
}

describe('cutting a partner secret off', () => {
  it('a secret rotated with --now is refused at once', async () => {
    const deps = setup();
    const leaked = await added(deps);
    deps.clock.advance(60_000);
    const rotated = await rotatePartner({ ...deps, rolloverMs: DAY }, 'acme', { now: true });
    if (!rotated.ok) throw new Error('not rotated');
    // The rollover window of an ordinary rotation does not apply: it ended at the rotation itself.
    expect(rotated.value.previousValidUntil).toBe(rotated.value.createdAt);
    expect(await verifies(deps, leaked)).toBe(false);
    expect(await verifies(deps, rotated.value.secret)).toBe(true);
    expect(await listPartners(deps)).toEqual([
      expect.objectContaining({ id: 'acme', validSecrets: 1, secretCreatedAt: rotated.value.createdAt }),
    ]);
    expect(await rotatePartner({ ...deps, rolloverMs: DAY }, 'nobody', { now: true })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it("a revoked partner's secrets all stop at once; the partner stays, and a rotation re-enables it", async () => {
    const deps = setup();
    const first = await added(deps);
    const second = await rotatePartner({ ...deps, rolloverMs: DAY }, 'acme');
    if (!second.ok) throw new Error('not rotated');
    expect(await verifies(deps, first)).toBe(true);

    expect(await revokePartner(deps, 'acme')).toEqual({
      ok: true,
      value: { id: 'acme', revokedAt: '2026-11-26T09:00:00.000Z', validSecrets: 0 },
    });
    expect(await verifies(deps, first)).toBe(false);
    expect(await verifies(deps, second.value.secret)).toBe(false);
    expect(await listPartners(deps)).toEqual([
      { id: 'acme', createdAt: '2026-11-26T09:00:00.000Z', validSecrets: 0 },
    ]);
    // Still there: a second add is refused, a rotation gives it a new secret (and only that one).
    expect(await addPartner(deps, 'acme')).toEqual({ ok: false, reason: 'exists' });
    const renewed = await rotatePartner({ ...deps, rolloverMs: DAY }, 'acme');
    if (!renewed.ok) throw new Error('not rotated');
    expect(await verifies(deps, renewed.value.secret)).toBe(true);
    expect(await verifies(deps, second.value.secret)).toBe(false);
    expect(await revokePartner(deps, 'nobody')).toEqual({ ok: false, reason: 'not-found' });
  });
});
