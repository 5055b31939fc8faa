// The audit log in the one table: a partition per month (`AUDIT#<yyyy-mm>`), sort key
// `<at>#<ulid>` (time order; the ULID keeps two entries of one millisecond apart), expiring after
// AUDIT_RETENTION_DAYS through the table's TTL. Changes are made by people, so a month's partition
// takes a few writes a minute at most: far below a partition's 1,000 writes a second. A page reads
// its month newest first and steps to the month before until the page is full or the retention
// horizon is passed (docs/table-design.md, "Audit log").
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AuditEntry, AuditLog, AuditPage, AuditPosition } from '../ports/audit.js';
import { AUDIT_RETENTION_DAYS, auditEntrySchema } from '../usecases/audit/schemas.js';
import { parseItem } from './items.js';
import type { Table } from './table.js';

const DAY_MS = 86_400_000;
const monthOf = (iso: string): string => iso.slice(0, 7);
const pkOf = (month: string): string => `AUDIT#${month}`;

/** `YYYY-MM` of the month before. */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 2, 1));
  return at.toISOString().slice(0, 7);
}

export class AuditRows implements AuditLog {
  constructor(
    private readonly table: Table,
    private readonly newId: () => string = ulid,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_DAYS * 86_400;
    await this.table.put(
      { pk: pkOf(monthOf(entry.at)), sk: `${entry.at}#${this.newId()}`, ...entry, expiresAt },
      // Never overwrite an entry (a repeated id would be a bug, not a retry).
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  async list(query: { limit: number; after?: AuditPosition; now: Date }): Promise<AuditPage> {
    const horizon = monthOf(new Date(query.now.getTime() - AUDIT_RETENTION_DAYS * DAY_MS).toISOString());
    let month = query.after?.month ?? monthOf(query.now.toISOString());
    let before = query.after?.before;
    const entries: AuditEntry[] = [];
    let last: AuditPosition | undefined;
    while (month >= horizon && entries.length < query.limit) {
      const out = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: before === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :before',
          ExpressionAttributeValues: {
            ':pk': pkOf(month),
            ...(before !== undefined && { ':before': before }),
          },
          ScanIndexForward: false,
          Limit: query.limit - entries.length,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.table.capacity.read += out.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const item of out.Items ?? []) {
        entries.push(parseItem(auditEntrySchema, item));
        last = { month, before: String(item.sk) };
      }
      if (out.LastEvaluatedKey === undefined) {
        month = previousMonth(month);
        before = undefined;
      } else {
        // A full page, or DynamoDB's 1 MB cut: go on in this month after the last entry read.
        before = last?.before;
      }
    }
    const more = entries.length >= query.limit && last !== undefined;
    return more && last ? { entries, next: last } : { entries };
  }
}
