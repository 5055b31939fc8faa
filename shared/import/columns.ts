// CSV rows → documents: dotted column names become nested fields, and cells are typed by what the
// target schema expects there, so a CSV row validates exactly like the same document in NDJSON.
import * as z from 'zod';
// From zod/v4/core, not `z.core`: naming the namespace as a value bundles all of it (every locale, 320 KB).
import { $ZodType } from 'zod/v4/core';
import { MAX_DEPTH } from '../domain/limits.js';
import type { LineError } from './validate.js';

/** How a cell is read: as the schema's type there, or by its look for free-form values (attributes.*). */
export type CellType = 'string' | 'number' | 'boolean' | 'inferred';

/** The cell type at a dotted path of an object schema; paths the schema does not know stay strings. */
export function cellTypeAt(schema: $ZodType, path: readonly string[]): CellType {
  let current: $ZodType = schema;
  for (const key of path) {
    const inner = unwrap(current);
    if (inner instanceof z.ZodObject) {
      const next: unknown = inner.shape[key];
      if (!(next instanceof $ZodType)) return 'string';
      current = next;
    } else if (inner instanceof z.ZodRecord) {
      current = inner.valueType;
    } else {
      return 'string';
    }
  }
  const leaf = unwrap(current);
  if (leaf instanceof z.ZodNumber) return 'number';
  if (leaf instanceof z.ZodBoolean) return 'boolean';
  if (leaf instanceof z.ZodUnion && leaf.options.some((o) => !(unwrap(o) instanceof z.ZodString))) {
    return 'inferred';
  }
  return 'string';
}

function unwrap(schema: $ZodType): $ZodType {
  let s = schema;
  // A pipe (the free-form maps' preprocess, which checks what the store can keep) reads as its output.
  while (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodDefault ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodPipe
  )
    s = s instanceof z.ZodPipe ? s.out : s.unwrap();
  return s;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell's value. What cannot be read as the expected type stays the original string, so the schema
 * refuses it at its path with the value quoted ("expected a number, got \"abc\"").
 */
export function readCell(text: string, type: CellType): string | number | boolean {
  switch (type) {
    case 'string':
      return text;
    case 'number':
      return NUMBER.test(text.trim()) ? Number(text.trim()) : text;
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return text;
    case 'inferred':
      // Only canonical numbers become numbers, so a zip code '02139' or an id '1e3' keeps its text.
      if (text === 'true') return true;
      if (text === 'false') return false;
      return text.trim() !== '' && String(Number(text)) === text ? Number(text) : text;
  }
}

export interface Column {
  name: string;
  path: string[];
  type: CellType;
}

/** The columns of a header row, or the reasons it cannot be used (reported on the header's line). */
export function readHeader(
  fields: readonly string[],
  line: number,
  schema: $ZodType,
): { ok: true; columns: Column[] } | { ok: false; errors: LineError[] } {
  const errors: LineError[] = [];
  const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const parts = name.split('.');
    if (name === '' || parts.some((part) => part === '')) {
      errors.push({ line, path: '', message: `column ${i + 1} has an empty name ("${name}")` });
    } else if (parts.length > MAX_DEPTH) {
      // Such a column would build a document deeper than the store keeps (and than JSON.stringify can write).
      errors.push({
        line,
        path: '',
        message: `column ${i + 1} nests ${parts.length} levels deep; at most ${MAX_DEPTH} are allowed`,
      });
    } else if (seen.has(name)) {
      errors.push({ line, path: name, message: `column ${name} appears twice` });
    } else {
      seen.add(name);
    }
  });
  for (const name of seen) {
    // `consent` and `consent.email` cannot both be the value of consent.
    const parent = name.split('.').slice(0, -1);
    for (let n = 1; n <= parent.length; n++) {
      const prefix = parent.slice(0, n).join('.');
      if (seen.has(prefix))
        errors.push({ line, path: name, message: `column ${name} conflicts with ${prefix}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    columns: names.map((name) => {
      const path = name.split('.');
      return { name, path, type: cellTypeAt(schema, path) };
    }),
  };
}

/** A row as a nested document; empty cells are absent fields. */
export function rowToDocument(
  columns: readonly Column[],
  fields: readonly string[],
): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const text = fields[i] ?? '';
    if (text === '') return;
    let target = doc;
    for (const key of column.path.slice(0, -1)) {
      const existing = Object.hasOwn(target, key) ? target[key] : undefined;
      if (isRecord(existing)) {
        target = existing;
      } else {
        const created: Record<string, unknown> = {};
        setOwn(target, key, created);
        target = created;
      }
    }
    const leaf = column.path[column.path.length - 1];
    if (leaf !== undefined) setOwn(target, leaf, readCell(text, column.type));
  });
  return doc;
}

/** Defines rather than assigns, so a column named `__proto__` is a field the schema refuses, not a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
