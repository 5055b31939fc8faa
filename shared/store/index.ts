// The DynamoDB store adapters' public surface.
export * from './errors.js';
export { attr, CONTRACT_INDEX_ATTRS, DAY_SHARDS, EVENT_INDEX_ATTRS, index, shardOf } from './keys.js';
export { type DynamoStores, type DynamoStoresOptions, dynamoStores, type Stores } from './stores.js';
export type { Capacity } from './table.js';
