// import customers|contracts|events FILE, settings apply FILE | settings show: clients of the API.
// The file goes to POST /v1/{kind}:import as NDJSON (streamed with a bearer token; larger than the
// body limit, through an upload URL), settings to PUT /v1/settings.
import { createReadStream, existsSync, openAsBlob, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_MAX_BODY_BYTES } from '../../../shared/api/deps.js';
import { settingsSchema } from '../../../shared/domain/documents.js';
import { nestingOverflowLine, TOO_DEEP_MESSAGE } from '../../../shared/domain/json-nesting.js';
import { ImportSourceError } from '../../../shared/import/errors.js';
import { assertUtf8File, readDocuments, sniffFormat } from '../../../shared/import/parse.js';
import type { DocumentKind } from '../../../shared/import/validate.js';
import {
  importJobViewSchema,
  importResultSchema,
  importUploadSchema,
} from '../../../shared/usecases/imports/schemas.js';
import { type CommandContext, requireArgs } from '../context.js';
import { type Reason, RefusedError, UsageError } from '../errors.js';
import { ImportProgressLines } from '../import-progress.js';
import { type ApiClient, ApiProblem, withApi } from '../remote/client.js';

const KINDS = ['customers', 'contracts', 'events'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (s: string | undefined): s is Kind => KINDS.some((k) => k === s);

export function requireFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  return path;
}

/**
 * Reads a JSON document, refusing (exit 1) what does not parse, and what nests deeper than any
 * document before it is parsed: sending it would re-serialize it, which overflows the stack.
 */
export function readJsonFile(path: string): unknown {
  const text = readFileSync(requireFile(path), 'utf8');
  const deepAt = nestingOverflowLine(text);
  if (deepAt !== undefined)
    throw new RefusedError(`${path}: the document is invalid; nothing was sent`, [
      { line: deepAt, path: '', message: TOO_DEEP_MESSAGE },
    ]);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RefusedError(`${path} is not valid JSON`, [
      { path: '', message: e instanceof Error ? e.message : String(e) },
    ]);
  }
}

export async function importCommand(ctx: CommandContext): Promise<void> {
  const [kind, file] = requireArgs(
    ctx,
    ['kind', 'file'],
    'touchpoint import customers|contracts|events FILE',
  );
  if (!isKind(kind)) throw new UsageError(`import what? customers, contracts or events, not ${kind}`);
  await importVia(ctx, kind, requireFile(file ?? ''));
}

export async function settingsCommand(ctx: CommandContext): Promise<void> {
  const [sub, file] = ctx.args;
  if (sub === 'show' && ctx.args.length === 1) return settingsShow(ctx);
  if (sub !== 'apply' || !file || ctx.args.length !== 2)
    throw new UsageError('usage: touchpoint settings apply FILE');
  // The API validates the settings; only unreadable JSON is refused here.
  return settingsApply(ctx, file, readJsonFile(file));
}

/** The job records its progress every 10,000 lines: this long without any change, and it is stuck. */
const STALL_MS = 5 * 60_000;

/** As many refusals as the API lists at most, so a CSV refused here reads like one refused there. */
const MAX_LOCAL_ERRORS = 1000;

async function formatOf(path: string): Promise<'csv' | 'ndjson'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (['.ndjson', '.jsonl', '.json'].includes(ext)) return 'ndjson';
  return sniffFormat(path);
}

/**
 * A file that is not UTF-8 (a Latin-1 or GBK export) is refused before anything is sent: read as
 * UTF-8 anyway, each such byte would be sent, and stored, as U+FFFD.
 */
async function refuseNonUtf8(path: string): Promise<void> {
  try {
    await assertUtf8File(path);
  } catch (err) {
    if (!(err instanceof ImportSourceError) || err.problem !== 'not-utf8') throw err;
    const reason = { path: '', message: 'not UTF-8 text: save the file as UTF-8' };
    throw new RefusedError(`${path} is not UTF-8 text; nothing was imported`, [
      err.line === undefined ? reason : { line: err.line, ...reason },
    ]);
  }
}

