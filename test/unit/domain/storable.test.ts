// The storable rule must agree with the marshaller the store really uses: whatever the rule
// passes, lib-dynamodb marshals; whatever it refuses, it names by path.
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../../shared/domain/documents.js';
import { unstorableValues } from '../../../shared/domain/storable.js';

describe('unstorableValues', () => {
  it('passes only what the DynamoDB marshaller accepts', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        if (unstorableValues(data).length === 0)
          expect(() => marshall({ data }, { removeUndefinedValues: true })).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
  });

  it('names each unsafe number and empty key by its path', () => {
    expect(
      unstorableValues({ a: [1, -2.822242223539652e32], '': { b: 1e-200 }, ok: 9007199254740991 }),
    ).toEqual([
      { path: ['a', '1'], message: expect.stringContaining('storable range') },
      { path: [''], message: 'empty keys cannot be stored' },
      { path: ['', 'b'], message: expect.stringContaining('storable range') },
    ]);
  });

  it('makes the event schema refuse such data', () => {
    const parsed = eventSchema.safeParse({
      id: 'e1',
      customerId: 'c1',
      type: 't',
      occurredAt: '2026-11-26T00:00:00Z',
      data: { big: -2.822242223539652e32 },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['data.big']);
  });
});
