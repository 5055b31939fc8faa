// Calendar arithmetic and local-time resolution. Pure: no clock, no I/O.
//
// Luxon's own local→UTC resolution guesses the offset from the current time, so it picks the
// later instant of an autumn overlap in some zones and the earlier in others depending on when it
// runs (checked with luxon 3.7). We resolve wall times ourselves from the zone's offsets, which
// is deterministic: a gap moves forward by its length, an overlap takes the earlier instant.
import { DateTime, IANAZone } from 'luxon';
import type { Settings } from './documents.js';

export class InvalidTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`not an IANA time zone: ${timeZone}`);
    this.name = 'InvalidTimeZoneError';
  }
}

export class InvalidDateError extends Error {
  constructor(readonly value: string) {
    super(`not a calendar date YYYY-MM-DD / time: ${value}`);
    this.name = 'InvalidDateError';
  }
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;
const BIRTHDAY_RE = /^(?:\d{4}-)?(\d{2})-(\d{2})$/;

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new InvalidDateError(date);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    throw new InvalidDateError(date);
  return { year, month, day };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatUtcDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Calendar-day arithmetic on `YYYY-MM-DD` (no time zone involved). */
export function addDays(date: string, n: number): string {
  const { year, month, day } = parseDate(date);
  return formatUtcDate(Date.UTC(year, month - 1, day) + n * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new InvalidTimeZoneError(timeZone);
  return zone;
}

/** The local calendar date of an ISO instant in a zone. */
export function localDate(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new InvalidDateError(instant);
  const offsetMin = zoneOf(timeZone).offset(ms);
  return formatUtcDate(ms + offsetMin * MINUTE_MS);
}

/**
 * The UTC instant (epoch ms) of a local wall time. `wallMs` is the wall time read as if it were UTC.
 * Offsets are sampled a day either side: every zone's offset is within ±14 h, so any instant
 * showing this wall time lies in that range, and real zones never change offset twice in it.
 */
export function resolveLocal(wallMs: number, timeZone: string): number {
  return resolveWall(wallMs, timeZone).ms;
}

/** `resolveLocal`, and whether the wall time fell in a gap (so the instant shows a later wall time). */
function resolveWall(wallMs: number, timeZone: string): { ms: number; inGap: boolean } {
  const zone = zoneOf(timeZone);
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  let earliest: number | undefined;
  for (const o of offsets) {
    const t = wallMs - o * MINUTE_MS;
    if (zone.offset(t) === o && (earliest === undefined || t < earliest)) earliest = t;
  }
  if (earliest !== undefined) return { ms: earliest, inGap: false };
  // A gap: read the wall time with the offset in force before the jump, which lands after the
  // jump at the wall time moved forward by the gap's length (02:30 → 03:30).
  const before = Math.min(...offsets);
  return { ms: wallMs - before * MINUTE_MS, inGap: true };
}

function wallTimeMs(date: string, hhmm: string): number {
  const { year, month, day } = parseDate(date);
  const m = HHMM_RE.exec(hhmm);
  if (!m) throw new InvalidDateError(hhmm);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) throw new InvalidDateError(hhmm);
  return Date.UTC(year, month - 1, day, hour, minute);
}

/**
 * The send window of local date `date` in `timeZone`, as UTC ISO instants (with milliseconds).
 *
 * DST (docs/scheduling.md): a start inside a spring-forward gap moves forward by the gap, and the
 * whole window moves with it, so it keeps its length (New York 2027-03-14 02:00–03:00 is sent
 * 03:00–04:00 EDT; 02:30–03:00 becomes 03:30–04:00) instead of collapsing to nothing. An end alone
 * inside the gap moves forward by the gap too (01:00–02:30 ends at 03:30 EDT, 1 h 30 after 01:00 EST).
 * In an autumn overlap both ends take the earlier (first) instant, so a window spanning the repeated
 * hour is that hour longer in elapsed time.
 */
export function sendWindowUtc(
  date: string,
  timeZone: string,
  window: { start: string; end: string },
): { sendAt: string; windowEnd: string } {
  const startWall = wallTimeMs(date, window.start);
  const endWall = wallTimeMs(date, window.end);
  const start = resolveWall(startWall, timeZone);
  const windowEnd = start.inGap ? start.ms + (endWall - startWall) : resolveLocal(endWall, timeZone);
  return { sendAt: new Date(start.ms).toISOString(), windowEnd: new Date(windowEnd).toISOString() };
}

/** `MM-DD` of a birthday given as `MM-DD` or `YYYY-MM-DD`. */
export function birthdayMonthDay(birthday: string): string {
  const m = BIRTHDAY_RE.exec(birthday);
  if (!m) throw new InvalidDateError(birthday);
  return `${m[1]}-${m[2]}`;
}

/** The date a birthday is celebrated in `year`; Feb 29 moves by `feb29` in non-leap years. */
export function birthdayInYear(birthday: string, year: number, feb29: Settings['feb29']): string {
  const monthDay = birthdayMonthDay(birthday);
  const y = pad(year, 4);
  if (monthDay === '02-29' && !isLeapYear(year)) return feb29 === 'feb28' ? `${y}-02-28` : `${y}-03-01`;
  const date = `${y}-${monthDay}`;
  parseDate(date);
  return date;
}

/** The local wall clock (`HH:mm`) and date of a UTC instant in a zone; for checks and display. */
export function localDateTime(instant: string, timeZone: string): { date: string; time: string } {
  const dt = DateTime.fromISO(instant, { zone: zoneOf(timeZone) });
  if (!dt.isValid) throw new InvalidDateError(instant);
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm') };
}
