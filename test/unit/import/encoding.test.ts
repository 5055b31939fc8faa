// Import files that are not UTF-8 (an Excel CSV saved as Latin-1 or GBK): refused as a whole, naming
// the line, with nothing stored; decoding them anyway would store U+FFFD in place of every such byte.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportSourceError, importFile } from '../../../shared/import/import-file.js';
import { readDocumentsFrom } from '../../../shared/import/parse.js';
import { FakeImportStore } from './fake-store.js';
import { tmpFiles } from './tmp-files.js';

const files = tmpFiles();
const NOT_UTF8 = Buffer.from([0xe9, 0xff]);
const ndjson = Buffer.concat([
  Buffer.from(
    '{"id":"c-1","name":"Bo","locale":"en-US","timeZone":"UTC","monthlyValue":1,"consent":{"email":true,"sms":false}}\n{"id":"c-2","name":"Ann',
  ),
  NOT_UTF8,
  Buffer.from('","locale":"en-US","timeZone":"UTC","monthlyValue":1,"consent":{"email":true,"sms":false}}\n'),
]);
const csv = Buffer.concat([
  Buffer.from(
    'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms\nc-1,Bo,en-US,UTC,1,true,false\nc-2,Ann',
  ),
  NOT_UTF8,
  Buffer.from(',en-US,UTC,1,true,false\n'),
]);

describe('an import that is not UTF-8', () => {
  it.each([
    ['ndjson', ndjson, 2],
    ['csv', csv, 3],
  ])(
    'refuses a %s file with bytes that are not UTF-8 as a whole, naming the line, and stores nothing, instead of storing U+FFFD',
    async (ext, bytes, line) => {
      const path = files.path(`latin1.${ext}`);
      writeFileSync(path, bytes);
      const store = new FakeImportStore();
      const out = importFile({ path, kind: 'customers', store });
      await expect(out).rejects.toBeInstanceOf(ImportSourceError);
      await expect(out).rejects.toMatchObject({
        problem: 'not-utf8',
        message: expect.stringContaining(`is not UTF-8 text (line ${line})`),
      });
      expect(store.writes).toBe(0);
      expect(store.customerDocs.size).toBe(0);
    },
  );

  it('refuses an uploaded stream with bytes that are not UTF-8, even split across chunks, naming the line', async () => {
    async function* chunks() {
      // The bad bytes straddle a chunk boundary.
      yield ndjson.subarray(0, ndjson.indexOf(0xe9) + 1);
      yield ndjson.subarray(ndjson.indexOf(0xe9) + 1);
    }
    const read = async () => {
      for await (const _ of readDocumentsFrom(chunks(), 'customers', 'ndjson'));
    };
    await expect(read()).rejects.toMatchObject({
      problem: 'not-utf8',
      message: expect.stringMatching(/line 2/),
    });
  });

  it('reads a UTF-8 file whose characters are split across chunks as it is', async () => {
    async function* chunks() {
      const text = Buffer.from(
        '{"id":"c-1","name":"安妮","locale":"zh-CN","timeZone":"UTC","monthlyValue":1,"consent":{"email":true,"sms":false}}\n',
      );
      for (let i = 0; i < text.length; i += 5) yield text.subarray(i, i + 5);
    }
    const values: unknown[] = [];
    for await (const item of readDocumentsFrom(chunks(), 'customers', 'ndjson')) values.push(item);
    expect(values).toEqual([{ line: 1, value: expect.objectContaining({ name: '安妮' }) }]);
  });
});
