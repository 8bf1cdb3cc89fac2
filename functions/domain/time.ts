/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl: local parts of an instant, the instant of a
 * local time (DST gaps and overlaps resolved on purpose), calendar days. Pure: every instant is a parameter.
 */

/** Calendar date, month 1-12. */
export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** A local wall-clock time to the minute. */
export interface LocalDateTime extends Ymd {
  hour: number;
  minute: number;
}

/** What the wall clock in a zone shows at an instant; weekday 0 = Sunday. */
export interface LocalParts extends LocalDateTime {
  second: number;
  weekday: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** One calendar day of exactly 24 hours (UTC days; local days may be 23 or 25 hours). */
export const DAY_MS = 24 * HOUR_MS;

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Building a DateTimeFormat costs far more than formatting with one, and sweeps format thousands of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock parts of `instant` in `timeZone`; throws RangeError for an unknown zone or invalid date. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        // Some ICU versions still print midnight as "24" despite h23.
        out.hour = Number(part.value) % 24;
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAYS[part.value] ?? 0;
        break;
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
    }
  }
  // en-US counts years by era (1 BC, 2 BC...); convert to the astronomical year Date.UTC uses.
  if (bc) out.year = 1 - out.year;
  return out;
}

/** Milliseconds of a wall-clock reading read as if it were UTC (safe for years 0-99, unlike Date.UTC). */
function wallMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  date.setUTCFullYear(y, mo - 1, d);
  return date.getTime();
}

/** Offset of the zone from UTC at `ms`, in ms (wall clock minus UTC), to the second. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  return wallMs(p.year, p.month, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * Every instant at which the zone's wall clock shows `local`: one normally, two in a DST overlap (earlier
 * first), none in a DST gap.
 */
export function possibleInstants(local: LocalDateTime, timeZone: string): Date[] {
  const wall = wallMs(local.year, local.month, local.day, local.hour, local.minute);
  // Real offsets lie within +-14h, so the offsets a day either side cover every candidate unless a zone
  // changed its offset twice within 48 hours (no zone does).
  const offsets = new Set([offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)]);
  const found = [...offsets]
    .map((offset) => wall - offset)
    .filter((ms) => offsetAt(ms, timeZone) === wall - ms)
    .sort((a, b) => a - b);
  return found.map((ms) => new Date(ms));
}

/**
 * The instant at which the wall clock in `timeZone` shows `local`. In a DST overlap the earlier instant; in a
 * DST gap the time is shifted forward by the gap (02:30 on a 1-hour spring-forward day gives 03:30), the
 * same rule as Temporal's "compatible" disambiguation, so the wall time keeps its distance from the gap.
 */
export function zonedToUtc(local: LocalDateTime, timeZone: string): Date {
  const [first] = possibleInstants(local, timeZone);
  if (first) return first;
  const wall = wallMs(local.year, local.month, local.day, local.hour, local.minute);
  // In a gap the offset before the change is the smaller one; reading the wall time with it lands after.
  const before = Math.min(offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone));
  return new Date(wall - before);
}

/**
 * The first instant at which the wall clock in `timeZone` reads `local` or later on that day: the instant of
 * `local` when it exists (the earlier one in an overlap), else the end of the DST gap that swallowed it
 * (02:30 on a 1-hour spring-forward day gives 03:00). For "not before" rules such as the end of quiet hours.
 */
export function firstInstantAtOrAfter(local: LocalDateTime, timeZone: string): Date {
  const [first] = possibleInstants(local, timeZone);
  if (first) return first;
  const wall = wallMs(local.year, local.month, local.day, local.hour, local.minute);
  const before = Math.min(offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone));
  const after = Math.max(offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone));
  // The change happened between these two instants; bisect to the second for the moment the clock jumped.
  let lo = wall - after; // still before the gap: the clock showed less than `local`
  let hi = wall - before; // already after the gap
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** The calendar date `n` days after `ymd` (n may be negative). */
export function addDays(ymd: Ymd, n: number): Ymd {
  const date = new Date(wallMs(ymd.year, ymd.month, ymd.day) + n * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The UTC calendar day of `date` as "YYYY-MM-DD". */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `tz` when Intl knows it, else `fallback` (customers send blanks, typos and retired names). */
export function resolveTimeZone(tz: string | undefined, fallback: string): string {
  if (!tz) return fallback;
  try {
    // Only valid zones are cached, so garbage input cannot grow the cache.
    formatterFor(tz);
    return tz;
  } catch {
    return fallback;
  }
}

// Only ISO 8601 with an explicit offset: without one, Date.parse reads the time in the host's zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch ms of an ISO 8601 date-time with "Z" or an offset; undefined for anything else. */
export function parseInstant(value: string): number | undefined {
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  // Date.parse rolls impossible dates over (Feb 30 becomes Mar 2); such a value is garbage, not a time.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(wallMs(year, month, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
