/**
 * What sells now: a product's order count with each order weighted by 0.5^(its age / half-life). Kept as two
 * numbers per product (the count as of a time, and that time), it is updated on each order without reading
 * any history (count x 0.5^(elapsed / half-life) + 1) and read at any later time the same way (+ 0). Not
 * stored by the catalogue yet: the offline evaluation measures what it would add (bench/recs-stored.ts).
 */

const DAY_MS = 86_400_000;

/** The decayed count at `now` (epoch ms) of one counted at `countedAt`. */
export function decayedCount(count: number, countedAt: number, now: number, halfLifeDays: number): number {
  if (!(count > 0)) return 0;
  const days = Math.max(0, now - countedAt) / DAY_MS;
  return count * 0.5 ** (days / halfLifeDays);
}
