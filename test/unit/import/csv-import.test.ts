import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../shared/import/import-file.js';
import { type ParsedLine, readDocuments } from '../../../shared/import/parse.js';
import { FakeImportStore } from './fake-store.js';
import { tmpFiles } from './tmp-files.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');
const files = tmpFiles();

async function collect(lines: AsyncIterable<ParsedLine>): Promise<ParsedLine[]> {
  const out: ParsedLine[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

// examples/customers.ndjson as a spreadsheet would export it (columns in another order, 1/0 booleans).
const CUSTOMERS_CSV = `\uFEFFid,name,email,phone,locale,timeZone,birthday,monthlyValue,consent.email,consent.sms,lastActivityAt,attributes.city
c-1001,Li Wei,li.wei@example.com,+8613800138000,zh-CN,Asia/Shanghai,1988-02-29,620,true,1,2026-11-20T03:15:00Z,Shanghai
c-1002,"Maria Garcia",maria.garcia@example.com,+14155550123,en-US,America/Los_Angeles,12-06,180,1,true,2026-09-27T18:00:00Z,
c-1003,Chen Jing,chen.jing@example.com,+8613900139000,zh-CN,Asia/Shanghai,07-14,45,true,true,2026-10-01T09:00:00Z,
c-1004,Tom Baker,tom.baker@example.com,+442079460000,en-GB,Europe/London,,95,true,false,2026-08-28T12:00:00Z,

c-1005,Aroha Ngata,,+64211234567,en-NZ,Pacific/Auckland,11-30,510,0,1,2026-11-01T00:00:00Z,
c-1006,Zhang Min,zhang.min@example.com,,zh-CN,Asia/Shanghai,,130,true,true,2026-11-10T06:00:00Z,
`;

describe('CSV imports', () => {
  it('read customers with flattened consent and attributes as the same documents as the NDJSON', async () => {
    const fromNdjson = new FakeImportStore();
    await importFile({ path: join(EXAMPLES, 'customers.ndjson'), kind: 'customers', store: fromNdjson });
    for (const eol of ['\n', '\r\n']) {
      const fromCsv = new FakeImportStore();
      const path = files.write(`customers-${eol.length}.csv`, CUSTOMERS_CSV.replaceAll('\n', eol));
      expect(await importFile({ path, kind: 'customers', store: fromCsv })).toEqual({
        ok: true,
        count: 6,
        written: 6,
      });
      expect(fromCsv.customerDocs).toEqual(fromNdjson.customerDocs);
    }
  });

  it('number records by the line they start on when quoted fields hold commas and line breaks', async () => {
    const csv = [
      'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms,attributes.note',
      'a-1,"Smith, John",en-US,America/New_York,10,true,false,"line one',
      'line two, with a comma"',
      'a-2,Ann,en-US,America/New_York,-1,true,false,plain',
      'a-3,"Multi',
      'Line, ""Name""",en-US,Nowhere/Zone,5,yes,0,x',
      'a-4,Bob,en-US,UTC,1,true,true,"quoted ""note"""',
    ].join('\n');
    const path = files.write('quoted.csv', csv);
    const parsed = await collect(readDocuments(path, 'customers'));
    expect(parsed.map((p) => p.line)).toEqual([2, 4, 5, 7]);
    expect(parsed[0]).toEqual({
      line: 2,
      value: {
        id: 'a-1',
        name: 'Smith, John',
        locale: 'en-US',
        timeZone: 'America/New_York',
        monthlyValue: 10,
        consent: { email: true, sms: false },
        attributes: { note: 'line one\nline two, with a comma' },
      },
    });
    const store = new FakeImportStore();
    const result = await importFile({ path, kind: 'customers', store });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 4, path: 'monthlyValue', message: 'must be ≥ 0' },
      // A name is one line (it goes into subjects): the quoted line break is refused at its record's line.
      {
        line: 5,
        path: 'name',
        message: 'must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
      },
      { line: 5, path: 'timeZone', message: 'must be an IANA time zone such as Asia/Shanghai' },
      {
        line: 5,
        path: 'consent.email',
        message: 'expected a boolean (true/false, or 1/0 in CSV), got "yes"',
      },
    ]);
    expect(store.writes).toBe(0);
  });

  it('types attributes by their look: canonical numbers, true/false, else text', async () => {
    const path = files.write(
      'attributes.csv',
      'id,attributes.zip,attributes.score,attributes.big,attributes.vip,attributes.code,attributes.ratio\n' +
        'c-1,02139,42,1e3,true,TRUE,0.5\n',
    );
    const [first] = await collect(readDocuments(path, 'customers'));
    expect(first).toEqual({
      line: 2,
      value: {
        id: 'c-1',
        attributes: { zip: '02139', score: 42, big: '1e3', vip: true, code: 'TRUE', ratio: 0.5 },
      },
    });
  });

  it('refuses unknown columns at their path, and rows with the wrong number of fields', async () => {
    const path = files.write(
      'contracts.csv',
      'id,customerId,product,startDate,endDate,status,consent.email,colour\n' +
        'k-1,c-1,p,2026-01-01,2026-12-31,active,,blue\n' +
        'k-2,c-1,p,2026-01-01,2026-12-31,active,true\n',
    );
    const result = await importFile({ path, kind: 'contracts', store: new FakeImportStore() });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 2, path: 'colour', message: 'unknown field' },
      { line: 3, path: '', message: 'has 7 fields; the header (line 1) has 8' },
    ]);
  });

  it('reports header problems on the header line and reads no rows', async () => {
    const path = files.write('header.csv', '\n\nid,name,name,consent,consent.sms,\nc-1,a,b,c,d,e\n');
    const result = await importFile({ path, kind: 'customers', store: new FakeImportStore() });
    expect(result).toMatchObject({ ok: false, count: 0 });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 3, path: 'name', message: 'column name appears twice' },
      { line: 3, path: '', message: 'column 6 has an empty name ("")' },
      { line: 3, path: 'consent.sms', message: 'column consent.sms conflicts with consent' },
    ]);
  });

  it('reports CSV syntax errors at the record line and keeps checking the rest', async () => {
    const path = files.write(
      'syntax.csv',
      'id,customerId,product,startDate,endDate,status\nk-1,c-1,p"x,a,b,c\nk-2,,p,x,y,z\n',
    );
    const result = await importFile({ path, kind: 'contracts', store: new FakeImportStore() });
    expect(result.ok ? [] : result.errors.map((e) => `${e.line} ${e.path}`)).toEqual([
      '2 ',
      '3 customerId',
      '3 startDate',
      '3 endDate',
      '3 status',
    ]);
  });

  it('accepts a CSV without a .csv extension by its look, and refuses CSV for events', async () => {
    const data = files.write(
      'contracts.txt',
      'id,customerId,product,startDate,endDate,status\nk-1,c-1,p,2026-01-01,2026-12-31,active\n',
    );
    expect(await importFile({ path: data, kind: 'contracts', store: new FakeImportStore() })).toEqual({
      ok: true,
      count: 1,
      written: 1,
    });
    const events = files.write(
      'events.csv',
      'id,customerId,type,occurredAt\ne-1,c-1,x,2026-01-01T00:00:00Z\n',
    );
    await expect(
      importFile({ path: events, kind: 'events', store: new FakeImportStore() }),
    ).rejects.toMatchObject({
      name: 'ImportSourceError',
      problem: 'unsupported-format',
    });
  });
});
