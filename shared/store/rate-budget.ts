// The shared send schedule: one item per channel (`RATE#<channel>`) holding the next free send time
// (`nextAt`, epoch ms; the "theoretical arrival time" of GCRA). A send books the time with one
// conditional update: `nextAt + interval` when the channel is busy, `now + interval` when it is idle.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Booking, RateSchedule } from '../ports/rate-budget.js';
import type { Table } from './table.js';

export const rateScheduleKey = (channel: string) => ({ pk: `RATE#${channel}`, sk: 'RATE' });

const refused = async <T>(write: () => Promise<T>): Promise<T | 'refused'> => {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return 'refused';
    throw err;
  }
};

export class RateScheduleRows implements RateSchedule {
  constructor(private readonly table: Table) {}

  async book(channel: string, now: number, intervalMs: number, horizon: number): Promise<Booking> {
    const key = rateScheduleKey(channel);
    // Busy: take the next time in line (the common case while a run sends).
    const busy = await refused(() =>
      this.table.update(key, {
        UpdateExpression: 'SET nextAt = nextAt + :interval',
        ConditionExpression: 'nextAt > :now AND nextAt < :horizon',
        ExpressionAttributeValues: { ':interval': intervalMs, ':now': now, ':horizon': horizon },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    if (busy !== 'refused') {
      const at = busy?.nextAt;
      if (typeof at === 'number') return { sendAt: at };
    }
    // Idle: the next free time has passed (or was never set), so now is free.
    const idle = await refused(() =>
      this.table.update(key, {
        UpdateExpression: 'SET nextAt = :next',
        ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
        ExpressionAttributeValues: { ':next': now + intervalMs, ':now': now },
      }),
    );
    if (idle !== 'refused') return { sendAt: now };
    // Neither: booked up to the horizon, or another sender moved nextAt between our two writes.
    const item = await this.table.get(key, { ConsistentRead: true });
    const nextAt = item?.nextAt;
    return { retryAt: typeof nextAt === 'number' && nextAt >= horizon ? nextAt - (horizon - now) : now };
  }
}
