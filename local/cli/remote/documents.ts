// import and settings with --api: the file goes to POST /v1/{kind}:import as NDJSON (streamed with a
// bearer token), settings to PUT /v1/settings; output and refusals as the embedded commands print them.
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { settingsSchema } from '../../../shared/domain/documents.js';
import { readDocuments, sniffFormat } from '../../../shared/import/parse.js';
import type { DocumentKind } from '../../../shared/import/validate.js';
import type { CommandContext } from '../context.js';
import { type Reason, RefusedError } from '../errors.js';
import { ApiProblem, withApi } from './client.js';

const importResult = z.object({
  count: z.number().int(),
  written: z.number().int(),
  newEvents: z.number().int().optional(),
});

/** As many refusals as the API lists at most, so a CSV refused here reads like one refused there. */
const MAX_LOCAL_ERRORS = 1000;

async function formatOf(path: string): Promise<'csv' | 'ndjson'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (['.ndjson', '.jsonl', '.json'].includes(ext)) return 'ndjson';
  return sniffFormat(path);
}

/**
 * The body sent for a file: one document a line, no blank lines, so the API's line numbers (its
 * element numbers) are body lines; `fileLines[i]` is the file line of body line i + 1. CSV records
 * become JSON here (the API takes JSON only), each remembered at the line where it starts.
 */
function bodyOf(path: string, kind: DocumentKind, format: 'csv' | 'ndjson') {
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
    for await (const item of readDocuments(path, kind, { format: 'csv' })) {
      if (!('value' in item)) continue; // refused before sending; see checkCsv
      fileLines.push(item.line);
      yield `${JSON.stringify(item.value)}\n`;
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

/** Rows the CSV reader cannot turn into documents: refused before anything is sent. */
async function checkCsv(path: string, kind: DocumentKind): Promise<void> {
  const errors: Reason[] = [];
  let count = 0;
  for await (const item of readDocuments(path, kind, { format: 'csv' })) {
    count++;
    if ('error' in item && errors.length < MAX_LOCAL_ERRORS) errors.push(item.error);
  }
  if (errors.length > 0)
    throw new RefusedError(`${path}: ${errors.length} problem(s); nothing was imported`, errors, {
      kind,
      count,
    });
}

export async function remoteImport(ctx: CommandContext, kind: DocumentKind, path: string): Promise<void> {
  const format = await formatOf(path);
  if (format === 'csv') {
    if (kind === 'events')
      throw new RefusedError(`${kind} are imported from NDJSON only, not CSV`, [
        { path: '', message: `${kind} are imported from NDJSON only, not CSV` },
      ]);
    await checkCsv(path, kind);
  }
  const body = bodyOf(path, kind, format);
  await withApi(ctx, async (api) => {
    let result: unknown;
    try {
      ({ body: result } = await api.call('POST', `/v1/${kind}:import`, {
        body: { contentType: 'application/x-ndjson', chunks: body.chunks },
        timeoutMs: 15 * 60_000,
      }));
    } catch (e) {
      if (!(e instanceof ApiProblem)) throw e;
      if (e.status === 413)
        throw new RefusedError(
          `${path} is larger than the API accepts in one request; nothing was imported. Import it in smaller files (large files will need the presigned upload, future work).`,
          [],
          { kind },
        );
      // The API numbers body lines; the user wants the file's.
      if (e.status === 422)
        throw new RefusedError(
          `${path}: ${e.detail ?? e.title}`,
          e.errors.map((r) => (r.line === undefined ? r : { ...r, line: body.fileLine(r.line) })),
          { kind },
        );
      throw e;
    }
    const done = importResult.parse(result);
    ctx.out.data({
      ok: true,
      kind,
      count: done.count,
      written: done.written,
      ...(done.newEvents !== undefined && { newEvents: done.newEvents }),
    });
    ctx.out.text(`imported ${done.count} ${kind} from ${path}`);
  });
}

export async function remoteSettingsShow(ctx: CommandContext): Promise<void> {
  await withApi(ctx, async (api) => {
    const settings = settingsSchema.parse((await api.call('GET', '/v1/settings')).body);
    ctx.out.data(settings);
    ctx.out.text(JSON.stringify(settings, null, 2));
  });
}

export async function remoteSettingsApply(ctx: CommandContext, file: string, doc: unknown): Promise<void> {
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
