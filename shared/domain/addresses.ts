// Addresses are compared normalized: email trimmed and lower-cased, phone as E.164.
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { Channel } from './documents.js';

export class InvalidAddressError extends Error {
  constructor(readonly address: string) {
    super(`not an email address or an E.164 phone number: ${address}`);
    this.name = 'InvalidAddressError';
  }
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function normalizePhone(phone: string): string {
  try {
    const parsed = parsePhoneNumberWithError(phone.trim());
    if (!parsed.isValid()) throw new InvalidAddressError(phone);
    return parsed.number;
  } catch {
    throw new InvalidAddressError(phone);
  }
}

/** Normalizes an address of either kind: anything with an @ is an email, else a phone number. */
export function normalizeAddress(address: string): { channel: Channel; address: string } {
  const trimmed = address.trim();
  if (trimmed.includes('@')) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) throw new InvalidAddressError(address);
    return { channel: 'email', address: normalizeEmail(trimmed) };
  }
  return { channel: 'sms', address: normalizePhone(trimmed) };
}

/** The normalized address a customer has on a channel, if any. */
export function customerAddress(
  customer: { email?: string | undefined; phone?: string | undefined },
  channel: Channel,
): string | undefined {
  if (channel === 'email') return customer.email ? normalizeEmail(customer.email) : undefined;
  // A customer's phone is E.164 already (the schema refuses anything else at every edge).
  return customer.phone;
}
