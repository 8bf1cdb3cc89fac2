/**
 * Birthday timing: the month-day index key, which keys an hourly sweep must read, and whether a customer's
 * birthday message is due at the sweep, in the customer's own time zone. Feb 29 birthdays are celebrated on
 * Feb 28 in non-leap years.
 */
import { InvalidInputError } from './errors.js';
import { addDays, firstInstantAtOrAfter, isLeapYear, localParts, type Ymd } from './time.js';

const HOUR_MS = 3_600_000;
/** Local dates on Earth run from UTC-12 (Baker Island) to UTC+14 (Kiritimati). */
const EARLIEST_OFFSET_MS = -12 * HOUR_MS;
const LATEST_OFFSET_MS = 14 * HOUR_MS;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseBirthday(birthday: string): { month: number; day: number } {
  const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  const year = match?.[1] === '-' ? undefined : Number(match?.[1]);
  const maxDay =
    month === 2 && year !== undefined && !isLeapYear(year) ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (!match || day < 1 || day > maxDay) {
    throw new InvalidInputError(`Birthday "${birthday}" is not a real YYYY-MM-DD or --MM-DD date`);
  }
  return { month, day };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "MM-DD" of a "YYYY-MM-DD" or "--MM-DD" birthday: the key of the birthday index. */
export function birthdayMonthDay(birthday: string): string {
  const { month, day } = parseBirthday(birthday);
  return `${pad(month)}-${pad(day)}`;
}

/** Whether local date `local` is the birthday; Feb 29 counts on Feb 28 in non-leap years, Feb 29 otherwise. */
export function isBirthdayOn(birthday: string, local: Ymd): boolean {
  const { month, day } = parseBirthday(birthday);
  if (month === 2 && day === 29) {
    return local.month === 2 && (isLeapYear(local.year) ? local.day === 29 : local.day === 28);
  }
  return local.month === month && local.day === day;
}

/**
 * The index keys ("MM-DD", sorted, unique) an hourly sweep at `now` must read: every local date somewhere on
 * Earth at `now` (up to 3), plus "02-29" when one of them is Feb 28 of a non-leap year.
 */
export function birthdayIndexKeys(now: Date): string[] {
  const first = isoYmd(new Date(now.getTime() + EARLIEST_OFFSET_MS));
  const last = isoYmd(new Date(now.getTime() + LATEST_OFFSET_MS));
  const keys = new Set<string>();
  for (let date = first; compareYmd(date, last) <= 0; date = addDays(date, 1)) {
    keys.add(`${pad(date.month)}-${pad(date.day)}`);
    if (date.month === 2 && date.day === 28 && !isLeapYear(date.year)) keys.add('02-29');
  }
  return [...keys].sort();
}

/**
 * Whether the birthday message is due at the sweep `now`: the local date in `timeZone` is the birthday and
 * this is the first sweep at or after `hour`:00 local time. A sweep runs at minute 0 of every UTC hour, so
 * this is the sweep whose local hour equals `hour` - at 09:00 in whole-hour zones, at 09:30 in Asia/Kolkata
 * (+05:30), 09:45 in Asia/Kathmandu. When `hour`:00 falls in a DST gap it is due at the first sweep after
 * the gap; when a DST overlap repeats the hour, only the first pass is due. localYear keys the message, so
 * one birthday yields one message.
 */
export function birthdaySendDue(input: {
  birthday: string;
  timeZone: string;
  now: Date;
  hour: number;
}): { due: true; localYear: number } | { due: false } {
  const { birthday, timeZone, now, hour } = input;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new InvalidInputError(`Birthday hour ${hour} is not a whole hour 0-23`);
  }
  const local = localParts(now, timeZone);
  if (!isBirthdayOn(birthday, local)) return { due: false };
  const target = firstInstantAtOrAfter({ ...local, hour, minute: 0 }, timeZone).getTime();
  // Sweeps are an hour apart, so exactly one of them lands in [target, target + 1h).
  const due = now.getTime() >= target && now.getTime() < target + HOUR_MS;
  return due ? { due: true, localYear: local.year } : { due: false };
}

function isoYmd(date: Date): Ymd {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function compareYmd(a: Ymd, b: Ymd): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
