// suppression add|remove|list: addresses that must not be contacted, compared normalized (email
// trimmed and lower-cased, phone as E.164). The list changes no consent (docs/decisions.md, consent).
import { InvalidAddressError, normalizeAddress } from '../../domain/addresses.js';
import type { SuppressionReason } from '../../domain/documents.js';
import type { Clock } from '../../ports/clock.js';
import type { SuppressionEntry, SuppressionStore } from '../../ports/suppression.js';

export type AddressResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'invalid-address'; message: string };

function normalized(address: string): { ok: true; address: string } | { ok: false; message: string } {
  try {
    return { ok: true, address: normalizeAddress(address).address };
  } catch (e) {
    if (e instanceof InvalidAddressError) return { ok: false, message: e.message };
    throw e;
  }
}

export async function addSuppression(
  deps: { suppression: SuppressionStore; clock: Clock },
  input: { address: string; reason: SuppressionReason },
): Promise<AddressResult<SuppressionEntry>> {
  const n = normalized(input.address);
  if (!n.ok) return { ok: false, reason: 'invalid-address', message: n.message };
  const entry: SuppressionEntry = {
    address: n.address,
    reason: input.reason,
    addedAt: deps.clock.now().toISOString(),
    source: 'manual',
  };
  await deps.suppression.addSuppression(entry);
  return { ok: true, value: entry };
}

export async function removeSuppression(
  deps: { suppression: SuppressionStore },
  input: { address: string },
): Promise<AddressResult<{ address: string; removed: boolean }>> {
  const n = normalized(input.address);
  if (!n.ok) return { ok: false, reason: 'invalid-address', message: n.message };
  return {
    ok: true,
    value: { address: n.address, removed: await deps.suppression.removeSuppression(n.address) },
  };
}

export function listSuppressions(deps: { suppression: SuppressionStore }): Promise<SuppressionEntry[]> {
  return deps.suppression.listSuppressions();
}
