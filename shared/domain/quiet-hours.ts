// Quiet hours (settings `quietHours`): per phone country, the local period in which SMS may be sent.
// Several countries limit when marketing texts may arrive (docs/messages.md); the campaign's send
// window still applies, so an SMS goes out only where both allow it.
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { sendWindowUtc } from './calendar.js';
import type { Settings } from './documents.js';

export interface LocalPeriod {
  start: string;
  end: string;
}

/** The country libphonenumber gives an E.164 number (ISO 3166-1 alpha-2), if it names one. */
export function phoneCountry(phone: string): string | undefined {
  try {
    return parsePhoneNumberWithError(phone).country;
  } catch {
    return undefined;
  }
}

/** The quiet-hours rule for an SMS to this phone, if the settings hold one for its country. */
export function quietHoursFor(
  settings: Pick<Settings, 'quietHours'>,
  phone: string,
): LocalPeriod | undefined {
  const rules = settings.quietHours;
  if (!rules) return undefined;
  const country = phoneCountry(phone);
  return country !== undefined && Object.hasOwn(rules, country) ? rules[country] : undefined;
}

export interface TimedTouch {
  /** UTC instants, ISO with milliseconds. */
  sendAt: string;
  windowEnd: string;
  /** True when no instant is left that both the send window and the quiet hours allow. */
  closed: boolean;
}

/**
 * The send window narrowed by the allowed period on the same local date in the customer's zone:
 * `sendAt` becomes the later of the two starts, and the touch is closed when that falls at or after
 * either end. Its `windowEnd` becomes the earlier end, so a late send never lands in quiet hours.
 * Local times resolve as send windows do (a start in a spring gap moves forward by the gap).
 */
export function withinQuietHours(
  date: string,
  timeZone: string,
  window: { sendAt: string; windowEnd: string },
  allowed: LocalPeriod,
): TimedTouch {
  const period = sendWindowUtc(date, timeZone, allowed);
  const sendAt = Math.max(Date.parse(window.sendAt), Date.parse(period.sendAt));
  const windowEnd = Math.min(Date.parse(window.windowEnd), Date.parse(period.windowEnd));
  return {
    sendAt: new Date(sendAt).toISOString(),
    windowEnd: new Date(windowEnd).toISOString(),
    closed: sendAt >= windowEnd,
  };
}
