import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { newPartner, newSecret, validSecrets } from '../../../shared/partners/secrets.js';
import {
  CorruptPartnerSecretError,
  InvalidPartnerIdError,
  PartnerRotationConflictError,
  SecretsManagerPartnerStore,
} from '../../../shared/partners/secrets-manager.js';

const sm = mockClient(SecretsManagerClient);
const HOUR = 3_600_000;
const meta = { $metadata: { httpStatusCode: 400 } };

interface Stored {
  value: string;
  versionId: string;
  /** Client request tokens already used, with the value each wrote (Secrets Manager's idempotency). */
  tokens: Map<string, string>;
}

/** Secrets Manager as a map of name → current version, with request-token semantics on PutSecretValue. */
function fakeSecretsManager(): Map<string, Stored> {
  const secrets = new Map<string, Stored>();
  sm.reset();
  sm.on(CreateSecretCommand).callsFake((input: { Name: string; SecretString: string }) => {
    if (secrets.has(input.Name)) throw new ResourceExistsException({ message: 'exists', ...meta });
    secrets.set(input.Name, { value: input.SecretString, versionId: randomUUID(), tokens: new Map() });
    return { Name: input.Name };
  });
  sm.on(PutSecretValueCommand).callsFake(
    (input: { SecretId: string; SecretString: string; ClientRequestToken: string }) => {
      const s = secrets.get(input.SecretId);
      if (!s) throw new ResourceNotFoundException({ message: 'missing', ...meta });
      const used = s.tokens.get(input.ClientRequestToken);
      if (used !== undefined && used !== input.SecretString)
        throw new ResourceExistsException({ message: 'version exists', ...meta });
      s.tokens.set(input.ClientRequestToken, input.SecretString);
      s.value = input.SecretString;
      s.versionId = randomUUID();
      return {};
    },
  );
  sm.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => {
    const s = secrets.get(input.SecretId);
    if (!s) throw new ResourceNotFoundException({ message: 'missing', ...meta });
    return { Name: input.SecretId, SecretString: s.value, VersionId: s.versionId };
  });
  // Two pages, plus a name the word-prefix filter would match although it is outside the prefix.
  sm.on(ListSecretsCommand).callsFake((input: { NextToken?: string }) => {
    const all = [...secrets.keys(), 'other/touchpoint/test/partners/x'].map((Name) => ({ Name }));
    const half = Math.ceil(all.length / 2);
    return input.NextToken === undefined
      ? { SecretList: all.slice(0, half), NextToken: 'p2' }
      : { SecretList: all.slice(half) };
  });
  return secrets;
}

let now = new Date('2026-11-26T10:00:00.000Z');
const clock = { now: () => now };
const store = (cacheTtlMs = 0) =>
  new SecretsManagerPartnerStore({
    client: new SecretsManagerClient({}),
    prefix: 'touchpoint/test/',
    clock,
    cacheTtlMs,
  });

/** Signs with `signingSecret`; verifies with the secrets valid now per the stored partner. */
async function verifies(s: SecretsManagerPartnerStore, id: string, signingSecret: string): Promise<boolean> {
  const payload = '{"id":"e1"}';
  // standardwebhooks checks the timestamp against the real clock, so this signs at the real time.
  const at = new Date();
  const headers = {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(signingSecret).sign('msg_1', at, payload),
  };
  const partner = await s.getPartner(id);
  return (partner ? validSecrets(partner, now) : []).some((secret) => {
    try {
      new Webhook(secret).verify(payload, headers);
      return true;
    } catch {
      return false;
    }
  });
}

