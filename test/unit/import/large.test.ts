import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/domain/documents.js';
import { importFile } from '../../../shared/import/import-file.js';
import { FakeImportStore } from './fake-store.js';
import { tmpFiles } from './tmp-files.js';

const files = tmpFiles();
const LINES = 200_000;
const CUSTOMERS = 1_000;

/** Writes the file a slice at a time, so the test itself never holds it whole. */
async function writeEvents(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let start = 0; start < LINES; start += 10_000) {
    const slice: string[] = [];
    for (let i = start; i < start + 10_000; i++) {
      slice.push(
        JSON.stringify({
          id: `ev-${i}`,
          customerId: `c-${i % CUSTOMERS}`,
          type: i % 3 === 0 ? 'purchase' : 'app.login',
          occurredAt: `2026-11-${String((i % 28) + 1).padStart(2, '0')}T12:00:00Z`,
          data: { ticket: `T-${i}`, channel: 'web', amount: i % 500, note: 'x'.repeat(60) },
        }),
      );
    }
    if (!out.write(`${slice.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function customer(id: string): Customer {
  return {
    id,
    name: id,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 0,
    consent: { email: false, sms: false },
  };
}

describe('a large import', () => {
  it(`streams ${LINES.toLocaleString('en')} lines with bounded memory and writes in batches`, async () => {
    const path = files.path('events.ndjson');
    await writeEvents(path);
    // Events are the cheapest kind to validate; the point here is the streaming, not the schemas.
    const store = new FakeImportStore(false);
    for (let i = 0; i < CUSTOMERS; i++) store.customerDocs.set(`c-${i}`, customer(`c-${i}`));
    const putEvents = store.documents.putEvents.bind(store);
    let firstIds: string[] = [];
    let lastIds: string[] = [];
    store.documents.putEvents = async (events) => {
      if (firstIds.length === 0) firstIds = events.slice(0, 2).map((e) => e.id);
      lastIds = events.slice(-2).map((e) => e.id);
      await putEvents(events);
      // The fake keeps no documents for this test (only ids would grow with the file).
      store.events.clear();
      return events.map((e) => e.id);
    };

    const start = process.memoryUsage().heapUsed;
    let peak = start;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const batchSize = 777;
    const result = await importFile({ path, kind: 'events', store, batchSize, onProgress: sample });

    expect(result).toEqual({ ok: true, count: LINES, written: LINES, newEvents: LINES });
    const full = Math.floor(LINES / batchSize);
    expect(store.writeBatches).toEqual([...Array(full).fill(batchSize), LINES - full * batchSize]);
    expect(firstIds).toEqual(['ev-0', 'ev-1']);
    expect(lastIds).toEqual([`ev-${LINES - 2}`, `ev-${LINES - 1}`]);
    // The file is ~40 MB of text; holding it whole, parsed, would take well over this bound.
    const grownMb = (peak - start) / 2 ** 20;
    console.log(`heap grew at most ${grownMb.toFixed(0)} MB`);
    expect(grownMb, 'heap growth in MB').toBeLessThan(150);
  }, 600_000);
});
