import { describe, expect, it } from 'vitest';
import { journeyUplift, newcombeDifference, wilsonInterval } from '../../functions/domain/uplift.js';

/** Every figure a marketer might see is a finite number (or deliberately absent). */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('Function: wilsonInterval', () => {
  it('gives 0.2553 to 0.3662 for 81 of 263 (Newcombe 1998, single proportion, Wilson method)', () => {
    // Prepare: by hand with z = 1.959964, z^2 = 3.841459, n = 263, p = 81/263 = 0.307985
    //   denominator 1 + z^2/n = 1.014606; centre (p + z^2/2n) / 1.014606 = (0.307985 + 0.007303) / 1.014606 = 0.310750
    //   half (z / 1.014606) * sqrt(p(1-p)/n + z^2/4n^2) = 1.931753 * sqrt(0.000810 + 0.0000139) = 0.055461
    //   0.310750 -+ 0.055461 = 0.2553 to 0.3662
    // Act
    const { low, high } = wilsonInterval(81, 263);
    // Assess
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at 0 and n successes, and is [0, 1] with no trials', () => {
    // 0 of 10: the lower bound is exactly 0, the upper z^2/(n + z^2) = 3.841459 / 13.841459 = 0.2775
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(10, 10)).toEqual({ low: expect.closeTo(0.7225, 4), high: 1 });
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('narrows with a smaller z for a lower confidence (z = 1 is about 68%)', () => {
    const at95 = wilsonInterval(81, 263);
    const at68 = wilsonInterval(81, 263, 1);
    expect(at68.high - at68.low).toBeLessThan(at95.high - at95.low);
  });
});

describe('Function: newcombeDifference', () => {
  it('gives 0.2000 with 0.0524 to 0.3339 for 56/70 vs 48/80 (Newcombe 1998, Table II, example (a), method 10)', () => {
    // Prepare: by hand with z = 1.959964
    //   Wilson 56/70 = 0.6918 to 0.8770 (p1 = 0.8000); Wilson 48/80 = 0.4905 to 0.7004 (p2 = 0.6000)
    //   low  = 0.2 - sqrt((0.8000 - 0.6918)^2 + (0.7004 - 0.6000)^2) = 0.2 - sqrt(0.011700 + 0.010077) = 0.0524
    //   high = 0.2 + sqrt((0.8770 - 0.8000)^2 + (0.6000 - 0.4905)^2) = 0.2 + sqrt(0.005922 + 0.012000) = 0.3339
    // Act
    const result = newcombeDifference({ conversions: 56, customers: 70 }, { conversions: 48, customers: 80 });
    // Assess
    expect(result.difference).toBeCloseTo(0.2, 10);
    expect(result.low).toBeCloseTo(0.0524, 4);
    expect(result.high).toBeCloseTo(0.3339, 4);
  });

  it.each([
    // Newcombe 1998, Table II, method 10: examples (b), (d), (e) and (g)
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
    [5, 56, 0, 29, 0.0893, -0.0381, 0.1926],
    [0, 10, 0, 20, 0, -0.1611, 0.2775],
    [10, 10, 0, 20, 1, 0.6791, 1],
  ])('matches the paper for %i/%i vs %i/%i', (a, m, b, n, difference, low, high) => {
    const result = newcombeDifference({ conversions: a, customers: m }, { conversions: b, customers: n });
    expect(result.difference).toBeCloseTo(difference, 4);
    expect(result.low).toBeCloseTo(low, 4);
    expect(result.high).toBeCloseTo(high, 4);
  });

  it('keeps the interval within [-1, 1] when a group is empty', () => {
    const result = newcombeDifference({ conversions: 0, customers: 0 }, { conversions: 0, customers: 0 });
    expect(result).toEqual({ difference: 0, low: -1, high: 1 });
  });
});

describe('Function: journeyUplift', () => {
  it('reports a significant lift with its counts, relative lift and incremental orders', () => {
    // Act
    const result = journeyUplift({ conversions: 56, customers: 70 }, { conversions: 48, customers: 80 });
    // Assess: 0.2 / 0.6 = one third more; 0.2 x 70 treated = 14 orders, interval 0.0524 x 70 to 0.3339 x 70
    expect(result.treated).toEqual({ conversions: 56, customers: 70, rate: 0.8 });
    expect(result.holdout).toEqual({ conversions: 48, customers: 80, rate: 0.6 });
    expect(result.relativeLift).toBeCloseTo(1 / 3, 10);
    expect(result.incrementalOrders.estimate).toBeCloseTo(14, 10);
    expect(result.incrementalOrders.low).toBeCloseTo(3.67, 2);
    expect(result.incrementalOrders.high).toBeCloseTo(23.37, 2);
    expect(result.significant).toBe(true);
    expect(result.verdict).toBeUndefined();
    expect(result.moreCustomersNeeded).toBeUndefined();
  });

  it('says how many more customers are needed while the interval spans zero', () => {
    // Prepare: 60/1000 = 6% treated vs 2/50 = 4% held out, d = 0.02
    //   per group n = z^2 (p1(1-p1) + p2(1-p2)) / d^2 = 3.841459 x (0.0564 + 0.0384) / 0.0004 = 910.4 -> 911
    //   missing: treated 1000 >= 911 -> 0; held out 911 - 50 = 861; "about" rounds up to 2 figures: 870
    // Act
    const result = journeyUplift({ conversions: 60, customers: 1000 }, { conversions: 2, customers: 50 });
    // Assess
    expect(result.significant).toBe(false);
    expect(result.absoluteLift.low).toBeLessThan(0);
    expect(result.absoluteLift.high).toBeGreaterThan(0);
    expect(result.moreCustomersNeeded).toBe(861);
    expect(result.verdict).toBe('Not enough data yet: about 870 more customers needed');
  });

  it('computes incremental revenue per customer, scaled to the treated group', () => {
    // 3000 / 1000 = 3.00 per treated customer, 100 / 50 = 2.00 per held-out one: 1.00 x 1000 = 1000
    const result = journeyUplift(
      { conversions: 60, customers: 1000 },
      { conversions: 2, customers: 50 },
      { revenueTreated: 3000, revenueHoldout: 100 },
    );
    expect(result.incrementalRevenue).toBeCloseTo(1000, 8);
    expect(
      journeyUplift({ conversions: 6, customers: 100 }, { conversions: 2, customers: 50 }).incrementalRevenue,
    ).toBeUndefined();
  });

  it('says "No difference seen yet" instead of inventing a sample size when the rates are equal', () => {
    const result = journeyUplift({ conversions: 10, customers: 100 }, { conversions: 1, customers: 10 });
    expect(result.significant).toBe(false);
    expect(result.moreCustomersNeeded).toBeUndefined();
    expect(result.verdict).toBe('No difference seen yet between sent and held-out customers');
  });

  it.each([
    [0, 0, 0, 0, 'Not enough data yet: no customers in either group'],
    [5, 100, 0, 0, 'Not enough data yet: no customers held out'],
    [0, 0, 1, 20, 'Not enough data yet: no customers have been sent this journey'],
    [0, 100, 0, 20, 'No difference seen yet between sent and held-out customers'],
    [100, 100, 20, 20, 'No difference seen yet between sent and held-out customers'],
    // 1/1 vs 0/1: the normal approximation has no variance left, yet the score interval still spans zero
    [1, 1, 0, 1, 'Not enough data yet: the 95% interval still includes zero'],
  ])('never gives NaN or throws: %i/%i vs %i/%i', (a, m, b, n, words) => {
    // Act
    const result = journeyUplift(
      { conversions: a, customers: m },
      { conversions: b, customers: n },
      { revenueTreated: 10, revenueHoldout: 0 },
    );
    // Assess
    expect(allFinite(result)).toBe(true);
    expect(result.significant).toBe(false);
    expect(result.verdict).toBe(words);
  });

  it('leaves the relative lift undefined while nobody held out has converted', () => {
    const result = journeyUplift({ conversions: 30, customers: 100 }, { conversions: 0, customers: 100 });
    expect(result.relativeLift).toBeUndefined();
    expect(result.significant).toBe(true);
  });

  it('treats nonsense counts as what they can honestly mean (no negatives, at most one order each)', () => {
    const result = journeyUplift(
      { conversions: 120, customers: 100 },
      { conversions: -3, customers: Number.NaN },
    );
    expect(result.treated).toEqual({ conversions: 100, customers: 100, rate: 1 });
    expect(result.holdout).toEqual({ conversions: 0, customers: 0, rate: 0 });
    expect(allFinite(result)).toBe(true);
  });
});