/** A CSV record as the NDJSON line sent for it, and the file line it starts on. */
type CsvRow = { line: number; text: string };

/**
 * The body sent for a file: one document a line, no blank lines, so the API's line numbers (its
 * element numbers) are body lines; `fileLines[i]` is the file line of body line i + 1. CSV records
 * become JSON here (the API takes JSON only), each remembered at the line where it starts: `rows`,
 * as checkCsv read them.
 */
function bodyOf(path: string, format: 'csv' | 'ndjson', rows: readonly CsvRow[]) {
  const fileLines: number[] = [];
  async function* ndjson(): AsyncGenerator<string> {
    const lines = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    let line = 0;
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      fileLines.push(line);
      yield `${text}\n`;
    }
  }
  async function* csv(): AsyncGenerator<string> {
    for (const row of rows) {
      fileLines.push(row.line);
      yield row.text;
    }
  }
  return {
    chunks: () => {
      fileLines.length = 0; // a retried read starts over
      return format === 'csv' ? csv() : ndjson();
    },
    fileLine: (bodyLine: number) => fileLines[bodyLine - 1] ?? bodyLine,
  };
}

/**
 * Rows the CSV reader cannot turn into documents: refused before anything is sent. With `keep`, the
 * rows to send, from this same read: a second read could see an edited file whose new bad rows
 * nobody checked.
 */
async function checkCsv(path: string, kind: DocumentKind, keep: boolean): Promise<CsvRow[]> {
  const errors: Reason[] = [];
  const rows: CsvRow[] = [];
  let count = 0;
  for await (const item of readDocuments(path, kind, { format: 'csv' })) {
    count++;
    if ('error' in item) {
      if (errors.length < MAX_LOCAL_ERRORS) errors.push(item.error);
    } else if (keep && errors.length === 0) {
      rows.push({ line: item.line, text: `${JSON.stringify(item.value)}\n` });
    }
  }
  if (errors.length > 0)
    throw new RefusedError(`${path}: ${errors.length} problem(s); nothing was imported`, errors, {
      kind,
      count,
    });
  return rows;
}

async function importVia(ctx: CommandContext, kind: DocumentKind, path: string): Promise<void> {
  await refuseNonUtf8(path);
  const format = await formatOf(path);
  // Over the API's inline limit, go straight to the upload: a server refuses an oversized body
  // before reading it, and a client still streaming it then sees a broken pipe, not the 413.
  const large = (await stat(path)).size > DEFAULT_MAX_BODY_BYTES;
  let rows: CsvRow[] = [];
  if (format === 'csv') {
    if (kind === 'events')
      throw new RefusedError(`${kind} are imported from NDJSON only, not CSV`, [
        { path: '', message: `${kind} are imported from NDJSON only, not CSV` },
      ]);
    // An upload sends the file itself (the server reads and checks what it received).
    rows = await checkCsv(path, kind, !large);
  }
  const body = bodyOf(path, format, rows);
  await withApi(ctx, async (api) => {
    if (large) return uploadImport(ctx, api, kind, path, format);
    let result: unknown;
    try {
      ({ body: result } = await api.call('POST', `/v1/${kind}:import`, {
        body: { contentType: 'application/x-ndjson', chunks: body.chunks },
        timeoutMs: 15 * 60_000,
      }));
    } catch (e) {
      if (!(e instanceof ApiProblem)) throw e;
      // Larger than one request may be: the same import through an upload URL instead.
      if (e.status === 413) return uploadImport(ctx, api, kind, path, format);
      // The API numbers body lines; the user wants the file's.
      if (e.status === 422)
        throw new RefusedError(
          `${path}: ${e.detail ?? e.title}`,
          e.errors.map((r) => (r.line === undefined ? r : { ...r, line: body.fileLine(r.line) })),
          { kind },
        );
      throw e;
    }
    const done = importResultSchema.parse(result);
    ctx.out.data({
      ok: true,
      kind,
      count: done.count,
      written: done.written,
      ...(done.newEvents !== undefined && { newEvents: done.newEvents }),
      ...(done.keptOptedOut !== undefined && { keptOptedOut: done.keptOptedOut }),
    });
    ctx.out.text(`imported ${done.count} ${kind} from ${path}${keptNote(done.keptOptedOut)}`);
  });
}

