// touchpoint customer show|export|erase ID: one customer through /v1/customers/{id}: what we hold
// and have sent (show), everything as a GDPR export (export), or erased (erase).
import {
  customerExportSchema,
  customerViewSchema,
  erasureReportSchema,
} from '../../../shared/usecases/customers/schemas.js';
import type { CommandContext } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';
import { ApiProblem, withApi } from '../remote/client.js';

const USAGE = 'touchpoint customer show ID | customer export ID | customer erase ID';

async function call(
  ctx: CommandContext,
  id: string,
  method: 'GET' | 'DELETE',
  suffix = '',
): Promise<unknown> {
  return withApi(ctx, async (api) => {
    try {
      return (await api.call(method, `/v1/customers/${encodeURIComponent(id)}${suffix}`)).body;
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404)
        throw new RefusedError(`no customer with id ${id}`, [{ path: 'id', message: 'unknown customer' }]);
      throw e;
    }
  });
}

export async function customerCommand(ctx: CommandContext): Promise<void> {
  const [sub, id, ...extra] = ctx.args;
  if (!id || extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  switch (sub) {
    case 'show': {
      const view = customerViewSchema.parse(await call(ctx, id, 'GET', '/view'));
      ctx.out.data(view);
      const c = view.customer;
      ctx.out.text(`${c.id}  ${c.name}  tier ${view.tier ?? '(none)'}  ${c.locale}  ${c.timeZone}`);
      ctx.out.text(
        `email ${c.email ?? '-'} (consent ${view.consent.email})  sms ${c.phone ?? '-'} (consent ${view.consent.sms})`,
      );
      const off = Object.entries(view.consent.topics)
        .filter(([, v]) => !v)
        .map(([t]) => t);
      if (off.length > 0) ctx.out.text(`opted out of topics: ${off.join(', ')}`);
      if (view.consentHistory.length > 0)
        ctx.out.text(
          table(
            view.consentHistory.map((h) => ({
              ...h,
              topic: h.topic ?? '',
              evidence: (h.evidence ?? '').replace(/\s+/g, ' ').slice(0, 60),
            })),
            ['at', 'channel', 'topic', 'value', 'source', 'evidence'],
          ),
        );
      ctx.out.text(
        `contracts ${view.contracts.length}, events ${view.events.length}, touches ${view.touches.length}`,
      );
      ctx.out.text(table(view.touches, ['dueDate', 'campaignId', 'stepId', 'channel', 'status', 'reason']));
      return;
    }
    case 'export': {
      const data = customerExportSchema.parse(await call(ctx, id, 'GET', '/export'));
      // An export is a document either way: the same JSON with or without --json.
      if (ctx.out.json) ctx.out.data(data);
      else ctx.out.text(JSON.stringify(data, null, 2));
      return;
    }
    case 'erase': {
      const report = erasureReportSchema.parse(await call(ctx, id, 'DELETE'));
      ctx.out.data({ ok: true, ...report });
      ctx.out.text(
        `customer ${id} erased (now ${report.anonymousId}): ${report.ledgerRows} ledger rows and ${report.runTouches} run touches kept anonymously, ${report.contracts} contracts and ${report.events} events removed`,
      );
      const elsewhere = Object.entries(report.elsewhere).map(([store, n]) => `${store} ${n}`);
      if (elsewhere.length > 0) ctx.out.text(`also removed: ${elsewhere.join(', ')}`);
      return;
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
