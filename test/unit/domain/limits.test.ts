// Every edge parses with these schemas, so what they pass the store must be able to keep, and what
// they refuse they name by path (issue 9, items 1, 2, 4, 8 and 10). Each test is named after what an
// attack on the local stack found.
import { describe, expect, it } from 'vitest';
import {
  birthday,
  calendarDate,
  campaignSchema,
  contractSchema,
  customerSchema,
  DEFAULT_SETTINGS,
  defaultSettings,
  eventSchema,
  isoInstant,
  settingsSchema,
  storedContractSchema,
  storedCustomerSchema,
  storedEventSchema,
} from '../../../shared/domain/documents.js';
import {
  chunkByJsonSize,
  MAX_DEPTH,
  MAX_DOCUMENT_BYTES,
  SANE_YEARS_MESSAGE,
  yearOf,
} from '../../../shared/domain/limits.js';
import { jsonBytes, MAX_STORABLE_ISSUES, unstorableValues } from '../../../shared/domain/storable.js';
import type { SettingsStore } from '../../../shared/ports/settings.js';
import { applySettings } from '../../../shared/usecases/settings/settings.js';
import { campaign } from './fixtures.js';

const event = (over: Record<string, unknown> = {}) => ({
  id: 'e-1',
  customerId: 'c-1',
  type: 'purchase',
  occurredAt: '2026-11-26T00:00:00Z',
  ...over,
});
const person = (over: Record<string, unknown> = {}) => ({
  id: 'c-1',
  name: 'Ann Lee',
  locale: 'en-US',
  timeZone: 'UTC',
  monthlyValue: 10,
  consent: { email: true, sms: true },
  ...over,
});
const agreement = (over: Record<string, unknown> = {}) => ({
  id: 'k-1',
  customerId: 'c-1',
  product: 'mobile-plan-38',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  status: 'active',
  ...over,
});

