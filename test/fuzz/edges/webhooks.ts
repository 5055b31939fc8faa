// Partner webhooks, headers and bodies, signed and unsigned: POST /webhooks/{partnerId} through the
// local API's composition (the Hono app, partners and receipts in DynamoDB Local, the template's bus
// rule to ingest-event; test/emulator/support/webhooks.ts). A body is a valid event with one field
// made hostile, a hostile event, arbitrary JSON or text; the headers are signed with acme's secret,
// with another secret, with a tampered signature, timestamp or id, missing, or noise; the content
// type and the partner in the path vary. A refusal (4xx problem) writes nothing but, for a partner
// whose signature verified, one ADD to its hour's refusal counter (PARTNERLOG#acme / R#<hour>#<reason>,
// docs/webhooks.md): every written key is checked, so any other write still fails the edge. An
// accepted event is stored by the bus rule, which is the route's job.
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newSecret } from '../../../shared/partners/secrets.js';
import { HOSTILE_IDS, HOSTILE_STRINGS } from '../../emulator/support/hostile-inputs.js';
import { START, webhookTestBed } from '../../emulator/support/webhooks.js';
import type { Outcome } from '../harness.js';
import { recordWrites } from '../write-keys.js';

/** The one item a refusal may write: acme's counter of the current hour and a refusal reason. */
const REFUSAL_COUNTER = {
  pk: /^PARTNERLOG#acme$/,
  sk: /^R#\d{4}-\d{2}-\d{2}T\d{2}#(throttled|unsupported-media-type|not-json|invalid-event|future-event|unknown-customer)$/,
};

export interface WebhookCase {
  partner: string;
  body: string;
  signing: 'signed' | 'other-secret' | 'tampered-body' | 'tampered-signature' | 'unsigned' | 'noise';
  webhookId: string;
  /** Seconds the timestamp is off the clock. */
  skew: number;
  omit: readonly string[];
  contentType: string;
  noise: Record<string, string>;
}

const deep = fc.integer({ min: 30, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
const MARKER = '"\u0000deep\u0000"';

const hostileField = fc.oneof(
  fc.constantFrom(...Object.values(HOSTILE_STRINGS)),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom({ __proto__: null, polluted: true }, { ['k'.repeat(300)]: 1 }, { '': 1 }, 1e300, -0),
);

const body: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        id: fc.stringMatching(/^ev-[a-z0-9]{1,10}$/),
        customerId: fc.constantFrom('c-1', 'c-2', 'c-404'),
        type: fc.constantFrom('app.login', 'purchase'),
        occurredAt: fc.constantFrom(
          '2026-11-26T11:00:00Z',
          '2026-11-26T12:30:00Z',
          '2026-11-25T00:00:00+08:00',
        ),
        data: fc.constant({ k: 1 }),
      })
      .chain((valid) =>
        fc
          .tuple(fc.constantFrom('none', ...Object.keys(valid), 'extra'), hostileField, fc.boolean())
          .map(([field, v, nest]) => {
            if (field === 'none') return JSON.stringify(valid);
            if (nest && (field === 'data' || field === 'extra'))
              return JSON.stringify({ ...valid, [field]: '\u0000deep\u0000' }).replace(
                MARKER,
                `${'{"a":'.repeat(70)}1${'}'.repeat(70)}`,
              );
            return JSON.stringify({ ...valid, [field]: v });
          }),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: deep },
);

const headerText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('v1,', 'v1,AAAA', 'v2,abc', ' ', `v1,${'A'.repeat(10_000)}`, '1e99', '-1', 'NaN', '0x10'),
);

