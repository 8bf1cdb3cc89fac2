/**
 * Retention (config `retention`): when a stored item expires, as the epoch seconds DynamoDB TTL reads (and the
 * embedded mode's sweep, local/ttl-sweep.ts), and which days of outcome counters still have every message
 * they counted. Pure.
 */
import { InvalidInputError } from './errors.js';

const DAY_S = 86_400;
const DAY_MS = DAY_S * 1000;

/** The days each kind of data is kept (config `retention`). */
export interface RetentionDays {
  messagesDays: number;
  cartsDays: number;
  statsDays: number;
}

/** Epoch seconds `days` days after `from` (an ISO time, or a "YYYY-MM-DD" day read as its UTC midnight). */
export function expiresAt(from: string, days: number): number {
  const ms = Date.parse(from);
  if (Number.isNaN(ms) || !Number.isFinite(days)) {
    throw new InvalidInputError(`Cannot compute an expiry from "${from}" plus ${days} days`);
  }
  return Math.floor(ms / 1000) + Math.round(days * DAY_S);
}

/**
 * The first UTC day ("YYYY-MM-DD") whose outcome counters can still be recounted from the ledger at `now`:
 * a stats row of day D counts messages whose final decision fell on D; such a message was created at most
 * maxDeferralHours before (its deferrals and throttling end there) and expires messagesDays after it was
 * created, and the row itself expires statsDays after D. Older days may have lost messages (the recount
 * would come out lower than the counters) or their row (higher).
 */
export function recountableSince(
  now: Date,
  retention: Pick<RetentionDays, 'messagesDays' | 'statsDays'>,
  maxDeferralHours: number,
): string {
  const nowMs = now.getTime();
  // A message of day D (created no earlier than D - maxDeferral) lives while D - maxDeferral + messagesDays > now.
  const byMessages = nowMs - retention.messagesDays * DAY_MS + maxDeferralHours * 3_600_000;
  const byStats = nowMs - retention.statsDays * DAY_MS;
  // The next whole UTC day after the later bound: every day from there on is complete on both sides.
  const bound = Math.max(byMessages, byStats);
  return new Date(Math.floor(bound / DAY_MS) * DAY_MS + DAY_MS).toISOString().slice(0, 10);
}
