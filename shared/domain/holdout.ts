// Deterministic holdout: anyone can recompute who was held out from the ids alone, and the same
// customers stay held out on every run.
import { createHash } from 'node:crypto';

const TWO_POW_32 = 2 ** 32;

/** The customer's position in [0, 1) for a campaign: SHA-256 of `<campaignId>:<customerId>`, first 4 bytes. */
export function holdoutPosition(campaignId: string, customerId: string): number {
  const digest = createHash('sha256').update(`${campaignId}:${customerId}`, 'utf8').digest();
  return digest.readUInt32BE(0) / TWO_POW_32;
}

export function isHeldOut(campaignId: string, customerId: string, holdoutPercent: number): boolean {
  return holdoutPosition(campaignId, customerId) < holdoutPercent / 100;
}
