// import customers|contracts|events FILE, settings apply FILE.
import { existsSync, readFileSync } from 'node:fs';
import { settingsSchema } from '../../../shared/domain/documents.js';
import { ImportSourceError } from '../../../shared/import/errors.js';
import { importFile } from '../../../shared/import/import-file.js';
import { type CommandContext, requireArgs, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';

const KINDS = ['customers', 'contracts', 'events'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (s: string | undefined): s is Kind => KINDS.some((k) => k === s);

export function requireFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  return path;
}

/** Reads a JSON document, refusing (exit 1) what does not parse. */
export function readJsonFile(path: string): unknown {
  const text = readFileSync(requireFile(path), 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RefusedError(`${path} is not valid JSON`, [
      { path: '', message: e instanceof Error ? e.message : String(e) },
    ]);
  }
}

/** A progress line per 100,000 documents in each pass (checked, then written), with the pass's rate. */
function progressNotes(ctx: CommandContext, kind: string) {
  let phase = '';
  let since = 0;
  let noted = 0;
  return (p: { phase: 'validate' | 'write'; lines: number; written: number }) => {
    if (p.phase !== phase) [phase, since, noted] = [p.phase, Date.now(), 0];
    const done = p.phase === 'validate' ? p.lines : p.written;
    if (done - noted < 100_000) return;
    noted = done;
    const perSecond = Math.round(done / Math.max(0.001, (Date.now() - since) / 1000));
    ctx.out.note(`${p.phase === 'validate' ? 'checked' : 'written'} ${done} ${kind} (${perSecond}/s)…`);
  };
}

async function refuseUnreadable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ImportSourceError) throw new RefusedError(e.message, [{ path: '', message: e.message }]);
    throw e;
  }
}

export async function importCommand(ctx: CommandContext): Promise<void> {
  const [kind, file] = requireArgs(
    ctx,
    ['kind', 'file'],
    'touchpoint import customers|contracts|events FILE',
  );
  if (!isKind(kind)) throw new UsageError(`import what? customers, contracts or events, not ${kind}`);
  const path = requireFile(file ?? '');
  if (ctx.remote) return (await import('../remote/documents.js')).remoteImport(ctx, kind, path);
  await withEmbedded(ctx, {}, async ({ deps }) => {
    const result = await refuseUnreadable(() =>
      importFile({
        path,
        kind,
        store: deps.store,
        onProgress: progressNotes(ctx, kind),
      }),
    );
    if (!result.ok) {
      const more = result.moreErrors > 0 ? ` (the first ${result.errors.length} listed)` : '';
      throw new RefusedError(
        `${path}: ${result.errorCount} problem(s)${more}; nothing was imported`,
        result.errors.map((e) => ({ line: e.line, path: e.path, message: e.message })),
        { kind, count: result.count },
      );
    }
    ctx.out.data({
      ok: true,
      kind,
      count: result.count,
      written: result.written,
      ...('newEvents' in result && { newEvents: result.newEvents }),
    });
    ctx.out.text(`imported ${result.count} ${kind} from ${path}`);
  });
}

export async function settingsCommand(ctx: CommandContext): Promise<void> {
  const [sub, file] = ctx.args;
  if (sub === 'show' && ctx.args.length === 1) {
    if (ctx.remote) return (await import('../remote/documents.js')).remoteSettingsShow(ctx);
    await withEmbedded(ctx, {}, async ({ deps }) => {
      const settings = await deps.store.getSettings();
      ctx.out.data(settings);
      ctx.out.text(JSON.stringify(settings, null, 2));
    });
    return;
  }
  if (sub !== 'apply' || !file || ctx.args.length !== 2)
    throw new UsageError('usage: touchpoint settings apply FILE');
  // The API validates the settings; only unreadable JSON is refused here.
  if (ctx.remote)
    return (await import('../remote/documents.js')).remoteSettingsApply(ctx, file, readJsonFile(file));
  const parsed = settingsSchema.safeParse(readJsonFile(file));
  if (!parsed.success) {
    throw new RefusedError(
      `${file}: the settings are invalid; nothing was changed`,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  await withEmbedded(ctx, {}, async ({ deps }) => {
    await deps.store.putSettings(parsed.data);
  });
  ctx.out.data({ ok: true, settings: parsed.data });
  ctx.out.text(
    `settings applied: tiers ${parsed.data.tiers.map((t) => `${t.id} ≥ ${t.minMonthlyValue}`).join(', ')}`,
  );
}