describe('SecretsManagerPartnerStore', () => {
  let secrets: Map<string, Stored>;
  beforeEach(() => {
    secrets = fakeSecretsManager();
    now = new Date('2026-11-26T10:00:00.000Z');
  });

  it('adds a partner as one secret <prefix>/partners/<id> and reads it back', async () => {
    const s = store();
    const partner = newPartner('acme', now);
    expect(await s.addPartner(partner)).toBe(true);
    expect([...secrets.keys()]).toEqual(['touchpoint/test/partners/acme']);
    expect(await s.getPartner('acme')).toEqual(partner);
    expect(await verifies(s, 'acme', partner.secrets[0]?.secret ?? '')).toBe(true);
    expect(await verifies(s, 'acme', newSecret(now).secret)).toBe(false);
  });

  it('a second add of the same id changes nothing; ids that would leave the prefix are refused', async () => {
    const s = store();
    const first = newPartner('acme', now);
    await s.addPartner(first);
    expect(await s.addPartner(newPartner('acme', now))).toBe(false);
    expect(await s.getPartner('acme')).toEqual(first);
    await expect(s.addPartner(newPartner('../admin', now))).rejects.toBeInstanceOf(InvalidPartnerIdError);
    await expect(s.addPartner(newPartner('a/b', now))).rejects.toBeInstanceOf(InvalidPartnerIdError);
    expect(await s.getPartner('a/b')).toBeUndefined();
    expect(sm).toHaveReceivedCommandTimes(CreateSecretCommand, 2);
  });

  it('an unknown partner is undefined, for reads and rotations', async () => {
    const s = store();
    expect(await s.getPartner('nobody')).toBeUndefined();
    expect(await s.rotatePartnerSecret('nobody', newSecret(now), HOUR)).toBeUndefined();
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
  });

  it('rotation keeps the previous secret valid for the rollover window only', async () => {
    const s = store();
    const partner = newPartner('acme', now);
    await s.addPartner(partner);
    const first = partner.secrets[0]?.secret ?? '';
    now = new Date('2026-11-26T11:00:00.000Z');
    const next = newSecret(now);
    const rotated = await s.rotatePartnerSecret('acme', next, 24 * HOUR);
    expect(rotated?.secrets.map((k) => [k.secret, k.expiresAt])).toEqual([
      [next.secret, undefined],
      [first, '2026-11-27T11:00:00.000Z'],
    ]);
    expect(await s.getPartner('acme')).toEqual(rotated);
    expect(await verifies(s, 'acme', first)).toBe(true);
    expect(await verifies(s, 'acme', next.secret)).toBe(true);

    now = new Date('2026-11-27T11:00:00.000Z');
    expect(await verifies(s, 'acme', first)).toBe(false);
    expect(await verifies(s, 'acme', next.secret)).toBe(true);
  });

  it('racing rotations from the same read: the loser re-reads, so neither new secret is lost', async () => {
    const s = store();
    await s.addPartner(newPartner('acme', now));
    const a = newSecret(now);
    const b = newSecret(now);
    await Promise.all([s.rotatePartnerSecret('acme', a, HOUR), s.rotatePartnerSecret('acme', b, HOUR)]);
    const stored = (await s.getPartner('acme'))?.secrets.map((k) => k.secret) ?? [];
    expect(stored).toHaveLength(3);
    expect(stored).toEqual(expect.arrayContaining([a.secret, b.secret]));
    // One write landed, the other was refused once and landed after its re-read.
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 3);
  });

  it('a rotation with no rollover window (rotate --now) keeps only the new secret', async () => {
    const s = store();
    const partner = newPartner('acme', now);
    await s.addPartner(partner);
    const leaked = partner.secrets[0]?.secret ?? '';
    const next = newSecret(now);
    expect((await s.rotatePartnerSecret('acme', next, 0))?.secrets).toEqual([next]);
    expect(await verifies(s, 'acme', leaked)).toBe(false);
    expect(await verifies(s, 'acme', next.secret)).toBe(true);
  });

  it('a revoke drops every secret at once, and a rotation racing it from an older read cannot bring them back', async () => {
    const s = store();
    const partner = newPartner('acme', now);
    await s.addPartner(partner);
    const leaked = partner.secrets[0]?.secret ?? '';
    const next = newSecret(now);
    // Both read the same version; the revoke lands first, the rotation is refused and re-reads.
    await Promise.all([s.revokePartnerSecrets('acme'), s.rotatePartnerSecret('acme', next, 24 * HOUR)]);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 3);
    expect((await s.getPartner('acme'))?.secrets.map((k) => k.secret)).toEqual([next.secret]);
    expect(await verifies(s, 'acme', leaked)).toBe(false);

    expect(await s.revokePartnerSecrets('acme')).toEqual({
      id: 'acme',
      createdAt: partner.createdAt,
      secrets: [],
    });
    expect(await verifies(s, 'acme', next.secret)).toBe(false);
    expect((await s.listPartners()).map((p) => [p.id, p.secrets.length])).toEqual([['acme', 0]]);
    expect(await s.revokePartnerSecrets('nobody')).toBeUndefined();
  });

  it('gives up after repeated conflicts with a typed error', async () => {
    const s = store();
    await s.addPartner(newPartner('acme', now));
    sm.on(PutSecretValueCommand).rejects(new ResourceExistsException({ message: 'version exists', ...meta }));
    await expect(s.rotatePartnerSecret('acme', newSecret(now), HOUR)).rejects.toBeInstanceOf(
      PartnerRotationConflictError,
    );
  });

  it('lists the partners under the prefix across pages', async () => {
    const s = store();
    const zeta = newPartner('zeta', now);
    await s.addPartner(zeta);
    now = new Date('2026-11-26T10:05:00.000Z');
    await s.addPartner(newPartner('acme', now));
    await s.rotatePartnerSecret('acme', newSecret(now), HOUR);
    const listed = await s.listPartners();
    expect(listed.map((p) => [p.id, p.createdAt, p.secrets.length])).toEqual([
      ['acme', '2026-11-26T10:05:00.000Z', 2],
      ['zeta', '2026-11-26T10:00:00.000Z', 1],
    ]);
    expect(listed[1]).toEqual(zeta);
    expect(sm).toHaveReceivedCommandWith(ListSecretsCommand, {
      Filters: [{ Key: 'name', Values: ['touchpoint/test/partners/'] }],
    });
  });

  it('refuses a secret that is not a partner document', async () => {
    const s = store();
    const put = (value: string) =>
      secrets.set('touchpoint/test/partners/bad', { value, versionId: randomUUID(), tokens: new Map() });
    put('{"createdAt":"x","secrets":[{"secret":"plain","createdAt":"x"}]}');
    await expect(s.getPartner('bad')).rejects.toBeInstanceOf(CorruptPartnerSecretError);
    put('not json');
    await expect(s.getPartner('bad')).rejects.toBeInstanceOf(CorruptPartnerSecretError);
  });

  it('with a cache, reads once per TTL and forgets what it wrote', async () => {
    const s = store(30_000);
    await s.addPartner(newPartner('acme', now));
    await s.getPartner('acme');
    await s.getPartner('acme');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    now = new Date(now.getTime() + 30_000);
    await s.getPartner('acme');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    await s.rotatePartnerSecret('acme', newSecret(now), HOUR); // reads once more, then writes
    expect((await s.getPartner('acme'))?.secrets).toHaveLength(2);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 4);
  });
});
