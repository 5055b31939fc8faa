// Where a ledger page may resume. A position comes back from a client (inside the API's cursor), so
// before it becomes a Query's ExclusiveStartKey it must be a key the same query could have
// returned: DynamoDB answers a start key from another partition, outside the key condition or
// missing an index attribute with a ValidationException (a 500 at the edge), and a key in another
// customer's partition must never steer a read. docs/table-design.md shows the ledger keys.
import { utf8Bytes } from '../domain/limits.js';
import { type DeliveryPosition, ForeignPositionError } from '../ports/customer-data.js';
import { CUSTOMER_PREFIX, keys } from './items.js';
import { attr } from './keys.js';

/** DynamoDB's caps on a partition and a sort key value, in bytes. */
const MAX_PK_BYTES = 2048;
const MAX_SK_BYTES = 1024;
const TOUCH = 'TOUCH#';

const sameKeys = (key: Record<string, string>, names: readonly string[]): boolean => {
  const have = Object.keys(key).sort();
  const want = [...names].sort();
  return have.length === want.length && have.every((k, i) => k === want[i]);
};

/** Throws ForeignPositionError unless `after` could have been returned by the ledger query for `filter`. */
export function assertPositionFits(
  filter: { campaignId?: string; customerId?: string },
  after: DeliveryPosition,
): void {
  const reason = positionMismatch(filter, after);
  if (reason !== undefined) throw new ForeignPositionError(reason);
}

/**
 * Why `after` is not a position of the query for `filter`, or undefined when it is: by customer, a
 * key in that customer's partition under the (campaign's) touch prefix; by campaign or unfiltered,
 * the campaign being read and a by-campaign index key of that campaign.
 */
export function positionMismatch(
  filter: { campaignId?: string; customerId?: string },
  after: DeliveryPosition,
): string | undefined {
  const { campaignId, lastKey } = after;
  if (filter.customerId !== undefined) {
    if (campaignId !== undefined || lastKey === undefined) return 'not a customer query position';
    if (!sameKeys(lastKey, [attr.pk, attr.sk])) return 'not a table key';
    if (lastKey.pk !== keys.customer(filter.customerId).pk) return "another customer's partition";
    const prefix = filter.campaignId === undefined ? TOUCH : `${TOUCH}${filter.campaignId}#`;
    const sk = lastKey.sk ?? '';
    if (!sk.startsWith(prefix) || utf8Bytes(sk) > MAX_SK_BYTES) return 'not a ledger key of this query';
    return undefined;
  }
  if (campaignId === undefined) return 'not a campaign query position';
  if (filter.campaignId !== undefined && campaignId !== filter.campaignId) return 'another campaign';
  if (lastKey === undefined) return undefined;
  if (!sameKeys(lastKey, [attr.pk, attr.sk, attr.ledgerCampaign, attr.ledgerCampaignSk]))
    return 'not a by-campaign index key';
  const { pk = '', sk = '' } = lastKey;
  const indexSk = lastKey[attr.ledgerCampaignSk] ?? '';
  if (lastKey[attr.ledgerCampaign] !== campaignId) return 'another campaign';
  if (!pk.startsWith(CUSTOMER_PREFIX) || utf8Bytes(pk) > MAX_PK_BYTES) return 'not a ledger key';
  if (!sk.startsWith(`${TOUCH}${campaignId}#`) || utf8Bytes(sk) > MAX_SK_BYTES)
    return 'not a ledger key of this campaign';
  if (indexSk === '' || utf8Bytes(indexSk) > MAX_SK_BYTES) return 'not a by-campaign index key';
  return undefined;
}