/**
 * POST /v1/imports → PUT the file as it is to the upload URL (a Blob, so it has a Content-Length as
 * S3 requires) → poll GET /v1/imports/{id} while it moves, showing its progress (import-progress.ts). The server reads the file itself, so
 * line numbers in refusals are the file's.
 */
async function uploadImport(
  ctx: CommandContext,
  api: ApiClient,
  kind: DocumentKind,
  path: string,
  format: 'csv' | 'ndjson',
): Promise<void> {
  const job = importUploadSchema.parse(
    (await api.call('POST', '/v1/imports', { body: { json: { kind, format } } })).body,
  );
  const file = await openAsBlob(path);
  const put = await fetch(job.uploadUrl, { method: 'PUT', body: file });
  if (!put.ok)
    throw new RefusedError(`${path}: the upload was refused (HTTP ${put.status}); nothing was imported`, [], {
      kind,
    });
  ctx.out.note(`uploaded ${(file.size / 2 ** 20).toFixed(1)} MB as import ${job.importId}; validating`);
  // A million lines take minutes: give up only when the job has stopped moving, not at a fixed time.
  let stalledAt = Date.now() + STALL_MS;
  let seen = '';
  const progress = new ImportProgressLines();
  for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
    const state = importJobViewSchema.parse((await api.call('GET', `/v1/imports/${job.importId}`)).body);
    const moved = `${state.status} ${state.count ?? ''} ${state.written ?? ''}`;
    if (moved !== seen) {
      seen = moved;
      stalledAt = Date.now() + STALL_MS;
    }
    const line = progress.next(state, Date.now());
    if (line !== undefined) ctx.out.note(line);
    if (state.status === 'failed')
      throw new RefusedError(
        `${path}: ${state.message ?? `${state.errorCount ?? 0} problem(s) in ${state.count ?? 0} document(s); nothing was stored`}`,
        state.errors ?? [],
        { kind },
      );
    if (state.status === 'succeeded') {
      const count = state.count ?? 0;
      ctx.out.data({
        ok: true,
        kind,
        count,
        written: state.written ?? count,
        ...(state.newEvents !== undefined && { newEvents: state.newEvents }),
        ...(state.keptOptedOut !== undefined && { keptOptedOut: state.keptOptedOut }),
      });
      ctx.out.text(`imported ${count} ${kind} from ${path}${keptNote(state.keptOptedOut)}`);
      return;
    }
    if (Date.now() > stalledAt)
      throw new RefusedError(
        `${path}: import ${job.importId} still ${state.status}, no progress for ${STALL_MS / 60_000} minutes; check GET /v1/imports/${job.importId}`,
        [],
        { kind },
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** How many records the import did not resubscribe (docs/consent.md), when any. */
const keptNote = (kept: number | undefined): string =>
  kept ? `; kept ${kept} opted out (their own opt-out is later than the file's consent)` : '';

async function settingsShow(ctx: CommandContext): Promise<void> {
  await withApi(ctx, async (api) => {
    const settings = settingsSchema.parse((await api.call('GET', '/v1/settings')).body);
    ctx.out.data(settings);
    ctx.out.text(JSON.stringify(settings, null, 2));
  });
}

async function settingsApply(ctx: CommandContext, file: string, doc: unknown): Promise<void> {
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('PUT', '/v1/settings', { body: { json: doc } }));
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 400 && e.errors.length > 0)
        throw new RefusedError(`${file}: the settings are invalid; nothing was changed`, e.errors);
      throw e;
    }
    const settings = settingsSchema.parse(body);
    ctx.out.data({ ok: true, settings });
    ctx.out.text(
      `settings applied: tiers ${settings.tiers.map((t) => `${t.id} ≥ ${t.minMonthlyValue}`).join(', ')}`,
    );
  });
}
