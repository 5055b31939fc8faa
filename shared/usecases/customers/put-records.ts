// Single-document upserts from the API (PUT /v1/customers/{id}, PUT /v1/contracts/{id}): the same
// whole-document replacement as an import, for one record whose id the path names.
import type { Contract, Customer } from '../../domain/documents.js';
import type { Stores } from '../../store/stores.js';
import { type AttributionStores, attributeArrivals } from '../results/attribute.js';

export class IdMismatchError extends Error {
  constructor(
    readonly pathId: string,
    readonly bodyId: string,
  ) {
    super(`the body's id ${bodyId} is not the path's ${pathId}`);
    this.name = 'IdMismatchError';
  }
}

/**
 * Replaces (or creates) the customer; returns whether it existed before, and whether its consent was
 * kept opted out against the body (the customer's own opt-out is later: docs/consent.md).
 */
export async function putCustomer(
  store: Pick<Stores, 'customers' | 'documents'>,
  id: string,
  customer: Customer,
): Promise<{ created: boolean; keptOptedOut: boolean }> {
  if (customer.id !== id) throw new IdMismatchError(id, customer.id);
  const before = await store.customers.getCustomer(id);
  const tally = { keptOptedOut: 0 };
  await store.documents.putCustomers([customer], { source: 'api', tally });
  return { created: before === undefined, keptOptedOut: tally.keptOptedOut > 0 };
}

/**
 * Replaces (or creates) the contract; returns whether it existed before. A contract renewed (or
 * extended) at `at` is the conversion of campaigns whose goal is a renewal (docs/attribution.md).
 */
export async function putContract(
  store: Pick<Stores, 'customers' | 'documents'> & AttributionStores,
  id: string,
  contract: Contract,
  at: string,
): Promise<{ created: boolean }> {
  if (contract.id !== id) throw new IdMismatchError(id, contract.id);
  const before = await store.customers.getContract(id);
  await store.documents.putContracts([contract]);
  await attributeArrivals(store, { contracts: [contract], at });
  return { created: before === undefined };
}