/** `levels` maps nested in each other, built without recursion: { a: { a: … 1 } }. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** Each refusal as `path: message`, so a test says where and why. */
function refusals(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

const OVER_BYTES = {
  '1,000 CJK characters': '中'.repeat(1_000),
  '300 emoji': '😀'.repeat(300),
  '100,000 characters': 'x'.repeat(100_000),
};

describe('free-form maps the store cannot keep', () => {
  it('refuses an event nested 20,000 levels deep with an issue at its first too-deep path, not "Maximum call stack size exceeded"', () => {
    const deep = nested(20_000);
    const fromEvent = eventSchema.safeParse(event({ data: deep }));
    const fromCustomer = customerSchema.safeParse(person({ attributes: deep }));
    const tooDeep = `nests deeper than ${MAX_DEPTH} levels; the store keeps at most ${MAX_DEPTH}`;
    expect(refusals(fromEvent)).toEqual([
      `data.${Array(MAX_DEPTH + 1)
        .fill('a')
        .join('.')}: ${tooDeep}`,
    ]);
    expect(refusals(fromCustomer)).toEqual([
      `attributes.${Array(MAX_DEPTH + 1)
        .fill('a')
        .join('.')}: ${tooDeep}`,
    ]);
  });

  it('keeps data exactly 16 levels deep and refuses 17', () => {
    // nested(n) puts its leaf n keys below `data`.
    expect(eventSchema.safeParse(event({ data: nested(MAX_DEPTH) })).success).toBe(true);
    expect(eventSchema.safeParse(event({ data: nested(MAX_DEPTH + 1) })).success).toBe(false);
    // An empty map or list at the deepest level holds nothing deeper.
    expect(eventSchema.safeParse(event({ data: { a: nested(MAX_DEPTH - 2), b: [[]] } })).success).toBe(true);
  });

  it('refuses a __proto__ key in event data and in attributes, which zod used to drop unseen', () => {
    const parsed = JSON.parse(
      '{"id":"e-1","customerId":"c-1","type":"t","occurredAt":"2026-11-26T00:00:00Z","data":{"__proto__":{"x":1},"b":2,"c":{"__proto__":1}}}',
    );
    expect(refusals(eventSchema.safeParse(parsed))).toEqual([
      'data.__proto__: the key __proto__ cannot be stored (JavaScript objects treat it as their prototype)',
      'data.c.__proto__: the key __proto__ cannot be stored (JavaScript objects treat it as their prototype)',
    ]);
    const customer = { ...person(), attributes: JSON.parse('{"__proto__":"vip","tier":"gold"}') };
    expect(refusals(customerSchema.safeParse(customer))).toEqual([
      'attributes.__proto__: the key __proto__ cannot be stored (JavaScript objects treat it as their prototype)',
    ]);
    expect(refusals(eventSchema.safeParse(event({ type: '__proto__' })))).toEqual([
      'type: must not be __proto__',
    ]);
  });

  it('refuses empty keys and keys over 256 bytes in free-form maps', () => {
    expect(refusals(eventSchema.safeParse(event({ data: { '': 1, ['键'.repeat(86)]: 2 } })))).toEqual([
      'data.: empty keys cannot be stored',
      `data.${'键'.repeat(86)}: keys must be at most 256 bytes (UTF-8)`,
    ]);
    expect(eventSchema.safeParse(event({ data: { ['键'.repeat(85)]: 2 } })).success).toBe(true);
  });

  it('reports at most 20 problems of one map, so 100,000 bad numbers make a short answer', () => {
    const issues = unstorableValues(Array(100_000).fill(1e300));
    expect(issues).toHaveLength(MAX_STORABLE_ISSUES);
  });

  it('refuses an event whose data makes it larger than 32 KB, at its largest field, before it is accepted', () => {
    const result = eventSchema.safeParse(event({ data: { note: 'x'.repeat(MAX_DOCUMENT_BYTES) } }));
    expect(refusals(result)).toEqual([
      expect.stringMatching(
        /^data: makes the document \d+ bytes as JSON \(this field \d+\); a document holds at most 32768$/,
      ),
    ]);
    const customer = customerSchema.safeParse(person({ attributes: { note: 'x'.repeat(40_000) } }));
    expect(refusals(customer)).toEqual([expect.stringMatching(/^attributes: makes the document/)]);
    expect(eventSchema.safeParse(event({ data: { note: 'x'.repeat(30_000) } })).success).toBe(true);
  });

  it('counts JSON bytes exactly as JSON.stringify writes them, without recursion', () => {
    const samples: unknown[] = [
      { a: [1, 'é', null, true, { b: '😀', c: undefined }], d: -0.5e-7, '"k"': '\n\u0000' },
      [],
      {},
      'x',
    ];
    for (const value of samples) expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect(jsonBytes(nested(100_000))).toBe(100_000 * 6 + 1);
  });
});

describe('ids, types and keys over the store key size', () => {
  it.each(Object.entries(OVER_BYTES))(
    'refuses %s as any id, type or product with a 4xx reason, not a 500',
    (_what, big) => {
      const over = 'must be at most 200 bytes (UTF-8)';
      expect(refusals(customerSchema.safeParse(person({ id: big })))).toEqual([`id: ${over}`]);
      expect(
        refusals(contractSchema.safeParse(agreement({ id: big, customerId: big, product: big }))),
      ).toEqual([`id: ${over}`, `customerId: ${over}`, `product: ${over}`]);
      expect(refusals(eventSchema.safeParse(event({ id: big, customerId: big, type: big })))).toEqual([
        `id: ${over}`,
        `customerId: ${over}`,
        `type: ${over}`,
      ]);
    },
  );

  it('keeps an id of exactly 200 bytes (66 CJK characters and 2 letters)', () => {
    expect(customerSchema.safeParse(person({ id: `${'中'.repeat(66)}ab` })).success).toBe(true);
    expect(customerSchema.safeParse(person({ id: `${'中'.repeat(66)}abc` })).success).toBe(false);
  });

  it('refuses a 100,000-character locale or time zone without caching or parsing it', () => {
    expect(
      refusals(customerSchema.safeParse(person({ locale: `en-${'a1b2c3d4-'.repeat(10_000)}US` }))),
    ).toEqual(['locale: must be a BCP 47 locale such as en-US or zh-CN']);
    expect(refusals(customerSchema.safeParse(person({ timeZone: 'A'.repeat(100_000) })))).toEqual([
      'timeZone: must be an IANA time zone such as Asia/Shanghai',
    ]);
  });
});

describe('time that breaks the calendar', () => {
  const outside = [
    '+275760-09-13T00:00:00Z',
    '9999-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2101-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
  ];

  it.each(outside)('refuses the instant %s, which would pin an anchor for good', (instant) => {
    expect(refusals(isoInstant.safeParse(instant))).toEqual([`: ${SANE_YEARS_MESSAGE}`]);
    expect(refusals(eventSchema.safeParse(event({ occurredAt: instant })))).toEqual([
      `occurredAt: ${SANE_YEARS_MESSAGE}`,
    ]);
    expect(refusals(customerSchema.safeParse(person({ lastActivityAt: instant })))).toEqual([
      `lastActivityAt: ${SANE_YEARS_MESSAGE}`,
    ]);
  });

  it('refuses calendar dates and birthday years outside 1900–2100, and keeps the edges of the range', () => {
    expect(refusals(contractSchema.safeParse(agreement({ endDate: '9999-12-31' })))).toEqual([
      `endDate: ${SANE_YEARS_MESSAGE}`,
    ]);
    expect(refusals(contractSchema.safeParse(agreement({ startDate: '0001-01-01' })))).toEqual([
      `startDate: ${SANE_YEARS_MESSAGE}`,
    ]);
    expect(refusals(calendarDate.safeParse('2101-01-01'))).toEqual([`: ${SANE_YEARS_MESSAGE}`]);
    expect(refusals(birthday.safeParse('1850-03-04'))).toEqual([`: ${SANE_YEARS_MESSAGE}`]);
    expect(birthday.safeParse('02-29').success).toBe(true);
    for (const ok of ['1900-01-01', '2100-12-31']) expect(calendarDate.safeParse(ok).success).toBe(true);
    for (const ok of ['1900-01-01T00:00:00Z', '2100-12-31T23:59:59.999Z'])
      expect(isoInstant.safeParse(ok).success).toBe(true);
  });

  it('keeps future instants inside the range (imports carry scheduled events and simulated months)', () => {
    expect(eventSchema.safeParse(event({ occurredAt: '2099-06-01T08:00:00+08:00' })).success).toBe(true);
    expect(customerSchema.safeParse(person({ lastActivityAt: '2090-01-01T00:00:00Z' })).success).toBe(true);
  });

  it('refuses instants only luxon reads (basic, week, ordinal forms), which Date.parse downstream reads as NaN', () => {
    for (const form of [
      '20261126T000000Z',
      '2026-W48-4T00:00:00Z',
      '2026-330T00:00:00Z',
      '2026-11-26T00Z',
      '2026-11-26T00:00:00,5Z',
    ])
      expect(isoInstant.safeParse(form).success, form).toBe(false);
    for (const form of ['2026-11-26T00:00:00+0800', '2026-11-26T00:00Z', '+002026-01-01T00:00:00Z'])
      expect(isoInstant.safeParse(form).success, form).toBe(true);
  });

  it('reads the year of every form luxon accepts', () => {
    expect(yearOf('+275760-09-13T00:00:00Z')).toBe(275_760);
    expect(yearOf('20261126T000000Z')).toBe(2026);
    expect(yearOf('nonsense')).toBeUndefined();
  });
});

describe('header and text safety at the edge', () => {
  it.each([
    ['CR/LF', 'Ann\r\nBcc: x@example.com'],
    ['NUL', 'Ann\u0000Lee'],
    ['a bidi override', 'Ann \u202eeeL'],
    ['an isolate', 'Ann \u2066Lee\u2069'],
  ])('refuses a customer name with %s instead of passing it into subjects and SMS', (_what, name) => {
    expect(refusals(customerSchema.safeParse(person({ name })))).toEqual([
      'name: must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
    ]);
  });

  it('refuses a 5,000-character name (an SMS naming it could never be sent) and keeps 100 characters', () => {
    expect(refusals(customerSchema.safeParse(person({ name: 'N'.repeat(5_000) })))).toEqual([
      'name: must be at most 100 characters',
    ]);
    expect(customerSchema.safeParse(person({ name: '𠮷'.repeat(100) })).success).toBe(true);
  });

  it('refuses an email address over 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(email.length).toBeGreaterThan(254);
    expect(refusals(customerSchema.safeParse(person({ email })))).toContain(
      'email: must be at most 254 characters',
    );
  });

  it('refuses a campaign whose subject or name spans lines, and ids over 64 characters', () => {
    const base = campaign();
    const bad = {
      ...base,
      id: 'c'.repeat(65),
      name: 'Renewal\nBcc: x@example.com',
      templates: {
        ...base.templates,
        t: { ...base.templates.t, email: { 'en-US': { subject: 'Hi\r\nBcc: x@example.com', text: 'x' } } },
      },
    };
    expect(refusals(campaignSchema.safeParse(bad))).toEqual([
      'id: must be at most 64 characters',
      'name: must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
      'templates.t.email.en-US.subject: must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
    ]);
  });

  it('refuses a campaign too large for one item', () => {
    const base = campaign();
    const huge = {
      ...base,
      templates: {
        ...base.templates,
        big: { email: { 'en-US': { subject: 's', text: 't', html: 'x'.repeat(300_000) } } },
      },
    };
    expect(refusals(campaignSchema.safeParse(huge))).toEqual([
      expect.stringMatching(
        /^templates: makes the campaign \d+ bytes as JSON; a campaign holds at most 262144$/,
      ),
    ]);
  });
});

