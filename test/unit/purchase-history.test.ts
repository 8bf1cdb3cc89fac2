import { describe, expect, it } from 'vitest';
import {
  epochDay,
  HISTORY_ITEMS_KEPT,
  historyOf,
  itemPurchases,
  recordPurchase,
} from '../../functions/domain/purchase-history.js';

const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

describe('Function: recordPurchase', () => {
  it('keeps per item the orders that had it and its first and last day, and the rhythm from them', () => {
    // Act: tea in three orders 30 days apart, twice in one of them; cards once
    let h = recordPurchase(undefined, day(0), ['tea', 'tea', 'cards']);
    h = recordPurchase(h, day(30), ['tea']);
    h = recordPurchase(h, day(60), ['tea']);

    // Assess
    expect(h.orders).toBe(3);
    expect(h.lastDay).toBe(epochDay(day(60)));
    expect(h.items.tea).toEqual([3, epochDay(day(0)), epochDay(day(60))]);
    const items = itemPurchases(h);
    expect(items.find((i) => i.sku === 'tea')?.typicalDays).toBe(30);
    expect(items.find((i) => i.sku === 'cards')?.typicalDays).toBeUndefined();
  });

  it('takes orders in any order: a late event keeps first and last in place', () => {
    // Act
    const h = recordPurchase(recordPurchase(undefined, day(10), ['tea']), day(2), ['tea']);

    // Assess
    expect(h.items.tea).toEqual([2, epochDay(day(2)), epochDay(day(10))]);
    expect(h.lastDay).toBe(epochDay(day(10)));
  });

  it('stays bounded, keeping what is bought often and lately, and lets a new regular in', () => {
    // Prepare: a wholesale customer, 300 distinct items once each long ago
    const old = Array.from({ length: 300 }, (_, i) => `OLD-${i}`);
    let h = historyOf([{ at: day(0), skus: old }]);

    // Act: a year later they buy the same new item four times
    for (let d = 365; d < 365 + 4 * 14; d += 14) h = recordPurchase(h, day(d), ['NEW', old[0]!]);

    // Assess
    expect(Object.keys(h.items)).toHaveLength(HISTORY_ITEMS_KEPT);
    expect(h.items.NEW?.[0]).toBe(4);
    expect(h.items[old[0]!]?.[0]).toBe(5);
    expect(h.orders).toBe(5);
    expect(JSON.stringify(h).length).toBeLessThan(2_000);
  });
});
