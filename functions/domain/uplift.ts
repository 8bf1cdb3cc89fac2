/**
 * Holdout uplift with confidence: treated vs held-out conversion rates, the difference with Newcombe's hybrid
 * score interval, and plain words while the interval still spans zero. Pure arithmetic: counts in, figures out;
 * never NaN, never a throw, whatever the counts.
 */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964;

/** Customers in one group and how many of them converted (customers, not orders: at most one each). */
export interface GroupCounts {
  conversions: number;
  customers: number;
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a proportion (Wilson 1927; method 3 in Newcombe, "Two-sided confidence intervals
 * for the single proportion", Stat Med 1998). Stays inside [0, 1] and is sensible at 0 and n successes, unlike
 * the normal (Wald) interval. No trials: [0, 1], the honest "anything is possible".
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  const { conversions: s, customers: n } = clean({ conversions: successes, customers: trials });
  if (n === 0) return { low: 0, high: 1 };
  const p = s / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the formula lands exactly on the bound; clamp the last-bit rounding either side.
  return { low: s === 0 ? 0 : clamp(centre - half, 0, 1), high: s === n ? 1 : clamp(centre + half, 0, 1) };
}

/**
 * Difference p1 - p2 of two independent proportions with Newcombe's hybrid score interval (method 10 in
 * Newcombe, "Interval estimation for the difference between independent proportions", Stat Med 1998), built
 * from the two groups' Wilson intervals. An empty group contributes rate 0 and the interval [0, 1].
 */
export function newcombeDifference(
  treated: GroupCounts,
  holdout: GroupCounts,
  z = Z_95,
): { difference: number } & Interval {
  const p1 = rate(treated);
  const p2 = rate(holdout);
  const w1 = wilsonInterval(treated.conversions, treated.customers, z);
  const w2 = wilsonInterval(holdout.conversions, holdout.customers, z);
  const difference = p1 - p2;
  return {
    difference,
    low: clamp(difference - Math.hypot(p1 - w1.low, w2.high - p2), -1, 1),
    high: clamp(difference + Math.hypot(w1.high - p1, p2 - w2.low), -1, 1),
  };
}

export interface JourneyUplift {
  treated: { rate: number } & GroupCounts;
  holdout: { rate: number } & GroupCounts;
  /** Treated rate minus held-out rate, with its 95% interval (Newcombe). */
  absoluteLift: { difference: number } & Interval;
  /** Absolute lift over the held-out rate; undefined while the held-out rate is 0 (no base to compare to). */
  relativeLift: number | undefined;
  /** Orders the journey caused among the treated customers: absolute lift x treated customers, with interval. */
  incrementalOrders: { estimate: number } & Interval;
  /**
   * Revenue per treated customer minus revenue per held-out customer, x treated customers; only when both
   * revenues are given and both groups have customers. A point estimate: order values' spread is not known here.
   */
  incrementalRevenue: number | undefined;
  /** The 95% interval of the absolute lift excludes 0. */
  significant: boolean;
  /**
   * While not significant: an estimate of the additional customers (both groups together) at which the observed
   * rates would give an interval narrower than the observed difference; undefined when it cannot be estimated.
   */
  moreCustomersNeeded: number | undefined;
  /** Plain words for a marketer while not significant ("Not enough data yet: ..."); undefined once significant. */
  verdict: string | undefined;
}

/** Treated vs held-out conversion for one journey: rates with counts, lift with 95% interval, plain words. */
export function journeyUplift(
  treated: GroupCounts,
  holdout: GroupCounts,
  revenue: { revenueTreated?: number; revenueHoldout?: number } = {},
): JourneyUplift {
  const t = clean(treated);
  const h = clean(holdout);
  const lift = newcombeDifference(t, h, Z_95);
  const p1 = rate(t);
  const p2 = rate(h);
  const significant = t.customers > 0 && h.customers > 0 && (lift.low > 0 || lift.high < 0);
  const needed = significant ? undefined : moreCustomersNeeded(t, h);
  return {
    treated: { ...t, rate: p1 },
    holdout: { ...h, rate: p2 },
    absoluteLift: lift,
    relativeLift: p2 > 0 ? lift.difference / p2 : undefined,
    incrementalOrders: {
      estimate: lift.difference * t.customers,
      low: lift.low * t.customers,
      high: lift.high * t.customers,
    },
    incrementalRevenue: incrementalRevenue(t, h, revenue),
    significant,
    moreCustomersNeeded: needed,
    verdict: significant ? undefined : verdict(t, h, lift.difference, needed),
  };
}

/**
 * Per-group sample size at which the normal-approximation 95% interval of p1 - p2 has a half-width below the
 * observed difference d: z * sqrt((p1(1-p1) + p2(1-p2)) / n) < d, so n = z^2 (p1(1-p1) + p2(1-p2)) / d^2.
 * Observed rates stand in for the true ones, so this is an estimate to plan with, not a promise. Returned as
 * the customers still missing across both groups; undefined with no difference or no group to speak of.
 */
function moreCustomersNeeded(t: GroupCounts, h: GroupCounts): number | undefined {
  if (t.customers === 0 || h.customers === 0) return undefined;
  const p1 = rate(t);
  const p2 = rate(h);
  const d = p1 - p2;
  if (d === 0) return undefined;
  const perGroup = Math.ceil((Z_95 * Z_95 * (p1 * (1 - p1) + p2 * (1 - p2))) / (d * d));
  return Math.max(0, perGroup - t.customers) + Math.max(0, perGroup - h.customers);
}

function verdict(t: GroupCounts, h: GroupCounts, difference: number, needed: number | undefined): string {
  if (t.customers === 0 && h.customers === 0) return 'Not enough data yet: no customers in either group';
  if (t.customers === 0) return 'Not enough data yet: no customers have been sent this journey';
  if (h.customers === 0) return 'Not enough data yet: no customers held out';
  if (difference === 0) return 'No difference seen yet between sent and held-out customers';
  // The score interval can still span zero where the normal approximation says the size is enough.
  if (needed === undefined || needed === 0)
    return 'Not enough data yet: the 95% interval still includes zero';
  return `Not enough data yet: about ${roundUp(needed).toLocaleString('en-US')} more customers needed`;
}

function incrementalRevenue(
  t: GroupCounts,
  h: GroupCounts,
  revenue: { revenueTreated?: number; revenueHoldout?: number },
): number | undefined {
  const { revenueTreated, revenueHoldout } = revenue;
  if (!Number.isFinite(revenueTreated) || !Number.isFinite(revenueHoldout)) return undefined;
  if (t.customers === 0 || h.customers === 0) return undefined;
  return ((revenueTreated as number) / t.customers - (revenueHoldout as number) / h.customers) * t.customers;
}

/** "About N": two significant figures, rounded up so the estimate never undersells the need. */
function roundUp(n: number): number {
  if (n < 100) return n;
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / step) * step;
}

function rate(g: GroupCounts): number {
  const { conversions, customers } = clean(g);
  return customers === 0 ? 0 : conversions / customers;
}

/** Whole, non-negative counts, conversions at most customers: bad input degrades, never poisons with NaN. */
function clean(g: GroupCounts): GroupCounts {
  const count = (v: number) => (Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
  const customers = count(g.customers);
  return { customers, conversions: Math.min(count(g.conversions), customers) };
}

function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}