describe('numbers the store cannot keep', () => {
  it('refuses 1e-200 as a monthly value, a tier minimum or a holdout share, which DynamoDB would refuse with a 500', () => {
    expect(refusals(customerSchema.safeParse(person({ monthlyValue: 1e-200 })))).toEqual([
      'monthlyValue: is outside the storable range (1e-130 … 9007199254740991 in magnitude)',
    ]);
    const settings = settingsSchema.safeParse({ tiers: [{ id: 'all', minMonthlyValue: 1e-200 }] });
    expect(refusals(settings)).toEqual([
      'tiers.0.minMonthlyValue: is outside the storable range (1e-130 … 9007199254740991 in magnitude)',
    ]);
    expect(campaignSchema.safeParse({ ...campaign(), holdoutPercent: 1e-200 }).success).toBe(false);
  });
});

describe('settings', () => {
  it('refuses a settings document without tiers instead of silently resetting the pyramid to defaults', async () => {
    let current = defaultSettings();
    let writes = 0;
    const store: SettingsStore = {
      getSettings: async () => structuredClone(current),
      putSettings: async (settings) => {
        writes++;
        current = structuredClone(settings);
      },
    };
    const mine = {
      tiers: [
        { id: 'gold', minMonthlyValue: 1000 },
        { id: 'rest', minMonthlyValue: 0 },
      ],
    };
    expect(await applySettings({ settings: store }, mine)).toMatchObject({ ok: true });
    const result = await applySettings({ settings: store }, {});
    expect(result).toEqual({ ok: false, issues: [{ path: ['tiers'], message: expect.any(String) }] });
    expect((await store.getSettings()).tiers.map((t) => t.id)).toEqual(['gold', 'rest']);
    expect(writes).toBe(1);
  });

  it('fills the optional fields with the contract defaults, and settings never applied are the contract pyramid', () => {
    expect(settingsSchema.parse({ tiers: [{ id: 'all', minMonthlyValue: 0 }] })).toEqual({
      tiers: [{ id: 'all', minMonthlyValue: 0 }],
      feb29: 'feb28',
    });
    expect(defaultSettings()).toEqual({
      tiers: [
        { id: 'key', minMonthlyValue: 500 },
        { id: 'business', minMonthlyValue: 100 },
        { id: 'standard', minMonthlyValue: 0 },
      ],
      feb29: 'feb28',
    });
    expect(DEFAULT_SETTINGS).toEqual(defaultSettings());
    expect(defaultSettings()).not.toBe(defaultSettings());
  });
});

describe('documents already in the store', () => {
  it('reads back a customer, contract and event stored before the limits, so they stay readable', () => {
    expect(
      storedCustomerSchema.safeParse(
        person({ name: `${'N'.repeat(5_000)}\r\n`, lastActivityAt: '9999-01-01T00:00:00Z' }),
      ).success,
    ).toBe(true);
    expect(storedContractSchema.safeParse(agreement({ endDate: '9999-12-31' })).success).toBe(true);
    expect(
      storedEventSchema.safeParse(event({ type: 'x'.repeat(1_000), occurredAt: '20261126T000000Z' })).success,
    ).toBe(true);
  });
});

describe('run items', () => {
  it('splits by count and by JSON size, keeping order, and gives an oversized item a chunk of its own', () => {
    const items = [1, 2, 3, 4, 5].map((n) => ({ n, pad: 'x'.repeat(n === 3 ? 500 : 10) }));
    const chunks = chunkByJsonSize(items, 2, 100);
    expect(chunks.map((c) => c.map((i) => i.n))).toEqual([[1, 2], [3], [4, 5]]);
    for (const c of chunks) if (c.length > 1) expect(jsonBytes(c)).toBeLessThanOrEqual(100);
  });
});
