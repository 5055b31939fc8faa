// The bus consumer (functions/ingest-event.ts): what the webhook accepted it stores; what the store
// cannot keep (published past the webhook, by another publisher or an older API) it refuses with
// one warning naming the paths, never the data, writes nothing, and fails the invocation so that
// Lambda's two async retries end in the DLQ instead of a loop.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/ingest-event.js';
import type { Log, LogAttrs } from '../../../shared/observability/log.js';
import { InvalidEventError, UnknownCustomerError } from '../../../shared/usecases/ingest-event.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

function recordingLog() {
  const lines: { level: string; message: string; attrs: LogAttrs | Error | undefined }[] = [];
  const at =
    (level: string) =>
    (message: string, attrs?: LogAttrs | Error): void => {
      lines.push({ level, message, attrs });
    };
  const log: Log = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    with: () => log,
  };
  return { log, lines };
}

const envelope = (detail: unknown) => ({
  'detail-type': 'CustomerEvent',
  source: 'touchpoint.partner',
  detail,
});
const event = { id: 'ev-1', customerId: 'c1', type: 'app.login', occurredAt: '2026-11-25T08:00:00Z' };
const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

async function setup() {
  const store = memoryStores(manualClock('2026-11-26T09:00:00Z'));
  await store.documents.putCustomers([customer('c1')]);
  const { log, lines } = recordingLog();
  return { store, lines, handle: createHandler({ store }, log) };
}

describe('ingest-event', () => {
  it('stores an event the webhook accepted', async () => {
    const { store, handle } = await setup();
    expect(await handle(envelope(event))).toEqual({ duplicate: false });
    expect([...store.documents.events.keys()]).toEqual(['ev-1']);
  });

  it.each([
    ['nests 20,000 levels deep', { ...event, data: { deep: nested(20_000) } }, 'data.deep'],
    ['has a __proto__ key', { ...event, data: JSON.parse('{"__proto__":{"admin":true}}') }, 'data.__proto__'],
    ['has a 100 KB id', { ...event, id: 'e'.repeat(100_000) }, 'id'],
    ['has a 100 KB data key', { ...event, data: { ['k'.repeat(100_000)]: 1 } }, 'data.kkk'],
    ['occurred in the year +275760', { ...event, occurredAt: '+275760-09-13T00:00:00Z' }, 'occurredAt'],
  ])(
    'refuses an event that %s with one warning naming its path, and writes nothing',
    async (_name, detail, path) => {
      const { store, lines, handle } = await setup();
      const refused = await handle(envelope(detail)).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(InvalidEventError);
      expect(store.documents.events.size).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        message: 'event refused',
        attrs: { reason: 'invalid-event' },
      });
      const text = JSON.stringify(lines[0]?.attrs);
      expect(text).toContain(`"path":"${path}`);
      // Ids and paths, never the values: no admin flag, no 100 KB string in the log.
      expect(text).not.toContain('admin');
      expect(text.length).toBeLessThan(2000);
    },
  );

  it('refuses an event of a customer that no longer exists, with one warning and no write', async () => {
    const { store, lines, handle } = await setup();
    await expect(handle(envelope({ ...event, customerId: 'gone' }))).rejects.toBeInstanceOf(
      UnknownCustomerError,
    );
    expect(store.documents.events.size).toBe(0);
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'event refused']]);
  });
});
