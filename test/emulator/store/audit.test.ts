// The audit log on DynamoDB Local (shared/store/audit.ts): a month's partition per page read newest
// first, stepping back a month at a time to the retention horizon; each entry expires with the TTL;
// a page costs what it reads, not the log's size.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/ports/audit.js';
import { AuditRows } from '../../../shared/store/audit.js';
import { Table } from '../../../shared/store/table.js';
import { createTestStore } from '../support/ddb.js';

let table: Table;
let client: Awaited<ReturnType<typeof createTestStore>>['client'];
beforeAll(async () => {
  const made = await createTestStore();
  client = made.client;
  table = new Table(made.client, made.tableName);
});

const entry = (at: string, n: number): AuditEntry => ({
  at,
  actor: { subject: 's', name: 'ann@example.com', role: 'editor', via: 'cognito' },
  method: 'POST',
  path: `/v1/campaigns/c${n}/pause`,
  route: '/v1/campaigns/{id}/pause',
  status: 200,
  outcome: 'ok',
  target: `c${n}`,
});

describe('AuditRows', () => {
  it('pages newest first across months, to the last entry, each once', async () => {
    const rows = new AuditRows(table);
    const ats = [
      '2026-09-30T23:59:59.000Z',
      '2026-10-01T00:00:00.000Z',
      '2026-10-15T12:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-02T10:00:00.000Z',
    ];
    for (const [i, at] of ats.entries()) await rows.append(entry(at, i));
    const now = new Date('2026-12-02T12:00:00Z');
    const seen: AuditEntry[] = [];
    let after: Parameters<AuditRows['list']>[0]['after'];
    let pages = 0;
    do {
      const page = await rows.list({ limit: 2, now, ...(after && { after }) });
      seen.push(...page.entries);
      after = page.next;
      pages++;
    } while (after !== undefined && pages < 10);
    expect(seen.map((e) => e.at)).toEqual([...ats].reverse());
    expect(new Set(seen.map((e) => e.target)).size).toBe(ats.length);
    expect(seen[0]).toEqual(entry(ats[5] ?? '', 5));
  });

  it('keeps each entry 400 days (the table’s TTL attribute) under AUDIT#<yyyy-mm>', async () => {
    const rows = new AuditRows(table, () => '01JTESTTESTTESTTESTTESTTES');
    await rows.append(entry('2027-03-04T05:06:07.000Z', 9));
    const out = await client.send(
      new GetCommand({
        TableName: table.name,
        Key: { pk: 'AUDIT#2027-03', sk: '2027-03-04T05:06:07.000Z#01JTESTTESTTESTTESTTESTTES' },
      }),
    );
    expect(out.Item?.expiresAt).toBe(Date.parse('2027-03-04T05:06:07.000Z') / 1000 + 400 * 86_400);
    // The same id twice is refused, never an overwrite.
    await expect(rows.append(entry('2027-03-04T05:06:07.000Z', 10))).rejects.toThrow();
  });

  it('reads nothing older than the retention horizon, and an empty log costs a read per month at most', async () => {
    const rows = new AuditRows(table);
    const now = new Date('2029-06-01T00:00:00Z');
    table.resetCapacity();
    // 2029-06 back to 2028-04 (400 days): 15 empty month queries, nothing from 2026 or 2027.
    expect(await rows.list({ limit: 10, now })).toEqual({ entries: [] });
    expect(table.capacity.read).toBeLessThanOrEqual(15 * 0.5);
    await rows.append(entry('2028-03-15T00:00:00.000Z', 20));
    await rows.append(entry('2028-05-01T00:00:00.000Z', 21));
    const page = await rows.list({ limit: 10, now });
    expect(page.entries.map((e) => e.target)).toEqual(['c21']);
    const old = await client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#2026-12' },
      }),
    );
    expect(old.Items?.length).toBe(3);
  });
});
