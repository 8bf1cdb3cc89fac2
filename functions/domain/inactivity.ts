/**
 * Inactivity timing for win-back: the UTC day a customer crosses the inactivity line (the key of the
 * inactivity index), the day a daily sweep reads, and the trigger key that allows one win-back per spell.
 */
import { InvalidInputError } from './errors.js';
import { DAY_MS, isoDay, parseInstant } from './time.js';

function instantOf(lastActiveAt: string): number {
  const ms = parseInstant(lastActiveAt);
  if (ms === undefined) throw new InvalidInputError(`lastActiveAt "${lastActiveAt}" is not an ISO date-time`);
  return ms;
}

/** The UTC day ("YYYY-MM-DD") of lastActiveAt + inactivityDays x 24h: when the customer becomes inactive. */
export function inactiveOnDay(lastActiveAt: string, inactivityDays: number): string {
  return isoDay(new Date(instantOf(lastActiveAt) + inactivityDays * DAY_MS));
}

/**
 * The index day a daily sweep at `now` reads: yesterday (UTC). By the sweep (shortly after 00:00 UTC) every
 * customer whose line fell anywhere in yesterday has crossed it, while today's are not all inactive yet.
 */
export function inactivitySweepDay(now: Date): string {
  return isoDay(new Date(now.getTime() - DAY_MS));
}

/** Whether `inactivityDays` x 24h have passed since lastActiveAt at `now` (the line itself counts as inactive). */
export function isInactive(lastActiveAt: string, now: Date, inactivityDays: number): boolean {
  return now.getTime() - instantOf(lastActiveAt) >= inactivityDays * DAY_MS;
}

/** How many order times the median gap is taken over: recent enough to follow a changing habit. */
export const RECENT_ORDER_TIMES = 6;

/**
 * The median gap in days between consecutive `times` (ISO, any order), to 0.01 day; undefined below two
 * times. The median, not the mean, so one long holiday does not stretch a regular buyer's line.
 */
export function medianGapDays(times: readonly string[]): number | undefined {
  const sorted = times.map(instantOf).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push((sorted[i]! - sorted[i - 1]!) / DAY_MS);
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return Math.round(median * 100) / 100;
}

/** The newest RECENT_ORDER_TIMES order times (oldest first, unique) after an order at `at`. */
export function recentOrderTimes(existing: readonly string[] | undefined, at: string): string[] {
  const times = [...new Set([...(existing ?? []), at])];
  times.sort((a, b) => instantOf(a) - instantOf(b));
  return times.slice(-RECENT_ORDER_TIMES);
}

/**
 * A customer's own inactivity days: max(floor, k x median order gap), rounded to whole days (the line is a
 * day). The floor alone without a gap (fewer than two orders) or with k = 0 (adaptation off).
 */
export function adaptiveInactivityDays(
  orderGapDays: number | undefined,
  config: { inactivityDays: number; inactivity: { k: number } },
): number {
  const { k } = config.inactivity;
  if (orderGapDays === undefined || !(k > 0)) return config.inactivityDays;
  return Math.max(config.inactivityDays, Math.round(k * orderGapDays));
}
