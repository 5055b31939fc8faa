// `touchpoint bus dlq`: the events the local bus gave up on after the template's retries (a handler
// that throws: Lambda's 2 asynchronous retries, then the function's DLQ) are listed from the data
// dir, as the cloud keeps them in its dead-letter queues. The bus is the synthesized template's, its target functions/ingest-event.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busRulesFromTemplate, DLQ_FILE, RuleBus } from '../../../local/bus-rules.js';
import { LocalBus } from '../../../local/local-bus.js';
import { loadTemplate } from '../../../local/synth.js';
import { EVENT_NAMES } from '../../../shared/config/events.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';
import { cli } from './cli.js';

let dataDir = '';
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-bus-dlq-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });

describe('touchpoint bus dlq', () => {
  it('lists nothing, and says so, while no event was dead-lettered', async () => {
    const res = await cli(['bus', 'dlq'], { dataDir });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(await cli(['bus'], { dataDir })).toMatchObject({ code: 2 });
  });

  it("lists an event the ingest target refused on every one of the template's retries", async () => {
    const { template } = await loadTemplate();
    const inner = new LocalBus();
    const bus = new RuleBus({
      inner,
      rules: busRulesFromTemplate(template),
      deps: {
        store: memoryStores(),
        email: { send: async () => ({ ok: false as const, retryable: false, error: 'n/a' }) },
        sms: { send: async () => ({ ok: false as const, retryable: false, error: 'n/a' }) },
        events: inner,
        clock: { now: () => new Date('2026-11-26T12:00:00Z') },
        links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
      },
      deadLetterFile: join(dataDir, DLQ_FILE),
      backoffMs: () => 0,
    });
    const detail = {
      id: 'ev-dlq',
      customerId: 'c-1',
      type: 'app.login',
      occurredAt: '2026-11-26T11:00:00Z',
      data: nested(40),
    };
    await bus.publish([{ source: EVENT_NAMES.partnerSource, detailType: EVENT_NAMES.customerEvent, detail }]);
    await bus.settled();

    const res = await cli(['bus', 'dlq', '--json'], { dataDir });
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      rule: expect.stringContaining('InboundPartnerEvents'),
      target: expect.stringContaining('InboundIngestEvent'),
      // The handler threw: Lambda's asynchronous retries (2), then the function's DLQ.
      deadLetterArn: expect.stringContaining('InboundIngestEventDlq'),
      attempts: 3,
      detail: { id: 'ev-dlq' },
    });
    const text = await cli(['bus', 'dlq'], { dataDir });
    expect(text.stdout).toContain('after 3 attempts');
  });
});
