import { describe, expect, it } from 'vitest';
import {
  BUY_AGAIN_WEIGHTS,
  type BuyAgainPick,
  buyAgain,
  type ExplorePick,
  exploreItems,
  mixSlots,
} from '../../functions/domain/buy-again.js';
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
    expect(tea.because).toBe('Time to restock? You buy this about every 30 days; it has been 45.');
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

describe('Function: exploreItems', () => {
  it('suggests what is bought with their items or in their categories, never an owned item', () => {
    // Act
    const picks = exploreItems({
      owned: new Set(['tea', 'cards']),
      seeds: new Map([['tea', { weight: 1, coBought: { cards: 50, honey: 8, teapot: 2 } }]]),
      candidates: [
        { sku: 'cards', category: 'paper', orderCount: 99 },
        { sku: 'honey', category: 'food', orderCount: 10 },
        { sku: 'teapot', category: 'kitchen', orderCount: 5, inStock: false },
        { sku: 'wrap', category: 'paper', orderCount: 20 },
        { sku: 'lamp', category: 'lights', orderCount: 1 },
      ],
      categoryCounts: { paper: 3 },
      limit: 5,
    });

    // Assess
    expect(picks.map((p) => [p.sku, p.reason])).toEqual([
      ['honey', 'bought_together'],
      ['wrap', 'bought_category'],
      ['lamp', 'popular'],
    ]);
  });
});

describe('Function: mixSlots', () => {
  const again = (sku: string, score: number): BuyAgainPick => ({
    sku,
    score,
    reason: 'due',
    timesBought: 2,
    daysSince: 30,
    because: '',
  });
  const explore = (sku: string): ExplorePick => ({ sku, score: 1, reason: 'bought_together' });

  it('gives buy-again only the slots of items really due, keeps explore slots, and labels every slot', () => {
    // Act
    const slots = mixSlots(
      [again('a', 0.9), again('b', 0.5), again('c', 0.05)],
      [explore('x'), explore('y')],
      {
        total: 3,
        minExplore: 1,
        dueScore: 0.1,
      },
    );

    // Assess
    expect(slots.map((s) => `${s.kind}:${s.sku}`)).toEqual(['buy_again:a', 'buy_again:b', 'explore:x']);
    expect(
      mixSlots([again('a', 0.05)], [explore('x'), explore('y')], {
        total: 3,
        minExplore: 1,
        dueScore: 0.1,
      }).map((s) => s.kind),
    ).toEqual(['explore', 'explore']);
  });
});

describe('Function: buyAgain, with the shop popularity of the items read', () => {
  it('ranks items a customer bought as often by how much the shop buys them', () => {
    // Prepare: one wholesale order of three items, each bought once
    const history = historyOf([{ at: day(0), skus: ['a', 'b', 'c'] }]);

    // Act
    const picks = buyAgain({
      history,
      now: new Date(day(0)),
      limit: 3,
      popularity: new Map([
        ['a', 2],
        ['b', 400],
        ['c', 30],
      ]),
    });

    // Assess: labelled as re-orders bought once, most re-bought by the shop first
    expect(picks.map((p) => p.sku)).toEqual(['b', 'c', 'a']);
    expect(picks.every((p) => p.reason === 'recent' && p.timesBought === 1)).toBe(true);
  });
});
