// Campaigns are immutable versions plus a current pointer (which also holds the paused flag), so
// a run can always name the exact definition it planned with.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { type Campaign, campaignSchema } from '../domain/documents.js';
import type { CampaignRecord } from '../domain/touch.js';
import type { CampaignStore, CampaignVersionEntry } from '../ports/campaigns.js';
import type { Clock } from '../ports/clock.js';
import { ConcurrentUpdateError, CorruptItemError } from './errors.js';
import { campaignPointerSchema, keys, parseItem } from './items.js';
import { cleanItem, type Item, type Table } from './table.js';

const MAX_ATTEMPTS = 10;
const campaignVersionEntrySchema = z.object({
  sk: z.string().regex(/^V#\d{10}$/),
  createdAt: z.string().optional(),
});

function parseCampaign(item: Item): Campaign {
  const parsed = campaignSchema.safeParse(item.doc);
  if (!parsed.success)
    throw new CorruptItemError(`${String(item.pk)}/${String(item.sk)}`, parsed.error.message);
  return parsed.data;
}

function toRecord(item: Item): CampaignRecord {
  const { version, paused, updatedAt } = parseItem(campaignPointerSchema, item);
  return { campaign: parseCampaign(item), version, paused, updatedAt };
}

export class Campaigns implements CampaignStore {
  constructor(
    private readonly table: Table,
    private readonly clock: Clock,
  ) {}

  async putCampaign(campaign: Campaign): Promise<CampaignRecord> {
    const pointerKey = keys.campaignPointer(campaign.id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.table.get(pointerKey, { ConsistentRead: true });
      const prev = current ? parseItem(campaignPointerSchema, current) : undefined;
      const record: CampaignRecord = {
        campaign,
        version: (prev?.version ?? 0) + 1,
        paused: prev?.paused ?? false,
        updatedAt: this.clock.now().toISOString(),
      };
      const pointer = {
        doc: campaign,
        version: record.version,
        paused: record.paused,
        updatedAt: record.updatedAt,
      };
      try {
        await this.table.transactWrite([
          {
            Put: {
              TableName: this.table.name,
              Item: cleanItem({
                ...keys.campaignVersion(campaign.id, record.version),
                doc: campaign,
                createdAt: record.updatedAt,
              }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table.name,
              Item: cleanItem({ ...pointerKey, ...pointer }),
              // The pointer only moves forward from the version this write read.
              ConditionExpression: prev ? 'version = :prev' : 'attribute_not_exists(pk)',
              ExpressionAttributeValues: prev ? { ':prev': prev.version } : undefined,
            },
          },
        ]);
        return record;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    throw new ConcurrentUpdateError(`${pointerKey.pk}/${pointerKey.sk}`);
  }

  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    const item = await this.table.get(keys.campaignPointer(id), { ConsistentRead: true });
    return item ? toRecord(item) : undefined;
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaignPointer('').pk },
      ConsistentRead: true,
    });
    return items.map(toRecord);
  }

  async getCampaignVersion(id: string, version: number): Promise<Campaign | undefined> {
    const item = await this.table.get(keys.campaignVersion(id, version));
    return item ? parseCampaign(item) : undefined;
  }

  async listCampaignVersions(id: string): Promise<CampaignVersionEntry[]> {
    // The projection trims what is returned, not what is billed: a Query bills the versions' bytes
    // (documents included), read once per console visit to a campaign's history.
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': keys.campaignVersion(id, 1).pk, ':v': 'V#' },
      ProjectionExpression: 'sk, createdAt',
      ScanIndexForward: false,
    });
    return items.map((item) => {
      const { sk, createdAt } = parseItem(campaignVersionEntrySchema, item);
      return { version: Number(sk.slice(2)), ...(createdAt !== undefined && { createdAt }) };
    });
  }

  async setPaused(id: string, paused: boolean): Promise<boolean> {
    try {
      await this.table.update(keys.campaignPointer(id), {
        UpdateExpression: 'SET paused = :p, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':p': paused, ':now': this.clock.now().toISOString() },
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
