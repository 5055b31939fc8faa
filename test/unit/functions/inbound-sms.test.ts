// The two-way SMS handler (functions/inbound-sms.ts) fed End User Messaging's documented payload
// (docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html) inside an SNS → Lambda
// record (test/fixtures/sms/two-way-sns-event.json): the contract test of the cloud's inbound path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/inbound-sms.js';
import type { Log, LogAttrs } from '../../../shared/observability/log.js';
import type { OutgoingSms, SendResult } from '../../../shared/ports/channels.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const SAMPLE: unknown = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/sms/two-way-sns-event.json'), 'utf8'),
);
const FROM = '+14255550182';

/** The sample with another message body (and id), as a phone would send it. */
function sampleWith(body: string, id = 'in-2'): unknown {
  const text = JSON.stringify(SAMPLE)
    .replace(
      '\\"messageBody\\":\\"EXAMPLE\\"',
      `\\"messageBody\\":${JSON.stringify(JSON.stringify(body)).slice(1, -1)}`,
    )
    .replace('cae173d2-66b9-564c-8309-21f858e9fb84', id);
  return JSON.parse(text);
}

function setup() {
  const lines: { level: string; message: string; attrs: LogAttrs | Error | undefined }[] = [];
  const at = (level: string) => (message: string, attrs?: LogAttrs | Error) => {
    lines.push({ level, message, attrs });
  };
  const log: Log = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    with: () => log,
  };
  const clock = manualClock('2026-12-01T02:00:05Z');
  const store = memoryStores(clock);
  const sent: OutgoingSms[] = [];
  const sms = {
    send: async (m: OutgoingSms): Promise<SendResult> => {
      sent.push(m);
      return { ok: true, providerMessageId: `out-${sent.length}` };
    },
  };
  return { store, sent, lines, handle: createHandler({ store, sms, clock }, log) };
}

describe('inbound-sms handler', () => {
  it("records the documented sample as an sms.reply event of the sender's customer, at the SNS timestamp", async () => {
    const { store, sent, handle } = setup();
    await store.documents.putCustomers([customer('c1', { phone: FROM })]);
    expect(await handle(SAMPLE)).toEqual({ outcomes: ['reply'] });
    expect([...store.documents.events.values()]).toEqual([
      expect.objectContaining({
        customerId: 'c1',
        type: 'sms.reply',
        occurredAt: '2026-12-01T02:00:00.000Z',
        data: { keyword: 'EXAMPLE', text: 'EXAMPLE' },
      }),
    ]);
    expect(sent).toEqual([]);
  });

  it('opts out on STOP in the same payload shape and answers from the configured number', async () => {
    const { store, sent, handle } = setup();
    await store.documents.putCustomers([customer('c1', { phone: FROM })]);
    expect(await handle(sampleWith('Stop'))).toEqual({ outcomes: ['opt-out'] });
    expect((await store.customers.getCustomer('c1'))?.consent.sms).toBe(false);
    expect(sent.map((m) => m.to)).toEqual([FROM]);
  });

  it('logs a reply from an unknown number without the number or the text, and answers nothing', async () => {
    const { sent, lines, handle } = setup();
    expect(await handle(SAMPLE)).toEqual({ outcomes: ['unknown-number'] });
    expect(sent).toEqual([]);
    const logged = JSON.stringify(lines);
    expect(logged).toContain('cae173d2-66b9-564c-8309-21f858e9fb84');
    expect(logged).not.toContain('5550182');
    expect(logged).not.toContain('EXAMPLE');
  });

  it('refuses a malformed message with one warning naming paths, and does not fail the invocation', async () => {
    const { store, sent, lines, handle } = setup();
    await store.documents.putCustomers([customer('c1', { phone: FROM })]);
    const notJson = JSON.parse(
      JSON.stringify(SAMPLE).replace(/"Message":"(?:[^"\\]|\\.)*"/, '"Message":"STOP"'),
    );
    expect(await handle(notJson)).toEqual({ outcomes: ['refused'] });
    expect(await handle(sampleWith('x'.repeat(1601), 'in-3'))).toEqual({ outcomes: ['refused'] });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'inbound SMS refused',
      'inbound SMS refused',
    ]);
    expect(store.documents.events.size).toBe(0);
    expect(sent).toEqual([]);
    expect((await store.customers.getCustomer('c1'))?.consent.sms).toBe(true);
  });

  it('takes a STOP or a reply whose SNS timestamp is outside 1900–2100 at the time of receipt, instead of failing the invocation on it', async () => {
    for (const stamp of ['0001-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '2101-01-01T00:00:00Z']) {
      const { store, handle } = setup();
      await store.documents.putCustomers([customer('c1', { phone: FROM })]);
      const at = (event: unknown) =>
        JSON.parse(JSON.stringify(event).replace('"2026-12-01T02:00:00.000Z"', JSON.stringify(stamp)));
      expect(await handle(at(sampleWith('Stop', 'in-stop'))), stamp).toEqual({ outcomes: ['opt-out'] });
      expect(await handle(at(SAMPLE)), stamp).toEqual({ outcomes: ['reply'] });
      expect([...store.documents.events.values()].map((e) => e.occurredAt)).toEqual([
        '2026-12-01T02:00:05.000Z',
      ]);
      expect((await store.consent.consentHistory('c1')).map((c) => c.at)).toEqual([
        '2026-12-01T02:00:05.000Z',
      ]);
    }
  });

  it('fails the invocation on an event that is not from SNS (Lambda retries it, then the DLQ)', async () => {
    const { handle } = setup();
    await expect(handle({ detail: {} })).rejects.toThrow();
  });
});
