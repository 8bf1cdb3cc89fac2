/** Bounded co-purchase counts (Space-Saving): heavy partners survive any flood, counts never under the truth. */
import { describe, expect, it } from 'vitest';
import { CO_PARTNERS_KEPT, countCoPurchases } from '../../functions/domain/co-purchase.js';

describe('countCoPurchases', () => {
  it('counts exactly while the partners fit', () => {
    let counts: Record<string, number> = {};
    counts = countCoPurchases(counts, ['A', 'B', 'B']);
    counts = countCoPurchases(counts, ['A']);
    expect(counts).toEqual({ A: 2, B: 1 });
  });

  it('keeps at most the bound, and a partner bought often survives a flood of one-off partners', () => {
    let counts: Record<string, number> = {};
    let truth = 0;
    for (let order = 0; order < 2000; order++) {
      // Twenty one-off partners per order, and one bought in every third order: 1/61 of all partners counted,
      // above Space-Saving's 1/64 guarantee.
      const partners = Array.from({ length: 20 }, (_, i) => `X${order}-${i}`);
      if (order % 3 === 0) {
        partners.push('HEAVY');
        truth++;
      }
      counts = countCoPurchases(counts, partners);
      expect(Object.keys(counts).length).toBeLessThanOrEqual(CO_PARTNERS_KEPT);
    }
    expect(counts.HEAVY).toBeGreaterThanOrEqual(truth);
    const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1]);
    expect(ranked[0]?.[0]).toBe('HEAVY');
  });

  it('is deterministic and cuts an oversized map to its strongest', () => {
    const big = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`S${String(i).padStart(2, '0')}`, i + 1]),
    );
    const cut = countCoPurchases(big, [], 10);
    expect(Object.keys(cut).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `S${30 + i}`));
    expect(countCoPurchases(big, ['N'], 10)).toEqual(countCoPurchases(big, ['N'], 10));
    // The new partner replaces the weakest (S30, count 31) with 32: never under its true count.
    expect(countCoPurchases(big, ['N'], 10)).toMatchObject({ N: 32 });
    expect(countCoPurchases(big, ['N'], 10)).not.toHaveProperty('S30');
  });
});
