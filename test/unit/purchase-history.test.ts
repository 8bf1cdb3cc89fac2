import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  epochDay,
  HISTORY_ITEMS_KEPT,
  historyOf,
  type ItemRecord,
  itemPurchases,
  packHistoryItems,
  recordPurchase,
  unpackHistoryItems,
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

describe('Functions: packHistoryItems, unpackHistoryItems', () => {
  it('packs items into one string and reads them back as they were', () => {
    // Act
    const packed = packHistoryItems({ '85123A': [3, 20_100, 20_160], '22423': [1, 20_150, 20_150] });

    // Assess: one entry per item, the day once when first and last are the same
    expect(packed).toBe('22423:1:20150 85123A:3:20100:20160');
    expect(unpackHistoryItems(packed)).toEqual({
      '85123A': [3, 20_100, 20_160],
      '22423': [1, 20_150, 20_150],
    });
  });

  it('round-trips any history (property)', () => {
    const sku = fc.stringMatching(/^[A-Za-z0-9._#/-]{1,12}$/u);
    const record = fc
      .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 40_000 }), fc.nat(3_000))
      .map(([times, first, gap]): ItemRecord => [times, first, first + gap]);
    fc.assert(
      fc.property(fc.dictionary(sku, record, { maxKeys: 60 }), (items) => {
        const packed = packHistoryItems(items);
        expect(typeof packed).toBe('string');
        expect(unpackHistoryItems(packed)).toEqual(items);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the map for a sku with a separator or a number that is not whole, and reads a map as it is', () => {
    const spaced = { 'gift set': [1, 20_000, 20_000] as ItemRecord };
    expect(packHistoryItems(spaced)).toEqual(spaced);
    expect(packHistoryItems({ 'a:b': [1, 2, 3] })).toEqual({ 'a:b': [1, 2, 3] });
    expect(packHistoryItems({ tea: [1.5, 2, 3] })).toEqual({ tea: [1.5, 2, 3] });
    expect(unpackHistoryItems(spaced)).toEqual(spaced);
    expect(unpackHistoryItems(undefined)).toEqual({});
    expect(unpackHistoryItems('')).toEqual({});
  });

  it('leaves out a damaged entry and keeps the rest', () => {
    expect(unpackHistoryItems('tea:2:100:130 :1:5 cards:x:1 mugs:1 pens:1:2:3:4 jam:1:-3')).toEqual({
      tea: [2, 100, 130],
      jam: [1, -3, -3],
    });
  });

  it("halves a wholesale customer's stored history (50 items)", () => {
    // Arrange: 50 five-digit skus, bought up to 12 times each over a year
    const items: Record<string, ItemRecord> = {};
    for (let i = 0; i < HISTORY_ITEMS_KEPT; i++)
      items[String(20_000 + i * 37)] = [1 + (i % 12), 14_950 + i, 15_100 + i];

    // Act
    const packed = packHistoryItems(items) as string;

    // Assess: against the map as DynamoDB JSON (`{"L":[{"N":..}]}` per item)
    const asMap = JSON.stringify(
      Object.fromEntries(Object.entries(items).map(([k, v]) => [k, { L: v.map((n) => ({ N: String(n) })) }])),
    );
    expect(packed.length).toBeLessThan(asMap.length / 2);
  });
});
