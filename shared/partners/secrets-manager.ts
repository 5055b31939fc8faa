// PartnerStore over AWS Secrets Manager (the cloud's home for webhook secrets): one secret per
// partner, named `<prefix>/partners/<id>`, holding JSON {createdAt, secrets: [{secret, createdAt,
// expiresAt?}]}, newest first. Rotation (shared/partners/secrets.ts rotateSecrets) prepends the new
// secret and gives the previous ones the rollover window, so both verify until the partner switches.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Partner, PartnerSecret, PartnerStore } from '../ports/partners.js';
import { partnerId, partnerSecretSchema, rotateSecrets } from './secrets.js';

const secretDocument = z.object({ createdAt: z.string(), secrets: z.array(partnerSecretSchema) });
type SecretDocument = z.infer<typeof secretDocument>;

/** Concurrent rotations of one partner retry their read-modify-write this many times. */
const ROTATE_ATTEMPTS = 5;

export class InvalidPartnerIdError extends Error {
  constructor(readonly partnerId: string) {
    super(`invalid partner id ${JSON.stringify(partnerId)}`);
    this.name = 'InvalidPartnerIdError';
  }
}

/** A stored secret that is not the document this adapter writes: refuse it rather than guess. */
export class CorruptPartnerSecretError extends Error {
  constructor(
    readonly partnerId: string,
    readonly detail: string,
  ) {
    super(`secret of partner ${partnerId} is not a partner secret document: ${detail}`);
    this.name = 'CorruptPartnerSecretError';
  }
}

export class PartnerRotationConflictError extends Error {
  constructor(readonly partnerId: string) {
    super(`partner ${partnerId} kept changing during its secret rotation`);
    this.name = 'PartnerRotationConflictError';
  }
}

export interface SecretsManagerPartnerStoreOptions {
  client: SecretsManagerClient;
  /** Secret names start with `<prefix>/partners/`, e.g. `touchpoint/prod`. */
  prefix: string;
  clock?: Clock;
  /**
   * How long getPartner reuses a read (0: never). In Lambda this saves a Secrets Manager call per
   * webhook; the price is that a freshly rotated secret is accepted only once the cached read expires.
   */
  cacheTtlMs?: number;
}

export class SecretsManagerPartnerStore implements PartnerStore {
  private readonly clock: Clock;
  private readonly cache = new Map<string, { at: number; partner: Partner | undefined }>();

  constructor(private readonly opts: SecretsManagerPartnerStoreOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** `<prefix>/partners/`: what every secret name starts with, and what the IAM grant is scoped to. */
  get namePrefix(): string {
    return `${this.opts.prefix.replace(/\/+$/, '')}/partners/`;
  }

  /** The secret name of a partner. Ids have no `/`, so a name can never leave the prefix. */
  secretName(id: string): string {
    if (!partnerId.safeParse(id).success) throw new InvalidPartnerIdError(id);
    return `${this.namePrefix}${id}`;
  }

  async addPartner(partner: Partner): Promise<boolean> {
    const doc: SecretDocument = { createdAt: partner.createdAt, secrets: partner.secrets };
    try {
      await this.opts.client.send(
        new CreateSecretCommand({
          Name: this.secretName(partner.id),
          SecretString: JSON.stringify(doc),
          Description: `Touchpoint webhook signing secrets of partner ${partner.id}`,
          Tags: [{ Key: 'touchpoint:partner', Value: partner.id }],
        }),
      );
    } catch (err) {
      if (err instanceof ResourceExistsException) return false;
      throw err;
    }
    this.cache.delete(partner.id);
    return true;
  }

  /** Every stored secret, newest first (callers pick the valid ones with validSecrets). */
  async getPartner(id: string): Promise<Partner | undefined> {
    if (!partnerId.safeParse(id).success) return undefined;
    const ttl = this.opts.cacheTtlMs ?? 0;
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.get(id);
    if (ttl > 0 && cached && nowMs - cached.at < ttl) return cached.partner;
    const read = await this.read(id);
    const partner = read && { id, createdAt: read.doc.createdAt, secrets: read.doc.secrets };
    if (ttl > 0) this.cache.set(id, { at: nowMs, partner });
    return partner;
  }

  rotatePartnerSecret(id: string, next: PartnerSecret, rolloverMs: number): Promise<Partner | undefined> {
    return this.changeSecrets(id, (secrets) => rotateSecrets(secrets, next, rolloverMs));
  }

  /** Every secret dropped at once. Other warm instances stop accepting them when their cache expires. */
  revokePartnerSecrets(id: string): Promise<Partner | undefined> {
    return this.changeSecrets(id, () => []);
  }

  private async changeSecrets(
    id: string,
    change: (secrets: PartnerSecret[]) => PartnerSecret[],
  ): Promise<Partner | undefined> {
    const name = this.secretName(id);
    // Secrets Manager has no conditional write, but a client request token names the version a
    // write creates: deriving it from the version read means two changes racing from the same read
    // (two rotations, or a rotation and a revoke) cannot both land: the second gets
    // ResourceExistsException, re-reads and retries, so a revoke is never undone by a stale rotation.
    for (let attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
      const read = await this.read(id);
      if (!read) return undefined;
      const secrets = change(read.doc.secrets);
      const doc: SecretDocument = { createdAt: read.doc.createdAt, secrets };
      try {
        await this.opts.client.send(
          new PutSecretValueCommand({
            SecretId: name,
            SecretString: JSON.stringify(doc),
            ClientRequestToken: `change-after-${read.versionId}`,
          }),
        );
        this.cache.delete(id);
        return { id, createdAt: doc.createdAt, secrets };
      } catch (err) {
        if (!(err instanceof ResourceExistsException)) throw err;
      }
    }
    throw new PartnerRotationConflictError(id);
  }

  /** Every partner, by id. Reads each secret: partners are few and this is an operator command. */
  async listPartners(): Promise<Partner[]> {
    const prefix = this.namePrefix;
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.opts.client.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], NextToken: token }),
      );
      // The name filter matches word prefixes, not strictly the string prefix: check again.
      for (const s of page.SecretList ?? []) {
        const id = s.Name?.startsWith(prefix) ? s.Name.slice(prefix.length) : undefined;
        if (id !== undefined && partnerId.safeParse(id).success) ids.push(id);
      }
      token = page.NextToken;
    } while (token);
    const out: Partner[] = [];
    for (const id of ids.sort()) {
      const read = await this.read(id);
      // Absent: deleted between the listing and the read.
      if (read) out.push({ id, createdAt: read.doc.createdAt, secrets: read.doc.secrets });
    }
    return out;
  }

  private async read(id: string): Promise<{ doc: SecretDocument; versionId: string } | undefined> {
    let text: string | undefined;
    let versionId: string | undefined;
    try {
      const out = await this.opts.client.send(new GetSecretValueCommand({ SecretId: this.secretName(id) }));
      text = out.SecretString;
      versionId = out.VersionId;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return undefined;
      throw err;
    }
    if (text === undefined || versionId === undefined)
      throw new CorruptPartnerSecretError(id, 'no SecretString');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CorruptPartnerSecretError(id, 'not JSON');
    }
    const parsed = secretDocument.safeParse(json);
    if (!parsed.success) {
      throw new CorruptPartnerSecretError(
        id,
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    }
    return { doc: parsed.data, versionId };
  }
}
