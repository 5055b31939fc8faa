// Partners and webhook receipts in the table. A partner is one item (`PARTNER#<id>` / `PARTNER`)
// plus a registry entry (`PARTNERS` / `<id>`) so listing is one Query; both are written in one
// transaction. Receipts (`WEBHOOK#<partnerId>#<webhookId>`) expire by TTL after RECEIPT_TTL_MS.
// Secrets' end times live inside the `secrets` list, never in a top-level `expiresAt`: that is the
// table's TTL attribute and would delete the partner.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { partnerSchema, rotateSecrets } from '../partners/secrets.js';
import type { Partner, PartnerSecret, PartnerStore, WebhookReceipts } from '../ports/partners.js';
import { parseItem } from './items.js';
import type { Key, Table } from './table.js';

/** Replays are refused for a week; the ±5 min timestamp tolerance refuses older ones anyway. */
export const RECEIPT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Concurrent rotations of one partner retry their read-modify-write this many times. */
const ROTATE_ATTEMPTS = 5;

export const partnerKeys = {
  partner: (id: string): Key => ({ pk: `PARTNER#${id}`, sk: 'PARTNER' }),
  registry: (id: string): Key => ({ pk: 'PARTNERS', sk: id }),
  receipt: (partnerId: string, webhookId: string): Key => ({
    pk: `WEBHOOK#${partnerId}#${webhookId}`,
    sk: 'WEBHOOK',
  }),
};

const partnerItemSchema = partnerSchema.extend({ rev: z.number().int() });

export class PartnerRotationConflictError extends Error {
  constructor(readonly partnerId: string) {
    super(`partner ${partnerId} kept changing during its secret rotation`);
    this.name = 'PartnerRotationConflictError';
  }
}

const toPartner = (item: z.infer<typeof partnerItemSchema>): Partner => ({
  id: item.id,
  createdAt: item.createdAt,
  secrets: item.secrets.map((s) => ({
    secret: s.secret,
    createdAt: s.createdAt,
    ...(s.expiresAt && { expiresAt: s.expiresAt }),
  })),
});

export class Partners implements PartnerStore, WebhookReceipts {
  constructor(private readonly table: Table) {}

  async addPartner(partner: Partner): Promise<boolean> {
    try {
      await this.table.transactWrite([
        {
          Put: {
            TableName: this.table.name,
            Item: { ...partnerKeys.partner(partner.id), ...partner, rev: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table.name,
            Item: { ...partnerKeys.registry(partner.id), id: partner.id, createdAt: partner.createdAt },
          },
        },
      ]);
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw err;
    }
  }

  private async getItem(id: string): Promise<z.infer<typeof partnerItemSchema> | undefined> {
    const item = await this.table.get(partnerKeys.partner(id), { ConsistentRead: true });
    return item ? parseItem(partnerItemSchema, item) : undefined;
  }

  async getPartner(id: string): Promise<Partner | undefined> {
    const item = await this.getItem(id);
    return item && toPartner(item);
  }

  rotatePartnerSecret(id: string, next: PartnerSecret, rolloverMs: number): Promise<Partner | undefined> {
    return this.changeSecrets(id, (secrets) => rotateSecrets(secrets, next, rolloverMs));
  }

  revokePartnerSecrets(id: string): Promise<Partner | undefined> {
    return this.changeSecrets(id, () => []);
  }

  private async changeSecrets(
    id: string,
    change: (secrets: PartnerSecret[]) => PartnerSecret[],
  ): Promise<Partner | undefined> {
    // Optimistic: a rotation racing another must not lose the other's new secret, and a rotation
    // from a read before a revoke must not bring the revoked secrets back.
    for (let attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
      const item = await this.getItem(id);
      if (!item) return undefined;
      const secrets = change(item.secrets);
      try {
        await this.table.update(partnerKeys.partner(id), {
          UpdateExpression: 'SET secrets = :secrets, rev = :next',
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':secrets': secrets, ':next': item.rev + 1, ':rev': item.rev },
        });
        return { id, createdAt: item.createdAt, secrets };
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new PartnerRotationConflictError(id);
  }

  async listPartners(): Promise<Partner[]> {
    const registry = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PARTNERS' },
      ProjectionExpression: 'sk',
    });
    const ids = registry.map((i) => String(i.sk));
    const items = await this.table.batchGet(ids.map(partnerKeys.partner));
    return items
      .map((i) => toPartner(parseItem(partnerItemSchema, i)))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async hasWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean> {
    const item = await this.table.get(partnerKeys.receipt(partnerId, webhookId), {
      ConsistentRead: true,
      ProjectionExpression: 'pk',
    });
    return item !== undefined;
  }

  recordWebhookReceipt(partnerId: string, webhookId: string, now: Date): Promise<boolean> {
    return this.table.putNew({
      ...partnerKeys.receipt(partnerId, webhookId),
      partnerId,
      webhookId,
      receivedAt: now.toISOString(),
      expiresAt: Math.floor((now.getTime() + RECEIPT_TTL_MS) / 1000),
    });
  }
}