const webhookCase: fc.Arbitrary<WebhookCase> = fc.record({
  partner: fc.oneof(
    { weight: 8, arbitrary: fc.constant('acme') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('nobody', '..%2F..', '~sms-inbound', encodeURIComponent('客'.repeat(300))),
    },
  ),
  body,
  signing: fc.constantFrom(
    'signed',
    'signed',
    'signed',
    'other-secret',
    'tampered-body',
    'tampered-signature',
    'unsigned',
    'noise',
  ),
  webhookId: fc.oneof(
    { weight: 6, arbitrary: fc.uuid() },
    {
      weight: 1,
      arbitrary: fc.constantFrom('replayed-id', ...Object.values(HOSTILE_IDS).filter((s) => s.length < 5000)),
    },
  ),
  skew: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
  ),
  omit: fc
    .subarray(['webhook-id', 'webhook-timestamp', 'webhook-signature'])
    .map((o) => (o.length === 3 ? o : o.slice(0, 1))),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        '',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
      ),
    },
  ),
  noise: fc.dictionary(
    fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature'),
    headerText.map((t) => t.replace(/[\r\n\0]/g, '')),
    { maxKeys: 2 },
  ),
});

export interface WebhooksEdge {
  cases: fc.Arbitrary<WebhookCase>;
  check(c: WebhookCase): Promise<Outcome>;
}

export async function webhooksEdge(): Promise<WebhooksEdge> {
  const bed = webhookTestBed();
  await bed.setup();
  bed.makeApp();
  const other = newSecret(new Date(START)).secret;
  const footprint = () => bed.store.capacity.write;
  const writes = recordWrites(bed.table.client);
  return {
    cases: webhookCase,
    async check(c) {
      bed.clock.t += 1000; // one request a second: under the partner's rate
      const at = new Date(bed.clock.t + c.skew * 1000);
      const sign = (secret: string, text: string) => new Webhook(secret).sign(c.webhookId, at, text);
      const signature =
        c.signing === 'other-secret'
          ? sign(other, c.body)
          : c.signing === 'tampered-body'
            ? sign(bed.secret, `${c.body} `)
            : c.signing === 'tampered-signature'
              ? sign(bed.secret, c.body).replace(/.{4}$/, 'AAAA')
              : sign(bed.secret, c.body);
      const headers: Record<string, string> = {
        'content-type': c.contentType,
        'webhook-id': c.webhookId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      };
      if (c.signing === 'unsigned') for (const h of c.omit) delete headers[h];
      if (c.signing === 'noise') Object.assign(headers, c.noise);
      // Header values travel as bytes: a UTF-8 id arrives as its bytes read as Latin-1 (as Node reads
      // them); CR, LF and NUL cannot be in a header at all (HTTP ends the header there).
      for (const [h, v] of Object.entries(headers))
        headers[h] = Buffer.from(v.replace(/[\r\n\0]/g, ''), 'utf8').toString('latin1');
      const before = footprint();
      writes.take();
      const res = await bed.app.request(`/webhooks/${c.partner}`, { method: 'POST', body: c.body, headers });
      await res.text();
      await bed.bus?.settled();
      const units = footprint() - before;
      const keys = writes.take();
      const counters = keys.filter(
        (k) =>
          k.command.startsWith('Update') && REFUSAL_COUNTER.pk.test(k.pk) && REFUSAL_COUNTER.sk.test(k.sk),
      );
      // Refused: every write but one counter ADD counts, and so does any unit the keys do not
      // explain (a counter item is under 1 KB: 1 WCU).
      const wrote =
        res.status >= 400
          ? keys.length - Math.min(counters.length, 1) + Math.max(0, units - keys.length)
          : units;
      const failures = bed.busFailures.length;
      const problem =
        failures > 0
          ? `the bus rule failed on an accepted webhook: ${JSON.stringify(bed.busFailures[0]).slice(0, 300)}`
          : res.status >= 400 && !(res.headers.get('content-type') ?? '').includes('application/problem+json')
            ? `answered ${res.status} without a problem document`
            : undefined;
      return { status: res.status, refused: res.status >= 400, wrote, ...(problem && { problem }) };
    },
  };
}
