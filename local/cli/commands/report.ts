// `touchpoint report [--campaign ID] [--from D] [--to D] [--json] [--html FILE]`: a client of
// /v1/reports/campaigns (the contract's results JSON) and, for the page, /v1/reports/campaigns/{id}
// (each campaign by day). docs/results.md says what the numbers mean.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CampaignDetail,
  campaignDetailSchema,
  resultsReportSchema,
} from '../../../shared/usecases/results/schemas.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { withApi } from '../remote/client.js';
import { resultsHtml } from '../results-html.js';
import { resultsText } from '../results-present.js';

const USAGE =
  'touchpoint report [--campaign ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--html FILE]';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function reportCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const { campaign, from, to, html } = ctx.options;
  for (const [name, value] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (value !== undefined && !DATE.test(value))
      throw new UsageError(`${name} must be a date YYYY-MM-DD, got ${value}`);
  if (html !== undefined && html.trim() === '') throw new UsageError(`--html needs a file name: ${USAGE}`);
  await withApi(ctx, async (api) => {
    const query = { campaign, from, to };
    const { body } = await api.call('GET', '/v1/reports/campaigns', { query });
    const report = resultsReportSchema.parse(body);
    if (html !== undefined) {
      const details: CampaignDetail[] = [];
      // The page's days are the report's, so every chart covers the same span as the tables.
      for (const c of report.campaigns) {
        const { body: detail } = await api.call(
          'GET',
          `/v1/reports/campaigns/${encodeURIComponent(c.campaignId)}`,
          {
            query: { from: report.from, to: report.to },
          },
        );
        details.push(campaignDetailSchema.parse(detail));
      }
      const file = resolve(html);
      writeFileSync(file, resultsHtml(report, details), { mode: 0o600 });
      ctx.out.note(`wrote ${file}`);
    }
    ctx.out.data(report);
    ctx.out.text(resultsText(report));
  });
}
