// Consent changes over the table. Current consent is in the profile's document (`doc.consent`), the
// latest change per slot in the profile's `consentState`, and the history as one small item per
// change in the customer's own partition: `CUSTOMER#<id>` / `CONSENT#<at>#<change id>`. Erasure
// deletes the whole partition, so it removes the history; the export reads it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { applyChange, type ConsentChange, type ConsentHistoryEntry, changeId } from '../domain/consent.js';
import type { ConsentOutcome, ConsentStore } from '../ports/consent.js';
import { parseCustomer } from './documents.js';
import { ConcurrentUpdateError } from './errors.js';
import {
  CONSENT_PREFIX,
  consentEntrySchema,
  consentHistoryItem,
  consentStateSchema,
  keys,
  parseItem,
} from './items.js';
import type { Table } from './table.js';

const MAX_OPTIMISTIC_ATTEMPTS = 10;

const profileConsentSchema = z.object({
  consentState: consentStateSchema.default({}),
  rev: z.number().default(0),
});
export class ConsentRows implements ConsentStore {
  constructor(private readonly table: Table) {}

  async recordChange(change: ConsentChange): Promise<ConsentOutcome> {
    const key = keys.customer(change.customerId);
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
      const item = await this.table.get(key, { ConsistentRead: true });
      if (!item) return 'no-customer';
      const customer = parseCustomer(item);
      const { consentState, rev } = parseItem(profileConsentSchema, item);
      const outcome = applyChange(customer.consent, consentState, change);
      if (outcome.kind === 'unchanged') return 'unchanged';
      // History first: its key is deterministic, so a retry after a lost race rewrites the same item.
      await this.table.put(consentHistoryItem(change.customerId, outcome.entry, changeId(change)));
      try {
        await this.table.update(key, {
          UpdateExpression: 'SET #doc.#consent = :c, consentState = :s, rev = :next',
          ConditionExpression: rev === 0 ? 'attribute_not_exists(rev) OR rev = :rev' : 'rev = :rev',
          ExpressionAttributeNames: { '#doc': 'doc', '#consent': 'consent' },
          ExpressionAttributeValues: {
            ':c': outcome.consent,
            ':s': outcome.state,
            ':next': rev + 1,
            ':rev': rev,
          },
        });
        return 'applied';
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new ConcurrentUpdateError(`${key.pk}/${key.sk}`);
  }

  async consentHistory(customerId: string): Promise<ConsentHistoryEntry[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':p': CONSENT_PREFIX },
      ConsistentRead: true,
    });
    return items.map((i) => {
      const e = parseItem(consentEntrySchema, i);
      return {
        at: e.at,
        channel: e.channel,
        ...(e.topic !== undefined && { topic: e.topic }),
        value: e.value,
        source: e.source,
        ...(e.evidence !== undefined && { evidence: e.evidence }),
      };
    });
  }
}
