// The worked example's files (examples/) and its expected tables.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { campaignSchema, settingsSchema } from '../../shared/domain/documents.js';
import { importFile } from '../../shared/import/import-file.js';
import type { Stores } from '../../shared/store/stores.js';

export const EXAMPLES = resolve(import.meta.dirname, '../../examples');

export async function loadExamples(store: Stores, opts: { campaigns?: string[] } = {}): Promise<void> {
  await store.settings.putSettings(
    settingsSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'settings.json'), 'utf8'))),
  );
  for (const kind of ['customers', 'contracts', 'events'] as const) {
    const result = await importFile({ path: join(EXAMPLES, `${kind}.ndjson`), kind, store });
    if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.errors)}`);
  }
  for (const file of readdirSync(join(EXAMPLES, 'campaigns')).sort()) {
    const campaign = campaignSchema.parse(
      JSON.parse(readFileSync(join(EXAMPLES, 'campaigns', file), 'utf8')),
    );
    if (!opts.campaigns || opts.campaigns.includes(campaign.id)) await store.campaigns.putCampaign(campaign);
  }
}

export type Row = {
  campaignId: string;
  stepId: string;
  customerId: string;
  channel: string;
  status: string;
  reason?: string;
  sendAt: string;
};

/** The rows of a touch list, in the columns of the worked example's tables. */
export const rowsOf = (touches: readonly Row[]): Row[] =>
  touches.map(({ campaignId, stepId, customerId, channel, status, reason, sendAt }) => ({
    campaignId,
    stepId,
    customerId,
    channel,
    status,
    ...(reason !== undefined && { reason }),
    sendAt,
  }));

/** examples/README.md, the run for 2026-11-26. */
export const RUN_2026_11_26: Row[] = [
  {
    campaignId: 'service-recovery',
    stepId: 'd2',
    customerId: 'c-1003',
    channel: 'email',
    status: 'sent',
    sendAt: '2026-11-26T01:00:00.000Z',
  },
  {
    campaignId: 'contract-renewal',
    stepId: 'd-30',
    customerId: 'c-1003',
    channel: 'email',
    status: 'sent',
    sendAt: '2026-11-26T01:00:00.000Z',
  },
  {
    campaignId: 'contract-renewal',
    stepId: 'd-14',
    customerId: 'c-1002',
    channel: 'email',
    status: 'sent',
    sendAt: '2026-11-26T17:00:00.000Z',
  },
  {
    campaignId: 'win-back',
    stepId: 'd60',
    customerId: 'c-1002',
    channel: 'email',
    status: 'suppressed',
    reason: 'holdout',
    sendAt: '2026-11-26T18:00:00.000Z',
  },
];

/** examples/README.md, `plan --date 2026-11-30` after that run. */
export const PLAN_2026_11_30: Row[] = [
  {
    campaignId: 'win-back',
    stepId: 'd60',
    customerId: 'c-1003',
    channel: 'email',
    status: 'suppressed',
    reason: 'frequency-cap',
    sendAt: '2026-11-30T02:00:00.000Z',
  },
  {
    campaignId: 'birthday',
    stepId: 'day',
    customerId: 'c-1005',
    channel: 'email',
    status: 'suppressed',
    reason: 'no-consent',
    sendAt: '2026-11-29T20:00:00.000Z',
  },
  {
    campaignId: 'birthday',
    stepId: 'day',
    customerId: 'c-1005',
    channel: 'sms',
    status: 'planned',
    sendAt: '2026-11-29T20:00:00.000Z',
  },
];
