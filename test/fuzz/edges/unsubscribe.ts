// Unsubscribe links: GET and POST /u/{token} through the Hono app over DynamoDB Local. A token is
// genuine (for a customer who exists, one who does not, or with hostile ids and topics), genuine
// and then altered (a character changed, cut, lengthened), signed with another secret, or noise;
// the POST body is RFC 8058's one-click, a page choice, an unknown choice, under any content type.
// A refused link or choice (a 4xx) changes nothing, and a GET never does: mail scanners follow links.
import fc from 'fast-check';
import { signUnsubscribeToken } from '../../../shared/domain/unsubscribe.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { customer } from '../../emulator/support/fixtures.js';
import { HOSTILE_STRINGS } from '../../emulator/support/hostile-inputs.js';
import { type HostileApp, hostileApp } from '../../emulator/support/ops-app.js';
import type { Outcome } from '../harness.js';

/** hostileApp's unsubscribe secret. */
const SECRET = 's';

export interface UnsubscribeCase {
  token: string;
  method: 'GET' | 'POST';
  body: string;
  contentType: string;
}

const subject = fc.record({
  customerId: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('c-1', 'c-404') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...Object.values(HOSTILE_STRINGS).filter((s) => s.length < 2000)),
    },
  ),
  channel: fc.constantFrom('email' as const, 'sms' as const),
  topic: fc.oneof(fc.constantFrom('renewals', 'birthday', 'contract-renewal'), fc.string({ maxLength: 12 })),
  issuedAt: fc.constantFrom(
    '2026-11-20T00:00:00Z',
    '2020-01-01T00:00:00Z',
    '2099-01-01T00:00:00Z',
    'not a date',
    '+275760-09-13T00:00:00Z',
  ),
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function alter(token: string, how: number, at: number, ch: number): string {
  const i = at % token.length;
  const c = B64[ch % B64.length] ?? 'A';
  switch (how % 5) {
    case 0:
      return `${token.slice(0, i)}${c === token[i] ? 'B' : c}${token.slice(i + 1)}`;
    case 1:
      return token.slice(0, i);
    case 2:
      return `${token}${c.repeat(1 + (ch % 1200))}`;
    case 3:
      return token.toUpperCase();
    default:
      return `${token.slice(0, i)}%2F${token.slice(i)}`;
  }
}

const token = fc.oneof(
  { weight: 2, arbitrary: subject.map((s) => signUnsubscribeToken(SECRET, s)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(subject, fc.nat(), fc.nat(), fc.nat())
      .map(([s, how, at, ch]) => alter(signUnsubscribeToken(SECRET, s), how, at, ch)),
  },
  { weight: 1, arbitrary: subject.map((s) => signUnsubscribeToken('another secret', s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.values(HOSTILE_STRINGS)).map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc
      .base64String({ maxLength: 200 })
      .map((t) => t.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')),
  },
);

const body = fc.oneof(
  fc.constantFrom(
    'List-Unsubscribe=One-Click',
    'action=topic-off',
    'action=channel-off',
    'action=resubscribe',
    'action=topics&topic=renewals&topic=birthday',
    'action=nope',
    'action=topics&action=channel-off',
    `action=topics${'&topic=t'.repeat(300)}`,
    `action=topics&topic=${'k'.repeat(500)}`,
    'x'.repeat(20_000),
    '',
  ),
  fc.string({ maxLength: 60 }),
);

const unsubscribeCase: fc.Arbitrary<UnsubscribeCase> = fc.record({
  token,
  method: fc.constantFrom('GET' as const, 'POST' as const),
  body,
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'multipart/form-data',
        'multipart/form-data; boundary=x',
        'text/plain',
        'application/json',
        '',
      ),
    },
  ),
});

export interface UnsubscribeEdge {
  cases: fc.Arbitrary<UnsubscribeCase>;
  check(c: UnsubscribeCase): Promise<Outcome>;
}

export async function unsubscribeEdge(store: DynamoStores): Promise<UnsubscribeEdge> {
  await store.documents.putCustomers([customer({ id: 'c-1' })]);
  const app: HostileApp = hostileApp(store, 'fuzz-token');
  const footprint = () => {
    const f = app.footprint();
    return f.writes + f.effects;
  };
  return {
    cases: unsubscribeCase,
    async check(c) {
      const before = footprint();
      const res = await app.call(
        c.method,
        `/u/${c.token}`,
        c.method === 'POST' ? c.body : undefined,
        c.method === 'POST' ? { 'content-type': c.contentType } : {},
      );
      await res.text();
      const wrote = footprint() - before;
      const problem = c.method === 'GET' && wrote > 0 ? `a GET wrote ${wrote}` : undefined;
      return { status: res.status, refused: res.status >= 400, wrote, ...(problem && { problem }) };
    },
  };
}
