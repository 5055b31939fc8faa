// import customers|contracts|events (inline): all or nothing. Every bad line is reported (the first
// 1000 in detail) and nothing is stored; a valid batch is upserted (events inserted if absent).
import { type ImportResult, type ImportStore, importParsed } from '../../import/import-file.js';
import type { ParsedLine } from '../../import/parse.js';
import type { DocumentKind } from '../../import/validate.js';

/** As many problems as an answer lists in detail; all of them are counted. */
export const MAX_LISTED_ERRORS = 1000;

export function importDocumentLines(
  deps: ImportStore,
  input: { kind: DocumentKind; read: () => AsyncIterable<ParsedLine> },
): Promise<ImportResult> {
  return importParsed(input.read, input.kind, deps, { maxErrors: MAX_LISTED_ERRORS });
}
