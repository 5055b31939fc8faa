// The fields of the contract's documents that have a format of their own: dates, instants, time
// zones, locales, birthdays, phone numbers. Edge versions keep to the sane years (limits.ts); the
// `anyYear…` versions read back what the store holds from before that rule.
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { inSaneYears, isSaneYear, MAX_LOCALE_CHARS, MAX_ZONE_CHARS, SANE_YEARS_MESSAGE } from './limits.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (s: string): boolean => DATE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30), of any year: what the store holds. */
export const anyYearDate = z
  .string()
  .regex(DATE, 'must be a date YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, 'is not a real calendar date');

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30), in the years MIN_YEAR … MAX_YEAR. */
export const calendarDate = anyYearDate.refine(
  (s) => !isCalendarDate(s) || inSaneYears(s),
  SANE_YEARS_MESSAGE,
);

const INSTANT_MESSAGE = 'must be an ISO 8601 instant with a time zone offset, e.g. 2026-11-20T03:15:00Z';
const hasOffset = (s: string): boolean => /(Z|[+-]\d{2}:?\d{2})$/i.test(s);

/** An ISO 8601 instant with an offset or Z, of any year, in any form luxon reads: what the store holds. */
export const anyYearInstant = z
  .string()
  .refine((s) => hasOffset(s) && DateTime.fromISO(s, { setZone: true }).isValid, INSTANT_MESSAGE);

/** The year of an instant an edge accepts (as written, in its own offset), or undefined when it is none. */
function instantYear(s: string): number | undefined {
  // Bounded first: luxon would read a 100 KB string before saying no.
  if (s.length > 64 || !hasOffset(s)) return undefined;
  const parsed = DateTime.fromISO(s, { setZone: true });
  // Code downstream reads instants with Date.parse too: a form only luxon reads (basic 20261126T…,
  // week or ordinal dates, a comma fraction) would be kept and then compare as NaN.
  return parsed.isValid && parsed.toMillis() === Date.parse(s) ? parsed.year : undefined;
}

/**
 * An ISO 8601 instant with an offset or Z (a local time without offset is ambiguous), in the years
 * MIN_YEAR … MAX_YEAR: `+275760-09-13T00:00:00Z` is valid ISO and a valid JavaScript date, and one
 * such value would pin an anchor for good. Future instants inside the range are kept (imports carry
 * scheduled events and test data); webhooks add their own "not after receipt" rule.
 */
export const isoInstant = z.string().superRefine((s, ctx) => {
  const year = instantYear(s);
  if (year === undefined) ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
  else if (!isSaneYear(year)) ctx.addIssue({ code: 'custom', message: SANE_YEARS_MESSAGE });
});

// Checking a zone builds an Intl.DateTimeFormat (~0.4 ms); imports check millions of lines with a few zones.
const zoneValidity = new Map<string, boolean>();
const isValidZone = (tz: string): boolean => {
  let valid = zoneValidity.get(tz);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(tz);
    if (zoneValidity.size < 10_000) zoneValidity.set(tz, valid);
  }
  return valid;
};

export const timeZone = z
  .string()
  .refine(
    (tz) => tz.length <= MAX_ZONE_CHARS && isValidZone(tz),
    'must be an IANA time zone such as Asia/Shanghai',
  );

export const locale = z.string().refine((s) => {
  if (s.length > MAX_LOCALE_CHARS || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(s)) return false;
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP 47 locale such as en-US or zh-CN');

const BIRTHDAY_MESSAGE = 'must be a birthday MM-DD or YYYY-MM-DD';
/** The birthday's year (2000, a leap year, when none is given), or undefined when it is not a date. */
function birthdayYear(s: string): number | undefined {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const year = m[1] ? Number(m[1]) : 2000; // a leap year, so 02-29 without a year is valid
  return DateTime.fromObject({ year, month: Number(m[2]), day: Number(m[3]) }).isValid ? year : undefined;
}
export const anyYearBirthday = z.string().refine((s) => birthdayYear(s) !== undefined, BIRTHDAY_MESSAGE);

/** Birthday as `MM-DD` or `YYYY-MM-DD` (a year in MIN_YEAR … MAX_YEAR); Feb 29 is allowed (per settings.feb29). */
export const birthday = z.string().superRefine((s, ctx) => {
  const year = birthdayYear(s);
  if (year === undefined) ctx.addIssue({ code: 'custom', message: BIRTHDAY_MESSAGE });
  else if (!isSaneYear(year)) ctx.addIssue({ code: 'custom', message: SANE_YEARS_MESSAGE });
});

/** The shape of an E.164 number: what a stored customer's phone always is. */
export const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550123');

/**
 * A phone number libphonenumber (full metadata) calls valid, written exactly in E.164: what every
 * edge accepts. Pure, so a bundle that never validates input (the run's Lambdas) leaves out
 * libphonenumber's 190 KB of metadata.
 */
export const phone = /* @__PURE__ */ (() =>
  e164.refine((s) => {
    try {
      return isValidPhoneNumber(s) && parsePhoneNumberWithError(s).number === s;
    } catch {
      return false;
    }
  }, 'must be a valid E.164 phone number such as +14155550123'))();
