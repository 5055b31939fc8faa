// `touchpoint report` through the real CLI, API and DynamoDB Local: the worked example's run of
// 2026-11-26, then the report's funnel checked against the ledger (`deliveries`) row by row, the
// HTML page written whole, and refusals with the CLI's exit codes.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resultsReportSchema } from '../../../shared/usecases/results/schemas.js';
import { EXAMPLES } from '../../support/examples.js';
import { cli, json } from './cli.js';

let work: string;
let dir: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-report-'));
  dir = join(work, 'data');
});
afterAll(async () => {
  await cli(['stop'], { dataDir: dir });
  rmSync(work, { recursive: true, force: true });
});

const ok = async (args: string[]) => {
  const r = await cli(args, { dataDir: dir });
  expect({ args, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ args, code: 0, stderr: '' });
  return r;
};

describe('touchpoint report', () => {
  it('reports the worked example run: funnel.sent and planned equal the ledger rows sent and planned, per campaign', async () => {
    await ok(['settings', 'apply', join(EXAMPLES, 'settings.json')]);
    for (const kind of ['customers', 'contracts', 'events'])
      await ok(['import', kind, join(EXAMPLES, `${kind}.ndjson`)]);
    for (const f of readdirSync(join(EXAMPLES, 'campaigns')))
      await ok(['campaign', 'apply', join(EXAMPLES, 'campaigns', f)]);
    const run = z
      .object({
        touches: z.array(
          z.object({ campaignId: z.string(), status: z.string(), reason: z.string().optional() }),
        ),
      })
      .parse(json(await ok(['run', '--date', '2026-11-26', '--json'])));

    const report = resultsReportSchema.parse(json(await ok(['report', '--json'])));
    expect(report.from <= '2026-11-26' && report.to >= '2026-11-26').toBe(true);
    const ledger = z
      .object({ deliveries: z.array(z.object({ campaignId: z.string(), status: z.string() })) })
      .parse(json(await ok(['deliveries', '--json'])));
    for (const c of report.campaigns) {
      const sent = ledger.deliveries.filter(
        (d) => d.campaignId === c.campaignId && d.status === 'sent',
      ).length;
      const touches = run.touches.filter((t) => t.campaignId === c.campaignId);
      expect({ campaign: c.campaignId, sent: c.funnel.sent, planned: c.funnel.planned }).toEqual({
        campaign: c.campaignId,
        sent,
        planned: touches.length,
      });
      const suppressed = Object.values(c.funnel.suppressed).reduce((a, b) => a + b, 0);
      expect(suppressed).toBe(touches.filter((t) => t.status === 'suppressed').length);
      // Nobody converted and the holdouts are tiny: no uplift is stated.
      expect(c.uplift).toBeNull();
    }
    expect(report.campaigns.reduce((a, c) => a + c.funnel.sent, 0)).toBe(3);
    expect(report.campaigns.map((c) => c.campaignId).sort()).toEqual([
      'after-sale-care',
      'birthday',
      'contract-renewal',
      'service-recovery',
      'win-back',
    ]);

    const one = resultsReportSchema.parse(
      json(
        await ok([
          'report',
          '--campaign',
          'contract-renewal',
          '--from',
          '2026-11-26',
          '--to',
          '2026-11-26',
          '--json',
        ]),
      ),
    );
    expect(one.campaigns.map((c) => c.campaignId)).toEqual(['contract-renewal']);

    const text = await ok(['report']);
    expect(text.stdout).toContain('not enough data');

    const page = join(work, 'results.html');
    await ok(['report', '--html', page]);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('contract-renewal');
    expect(html).not.toMatch(/<script|src=|href=/i);
  }, 300_000);

  it('refuses an unknown campaign and a reversed range with exit 1, a malformed date with exit 2', async () => {
    expect((await cli(['report', '--campaign', 'nope', '--json'], { dataDir: dir })).code).toBe(1);
    expect((await cli(['report', '--from', '2026-12-31', '--to', '2026-11-01'], { dataDir: dir })).code).toBe(
      1,
    );
    expect((await cli(['report', '--from', 'yesterday'], { dataDir: dir })).code).toBe(2);
  }, 120_000);
});
