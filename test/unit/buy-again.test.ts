import { describe, expect, it } from 'vitest';
import { BUY_AGAIN_WEIGHTS, buyAgain } from '../../functions/domain/buy-again.js';
import { historyOf } from '../../functions/domain/purchase-history.js';

const day = (d: number) => new Date(Date.UTC(2011, 0, 1) + d * 86_400_000).toISOString();
// Tea every 30 days; mugs once, long ago; cards in every order.
const orders = [
  { at: day(0), skus: ['tea', 'cards', 'mug'] },
  { at: day(30), skus: ['tea', 'cards'] },
  { at: day(60), skus: ['tea', 'cards'] },
  { at: day(75), skus: ['cards', 'candle'] },
];

describe('Function: buyAgain', () => {
  it("scores an item by the customer's own rhythm: due at the next order beats bought often but just now", () => {
    // Act: suggested after the day-75 order; their orders come about every 25 days
    const picks = buyAgain({
      history: historyOf(orders),
      orderGapDays: 30,
      now: new Date(day(75)),
      limit: 4,
    });

    // Assess
    expect(picks.map((p) => p.sku)).toEqual(['cards', 'tea', 'candle', 'mug']);
    const tea = picks.find((p) => p.sku === 'tea')!;
    expect(tea).toMatchObject({ reason: 'due', timesBought: 3, typicalDays: 30, daysSince: 45 });
    expect(picks.find((p) => p.sku === 'mug')?.reason).toBe('recent');
  });

  it('with a timing weight, moves an item up as its time comes and down when it is long overdue', () => {
    // Prepare: one item, bought every 30 days; timing weighed in (the shipped weights use it for the label only)
    const history = [0, 30, 60].map((d) => ({ at: day(d), skus: ['tea'] }));
    const weights = { ...BUY_AGAIN_WEIGHTS, timing: 0.5 };
    const at = (horizonDays: number) =>
      buyAgain({ history: historyOf(history), now: new Date(day(60)), limit: 1, horizonDays, weights })[0]!
        .score;

    // Act / Assess
    expect(at(30)).toBeGreaterThan(at(5));
    expect(at(30)).toBeGreaterThan(at(300));
    expect(at(30)).toBe(1);
  });

  it('leaves out excluded items and returns nothing without history', () => {
    // Act / Assess
    expect(
      buyAgain({
        history: historyOf(orders),
        now: new Date(day(75)),
        limit: 5,
        exclude: new Set(['cards']),
      }).map((p) => p.sku),
    ).not.toContain('cards');
    expect(buyAgain({ history: historyOf([]), now: new Date(day(0)), limit: 5 })).toEqual([]);
  });
});
