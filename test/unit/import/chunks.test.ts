// The cloud's parallel import cuts an upload into byte ranges on record boundaries (shared/import/
// chunks.ts). Read range by range, the file must give exactly the documents, and the line numbers,
// that one pass over the whole file gives: otherwise a refusal would name the wrong line.
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../shared/import/chunks.js';
import { type ParsedLine, readDocumentsFrom } from '../../../shared/import/parse.js';

/** The text's bytes in a few pieces, so breaks and characters fall across pieces. */
async function* bytesOf(text: string, pieces = 7): AsyncGenerator<Uint8Array> {
  const all = Buffer.from(text, 'utf8');
  const size = Math.max(1, Math.ceil(all.length / pieces));
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

async function collect(source: AsyncIterable<ParsedLine>): Promise<ParsedLine[]> {
  const out: ParsedLine[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Every chunk read on its own (CSV: after the header), with its lines renumbered from its firstLine. */
async function readByChunks(text: string, format: 'csv' | 'ndjson', targetBytes: number) {
  const manifest = await planChunks(bytesOf(text), { targetBytes, format });
  const file = Buffer.from(text, 'utf8');
  const docs: ParsedLine[] = [];
  for (const [k, chunk] of manifest.chunks.entries()) {
    const header =
      format === 'csv' && k > 0 && manifest.header ? file.subarray(0, manifest.header.end) : undefined;
    const body = file.subarray(chunk.start, chunk.end);
    const shift = chunk.firstLine - 1 - (header ? 1 : 0);
    const read = await collect(
      readDocumentsFrom(once(header ? Buffer.concat([header, body]) : body), 'customers', format),
    );
    for (const item of read) {
      const line = item.line + shift;
      docs.push('error' in item ? { line, error: { ...item.error, line } } : { line, value: item.value });
    }
  }
  return { manifest, docs };
}

const customer = (i: number) =>
  JSON.stringify({
    id: `c-${i}`,
    name: `Ana ${i}`,
    email: `c${i}@example.com`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: i,
    consent: { email: true, sms: false },
  });

describe('planChunks', () => {
  it('cuts NDJSON with LF, CRLF, lone CR, blank and bad lines so that chunk by chunk reads as the whole file', async () => {
    const breaks = ['\n', '\r\n', '\r', '\n\n', '\r\n\r\n'];
    let text = '';
    for (let i = 0; i < 200; i++)
      text += (i % 37 === 5 ? '{not json' : customer(i)) + breaks[i % breaks.length];
    text += customer(200); // no final line break
    const whole = await collect(readDocumentsFrom(bytesOf(text), 'customers', 'ndjson'));
    for (const target of [1, 100, 1_000, 7_777, 10 ** 9]) {
      const { manifest, docs } = await readByChunks(text, 'ndjson', target);
      expect(docs).toEqual(whole);
      expect(manifest.size).toBe(Buffer.byteLength(text));
      expect(manifest.chunks[0]?.start).toBe(0);
      expect(manifest.chunks.at(-1)?.end).toBe(manifest.size);
      for (let k = 1; k < manifest.chunks.length; k++)
        expect(manifest.chunks[k]?.start).toBe(manifest.chunks[k - 1]?.end);
    }
  });

  it('never cuts CSV inside a quoted field, even one holding line breaks, and gives every chunk the header', async () => {
    let text = 'id,name,email,locale,timeZone,monthlyValue,consent.email,consent.sms\r\n';
    for (let i = 0; i < 150; i++) {
      const name = i % 4 === 0 ? `"Ana\r\n""${i}""\nsecond line"` : i % 4 === 1 ? `"Bo, ${i}"` : `Cy ${i}`;
      text += `c-${i},${name},c${i}@example.com,en-US,UTC,${i},true,false${i % 3 === 0 ? '\n' : '\r\n'}`;
    }
    const whole = await collect(readDocumentsFrom(bytesOf(text), 'customers', 'csv'));
    expect(whole.filter((d) => 'value' in d)).toHaveLength(150);
    for (const target of [1, 60, 500, 4_096]) {
      const { manifest, docs } = await readByChunks(text, 'csv', target);
      expect(manifest.header?.end).toBe(text.indexOf('\r\n') + 2);
      expect(docs).toEqual(whole);
    }
  });

  it('plans a 100,000-line upload into ranges of about the target size, each knowing its first line', async () => {
    const line = `${customer(1)}\n`;
    async function* big(): AsyncGenerator<Uint8Array> {
      const block = Buffer.from(line.repeat(1_000));
      for (let i = 0; i < 100; i++) yield block;
    }
    const target = 2 ** 20;
    const manifest = await planChunks(big(), { targetBytes: target, format: 'ndjson' });
    expect(manifest.lines).toBe(100_000);
    const per = Buffer.byteLength(line);
    for (const chunk of manifest.chunks) {
      expect(chunk.start % per).toBe(0);
      expect(chunk.firstLine).toBe(chunk.start / per + 1);
    }
    expect(manifest.chunks.length).toBe(Math.ceil(manifest.size / (Math.ceil(target / per) * per)));
  });
});
