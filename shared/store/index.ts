// The DynamoDB store adapter's public surface.
export { DynamoStore, type DynamoStoreOptions } from './dynamo-store.js';
export * from './errors.js';
export { attr, CONTRACT_INDEX_ATTRS, DAY_SHARDS, EVENT_INDEX_ATTRS, index, shardOf } from './keys.js';
export type { Capacity } from './table.js';
