// How the CLI shows deliveries and campaigns: one presenter for the embedded and the --api modes,
// so both print the same rows in the same order.
import type { Out } from './output.js';
import { table } from './output.js';

interface DeliveryLike {
  dueDate: string;
  campaignId: string;
  stepId: string;
  customerId: string;
  channel: string;
}

const byDueThenKey = (a: DeliveryLike, b: DeliveryLike) =>
  a.dueDate.localeCompare(b.dueDate) ||
  a.campaignId.localeCompare(b.campaignId) ||
  a.stepId.localeCompare(b.stepId) ||
  a.customerId.localeCompare(b.customerId) ||
  a.channel.localeCompare(b.channel);

export function showDeliveries(out: Out, deliveries: DeliveryLike[]): void {
  const rows = [...deliveries].sort(byDueThenKey);
  out.data({ deliveries: rows, count: rows.length });
  out.text(
    table(rows, [
      'dueDate',
      'campaignId',
      'stepId',
      'customerId',
      'channel',
      'status',
      'reason',
      'sendAt',
      'providerMessageId',
    ]),
  );
}

interface CampaignRecordLike {
  campaign: {
    id: string;
    name: string;
    priority: number;
    anchor: { type: string };
    steps: readonly unknown[];
  };
  version: number;
  paused: boolean;
  updatedAt: string;
}

export function showCampaigns(out: Out, records: CampaignRecordLike[]): void {
  const rows = [...records]
    .sort((a, b) => b.campaign.priority - a.campaign.priority || a.campaign.id.localeCompare(b.campaign.id))
    .map((r) => ({
      id: r.campaign.id,
      name: r.campaign.name,
      priority: r.campaign.priority,
      anchor: r.campaign.anchor.type,
      steps: r.campaign.steps.length,
      version: r.version,
      state: r.paused ? 'paused' : 'active',
      paused: r.paused,
      updatedAt: r.updatedAt,
    }));
  out.data({ campaigns: rows });
  out.text(table(rows, ['id', 'name', 'priority', 'anchor', 'steps', 'version', 'state']));
}
