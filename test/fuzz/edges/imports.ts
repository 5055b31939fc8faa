// Imports of customers, contracts and events, as NDJSON and as CSV, through the two ways in: the body
// of POST /v1/{kind}:import (what `touchpoint import` sends, as application/x-ndjson) and a file read
// by importFile (what an uploaded import job and the demo read, CSV or NDJSON by its extension).
// Documents are hostile (test/unit/import/hostile.ts: deep nesting, __proto__, oversized ids, years
// 0001 and +275760, control characters, numbers DynamoDB cannot keep), broken as text (truncated
// lines, unbalanced quotes, stray columns, NUL, a BOM) or plain noise. All or nothing: a refused
// import (a 4xx, a refused result, an ImportSourceError) writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ImportSourceError, importFile } from '../../../shared/import/import-file.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { customer } from '../../emulator/support/fixtures.js';
import { type HostileApp, hostileApp } from '../../emulator/support/ops-app.js';
import { hostileDocument, type Kind, lineOf } from '../../unit/import/hostile.js';
import type { Outcome } from '../harness.js';

const KINDS: readonly Kind[] = ['customers', 'contracts', 'events'];

export interface ImportCase {
  kind: Kind;
  via: 'api' | 'file';
  format: 'ndjson' | 'csv';
  text: string;
  /** Where to put bytes that are not UTF-8 (an overlong NUL, 0xFF), if anywhere. */
  garbleAt?: number;
}

/** The case's bytes: its text, with bytes that are not UTF-8 inserted when it says so. */
function bytesOf(c: ImportCase): Buffer {
  const utf8 = Buffer.from(c.text, 'utf8');
  if (c.garbleAt === undefined) return utf8;
  const i = c.garbleAt % (utf8.length + 1);
  return Buffer.concat([utf8.subarray(0, i), Buffer.from([0xc0, 0x80, 0xff, 0xfe]), utf8.subarray(i)]);
}

/** A text line broken as a careless export breaks it. */
const breakLine = (line: string, how: number): string => {
  switch (how % 6) {
    case 0:
      return line.slice(0, Math.max(1, Math.floor(line.length / 2)));
    case 1:
      return `${line},"unterminated`;
    case 2:
      return `${line}\u0000`;
    case 3:
      return `\uFEFF${line}`;
    case 4:
      return `${line}\r`;
    default:
      return `${line}${line}`;
  }
};

const cell = (v: unknown): string => {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Dotted columns of a document, as the CSV reader nests them back; a deep map becomes a long path. */
function flatten(doc: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()) {
  for (const [k, v] of Object.entries(doc)) {
    const key = `${prefix}${k}`;
    if (typeof v === 'object' && v !== null && 'deep' in v && typeof v.deep === 'number')
      out.set(`${key}.${'a.'.repeat(Math.min(v.deep, 300))}a`, 1);
    else if (typeof v === 'object' && v !== null && !Array.isArray(v) && prefix.split('.').length < 4)
      flatten(Object.fromEntries(Object.entries(v)), `${key}.`, out);
    else out.set(key, v);
  }
  return out;
}

function csvOf(docs: readonly Record<string, unknown>[]): string {
  const rows = docs.map((d) => flatten(d));
  const header = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  return [
    header.map(cell).join(','),
    ...rows.map((r) => header.map((h) => cell(r.get(h) ?? '')).join(',')),
  ].join('\n');
}

function textOf(format: 'ndjson' | 'csv', docs: readonly Record<string, unknown>[]): string {
  return format === 'csv' ? csvOf(docs) : docs.map(lineOf).join('\n');
}

/** One import: hostile documents, some lines then broken as text, or noise. */
const importCase: fc.Arbitrary<ImportCase> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    via: fc.constantFrom('api' as const, 'file' as const),
    format: fc.constantFrom('ndjson' as const, 'csv' as const),
  })
  .chain(({ kind, via, format }) => {
    // The API reads NDJSON (the CLI turns a CSV into NDJSON first); events are NDJSON only.
    const fmt = via === 'api' ? 'ndjson' : format;
    const docs = fc.array(hostileDocument(kind), { minLength: 1, maxLength: 4 });
    const text = fc.oneof(
      { weight: 5, arbitrary: docs.map((d) => textOf(fmt, d)) },
      {
        weight: 3,
        arbitrary: fc.tuple(docs, fc.nat(), fc.nat()).map(([d, which, how]) => {
          const lines = textOf(fmt, d).split('\n');
          const i = which % lines.length;
          lines[i] = breakLine(lines[i] ?? '', how);
          return lines.join('\n');
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 5 })
          .map((l) => l.join('\n')),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 4 })
          .map((v) => v.map((x) => JSON.stringify(x)).join('\n')),
      },
    );
    // One import in eight carries bytes that are not UTF-8.
    const garbleAt = fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.nat() },
    );
    return fc.tuple(text, garbleAt).map(
      ([t, at]): ImportCase => ({
        kind,
        via,
        format: fmt,
        text: t,
        ...(at !== undefined && { garbleAt: at }),
      }),
    );
  });

export interface ImportsEdge {
  cases: fc.Arbitrary<ImportCase>;
  check(c: ImportCase): Promise<Outcome>;
  dispose(): void;
}

export async function importsEdge(store: DynamoStores): Promise<ImportsEdge> {
  // Customers the hostile contracts and events name, so that some imports are accepted.
  await store.documents.putCustomers([customer({ id: 'c-1' }), customer({ id: 'c-2' })]);
  const app: HostileApp = hostileApp(store, 'fuzz-token');
  const dir = mkdtempSync(join(tmpdir(), 'tp-fuzz-imports-'));
  const footprint = () => {
    const f = app.footprint();
    return f.writes + f.effects;
  };
  let n = 0;
  return {
    cases: importCase,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
    async check(c) {
      const before = footprint();
      if (c.via === 'api') {
        const res = await app.app.request(`/v1/${c.kind}:import`, {
          method: 'POST',
          headers: { authorization: 'Bearer fuzz-token', 'content-type': 'application/x-ndjson' },
          body: bytesOf(c),
        });
        await res.text();
        const problem =
          res.status >= 400 && !(res.headers.get('content-type') ?? '').includes('application/problem+json')
            ? `${c.kind}:import answered ${res.status} without a problem document`
            : c.garbleAt !== undefined && res.status < 400
              ? `${c.kind}:import accepted bytes that are not UTF-8 (${res.status})`
              : undefined;
        return {
          status: res.status,
          refused: res.status >= 400,
          wrote: footprint() - before,
          ...(problem && { problem }),
        };
      }
      const path = join(dir, `import-${n++}.${c.format}`);
      writeFileSync(path, bytesOf(c));
      try {
        const result = await importFile({ path, kind: c.kind, store, batchSize: 2 });
        const problem =
          !result.ok && result.errors.some((e) => !Number.isInteger(e.line) || e.line < 1 || e.message === '')
            ? `a line error without a line or a message: ${JSON.stringify(result.errors[0])}`
            : c.garbleAt !== undefined && result.ok
              ? 'a file with bytes that are not UTF-8 was imported'
              : undefined;
        return { refused: !result.ok, wrote: footprint() - before, ...(problem && { problem }) };
      } catch (err) {
        // A file refused as a whole (e.g. events as CSV) is a clear refusal; anything else a crash.
        if (!(err instanceof ImportSourceError)) throw err;
        return { refused: true, wrote: footprint() - before };
      } finally {
        rmSync(path, { force: true });
      }
    },
  };
}
