// Inbound SMS, both ways in: POST /v1/sms/replies (what `touchpoint sms reply` and the SMS page send)
// and the inbound-sms handler's SNS event (End User Messaging two-way → SNS in the cloud), over
// DynamoDB Local with a customer who has a phone. The sender is a phone of a customer, a stranger's,
// not a phone at all, or hostile; the text a keyword, a reply, empty, longer than an SMS, with
// control or bidi characters; the two-way payload whole, with a field missing or replaced, or not
// JSON; the SNS timestamp sane or not. A refused message changes nothing. A message from a phone is
// recorded (a receipt, an sms.reply event, a consent change, an answer): that is its job.
import fc from 'fast-check';
import { createHandler } from '../../../functions/inbound-sms.js';
import type { Log } from '../../../shared/observability/log.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { customer } from '../../emulator/support/fixtures.js';
import { HOSTILE_IDS, HOSTILE_STRINGS } from '../../emulator/support/hostile-inputs.js';
import { type HostileApp, hostileApp } from '../../emulator/support/ops-app.js';
import type { Outcome } from '../harness.js';

const PHONE = '+14155550123';

const from = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(PHONE, '+1 415 555 0123', '+8613800138000', '+15005550006') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '123',
      'not a phone',
      '+1'.repeat(40),
      '+14155550123\r\n',
      '＋１４１５５５５０１２３',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...Object.values(HOSTILE_STRINGS)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const text = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'STOP',
      'stop ',
      'START',
      'HELP',
      'UNSUBSCRIBE',
      '退订',
      'thanks!',
      'Stop please',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'x'.repeat(2_000),
      '😀'.repeat(800),
      'STOP\u0000',
      'hi\u202e',
      'a\r\nb',
      '\u2066STOP\u2069',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
);

export interface SmsCase {
  via: 'api' | 'sns';
  /** The API's body, or the SNS message (a two-way payload as JSON, or text). */
  message: string;
  timestamp: string;
}

const payload = fc
  .record({
    originationNumber: from,
    messageBody: text,
    inboundMessageId: fc.uuid(),
    destinationNumber: fc.constant('+18005550100'),
  })
  .chain((p) =>
    fc
      .tuple(
        fc.constantFrom('none', 'originationNumber', 'messageBody', 'inboundMessageId', 'extra'),
        fc.oneof(
          fc.jsonValue({ maxDepth: 1 }),
          fc.constantFrom(...Object.values(HOSTILE_IDS)),
          fc.constant(undefined),
        ),
      )
      .map(([field, v]) => (field === 'none' ? p : { ...p, [field]: v })),
  );

const smsCase: fc.Arbitrary<SmsCase> = fc.oneof(
  fc
    .record({
      body: fc.oneof(
        { weight: 6, arbitrary: fc.record({ from, text }).map((b) => JSON.stringify(b)) },
        {
          weight: 1,
          arbitrary: fc.record({ from, text, extra: fc.jsonValue() }).map((b) => JSON.stringify(b)),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
    })
    .map(({ body }): SmsCase => ({ via: 'api', message: body, timestamp: '' })),
  fc
    .record({
      message: fc.oneof(
        { weight: 6, arbitrary: payload.map((p) => JSON.stringify(p)) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
      timestamp: fc.oneof(
        { weight: 4, arbitrary: fc.constant('2026-11-26T08:00:00.000Z') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '',
            'yesterday',
            '+275760-09-13T00:00:00.000Z',
            '9999-12-31T23:59:59Z',
            '0001-01-01T00:00:00Z',
            '1899-12-31T23:59:59Z',
            '2101-01-01T00:00:00Z',
            '-000001-01-01T00:00:00Z',
            '1970-01-01T00:00:00Z',
          ),
        },
      ),
    })
    .map(({ message, timestamp }): SmsCase => ({ via: 'sns', message, timestamp })),
);

const silent: Log = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  with: () => silent,
};

export interface SmsEdge {
  cases: fc.Arbitrary<SmsCase>;
  check(c: SmsCase): Promise<Outcome>;
}

export async function smsEdge(store: DynamoStores): Promise<SmsEdge> {
  await store.documents.putCustomers([
    customer({ id: 'c-1', phone: PHONE }),
    customer({ id: 'c-2', phone: PHONE }),
  ]);
  const app: HostileApp = hostileApp(store, 'fuzz-token');
  let answers = 0;
  const handler = createHandler(
    {
      store,
      sms: {
        send: async () => {
          answers++;
          return { ok: true, providerMessageId: 'fuzz' };
        },
      },
      clock: { now: () => new Date('2026-11-26T08:00:00Z') },
    },
    silent,
  );
  const footprint = () => {
    const f = app.footprint();
    return f.writes + f.effects + answers;
  };
  let n = 0;
  return {
    cases: smsCase,
    async check(c) {
      const before = footprint();
      if (c.via === 'api') {
        const res = await app.call('POST', '/v1/sms/replies', c.message);
        await res.text();
        const problem =
          res.status >= 400 && !(res.headers.get('content-type') ?? '').includes('application/problem+json')
            ? `answered ${res.status} without a problem document`
            : undefined;
        return {
          status: res.status,
          refused: res.status >= 400,
          wrote: footprint() - before,
          ...(problem && { problem }),
        };
      }
      const event = {
        Records: [{ Sns: { MessageId: `sns-${n++}`, Message: c.message, Timestamp: c.timestamp } }],
      };
      const out = await handler(event);
      return { refused: out.outcomes.every((o) => o === 'refused'), wrote: footprint() - before };
    },
  };
}
