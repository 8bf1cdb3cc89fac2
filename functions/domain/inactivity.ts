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

/**
 * The trigger key of a win-back: one per customer per inactive spell, because any new activity changes
 * lastActiveAt and so starts a new spell with a new key.
 */
export function winbackTriggerKey(customerId: string, lastActiveAt: string): string {
  return `winback:${customerId}:${lastActiveAt}`;
}
