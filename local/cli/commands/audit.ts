// touchpoint audit [--limit N]: the audit log, newest first (GET /v1/audit: the API's use case, so
// the entries are the same whoever reads them). The CLI's own changes go through the API too, so
// they are in it: as "local developer" (the development token) locally, as the IAM caller with --api.
import { auditPageSchema } from '../../../shared/usecases/audit/schemas.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../output.js';
import { withApi } from '../remote/client.js';

const USAGE = 'touchpoint audit [--limit N] [--json]';
/** The API's page size limit: more entries are read page by page. */
const PAGE = 200;

export async function auditCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const raw = ctx.options.limit ?? '50';
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 100_000)
    throw new UsageError(`--limit must be a whole number from 1 to 100000, got ${raw}`);
  await withApi(ctx, async (api) => {
    const entries: ReturnType<typeof auditPageSchema.parse>['entries'] = [];
    let cursor: string | undefined;
    do {
      const want = Math.min(PAGE, limit - entries.length);
      const { body } = await api.call('GET', '/v1/audit', { query: { limit: String(want), cursor } });
      const page = auditPageSchema.parse(body);
      entries.push(...page.entries);
      cursor = page.cursor;
    } while (cursor !== undefined && entries.length < limit);
    ctx.out.data({ entries, count: entries.length });
    ctx.out.text(
      table(
        entries.map((e) => ({
          at: e.at,
          who: `${e.actor.name} (${e.actor.role}, ${e.actor.via})`,
          what: `${e.method} ${e.path}`,
          status: e.status,
          outcome: e.outcome,
        })),
        ['at', 'who', 'what', 'status', 'outcome'],
      ),
    );
  });
}
