// Pass 1 of an import: read everything, validate every line, and collect every problem, writing nothing.
import type { Stores } from '../store/stores.js';
import type { AttributionStores } from '../usecases/results/attribute.js';
import type { ParsedLine } from './parse.js';
import { type DocumentKind, IdRegistry, type LineError, rawId, validateDocument } from './validate.js';

/** Documents, and attribution's stores: an imported contract or event may be a conversion. */
export type ImportStore = Pick<Stores, 'documents'> & AttributionStores;
export type ImportProgress = { phase: 'validate' | 'write'; lines: number; written: number };

/** How much of a path or message an error keeps: a 100 KB key or a quoted 100 KB value says no more. */
export const MAX_ERROR_TEXT = 300;
const bounded = (text: string): string =>
  text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text;

/**
 * Keeps the `max` errors with the lowest line numbers and counts all of them, so a file of a million
 * bad lines reports the first thousand and "and 999,000 more" without holding them all.
 */
export class ErrorLog {
  #errors: LineError[] = [];
  #total = 0;
  constructor(private readonly max: number) {}

  add(error: LineError): void {
    this.#total++;
    this.#errors.push({ line: error.line, path: bounded(error.path), message: bounded(error.message) });
    // Errors arrive nearly in line order (customer checks lag by one batch); trim in bulk, not per add.
    if (this.#errors.length >= 2 * this.max + 64) this.#trim();
  }

  get total(): number {
    return this.#total;
  }

  /** The kept errors in line order (stable: a line's errors keep their order). */
  errors(): LineError[] {
    this.#trim();
    return [...this.#errors];
  }

  #trim(): void {
    this.#errors.sort((a, b) => a.line - b.line);
    this.#errors.length = Math.min(this.#errors.length, this.max);
  }
}

/** Events must name a customer that exists; ids are looked up a batch at a time. */
class CustomerCheck {
  #pending: { line: number; customerId: string }[] = [];
  // Ids already found, so files with many events per customer do not ask again. Capped to bound memory.
  readonly #known = new Set<string>();
  static readonly KNOWN_CAP = 100_000;

  constructor(
    private readonly store: ImportStore,
    private readonly batchSize: number,
    private readonly log: ErrorLog,
  ) {}

  async add(line: number, customerId: string): Promise<void> {
    if (this.#known.has(customerId)) return;
    this.#pending.push({ line, customerId });
    if (this.#pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    const existing = await this.store.documents.existingCustomerIds([
      ...new Set(pending.map((p) => p.customerId)),
    ]);
    for (const { line, customerId } of pending) {
      if (existing.has(customerId)) {
        if (this.#known.size < CustomerCheck.KNOWN_CAP) this.#known.add(customerId);
      } else {
        this.log.add({ line, path: 'customerId', message: `unknown customer ${customerId}` });
      }
    }
  }
}

export interface CheckOptions {
  batchSize: number;
  maxErrors: number;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Each document's id and line, instead of refusing duplicates here: a part of a file read on its
   * own cannot see the other parts, so duplicates are found across all of them afterwards.
   */
  onId?: ((id: string, line: number) => void) | undefined;
}

/** Validates every line; returns how many documents were read and the problems found. */
export async function checkAll(
  lines: AsyncIterable<ParsedLine>,
  kind: DocumentKind,
  store: ImportStore,
  opts: CheckOptions,
): Promise<{ count: number; log: ErrorLog }> {
  const log = new ErrorLog(opts.maxErrors);
  const ids = new IdRegistry();
  const customers = kind === 'events' ? new CustomerCheck(store, opts.batchSize, log) : undefined;
  let count = 0;
  for await (const item of lines) {
    if ('error' in item) {
      log.add(item.error);
      continue;
    }
    count++;
    const { line, value } = item;
    if (opts.onId) {
      const id = IdRegistry.keyOf(rawId(value));
      if (id !== undefined) opts.onId(id, line);
    } else {
      const duplicate = ids.check(rawId(value), line);
      if (duplicate) log.add(duplicate);
    }
    const result = validateDocument(kind, value, line);
    if (!result.ok) {
      for (const error of result.errors) log.add(error);
    } else if (customers && 'customerId' in result.doc) {
      await customers.add(line, result.doc.customerId);
    }
    if (count % opts.batchSize === 0) {
      opts.signal?.throwIfAborted();
      opts.onProgress?.({ phase: 'validate', lines: count, written: 0 });
    }
  }
  await customers?.flush();
  opts.onProgress?.({ phase: 'validate', lines: count, written: 0 });
  return { count, log };
}
