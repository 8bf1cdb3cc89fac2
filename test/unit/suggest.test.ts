import { describe, expect, it } from 'vitest';
import { tasteOf } from '../../functions/domain/feedback.js';
import { historyOf } from '../../functions/domain/purchase-history.js';
import { buyAgainPlan, type SuggestInput, suggest } from '../../functions/domain/suggest.js';
import { product } from './product-fixture.js';

const p = product;
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

// Sencha every 21 days, a teapot once; the thank-you for the day-63 order of a mug.
const history = historyOf([
  { at: day(0), skus: ['sencha', 'teapot'] },
  { at: day(21), skus: ['sencha'] },
  { at: day(42), skus: ['sencha'] },
  { at: day(63), skus: ['mug'] },
]);
const catalogue = [
  p('sencha', 'tea', 50, { consumable: true }),
  p('teapot', 'kitchen', 30),
  p('strainer', 'kitchen', 8),
  p('honey', 'pantry', 40),
  p('matcha', 'tea', 20),
];
const base: SuggestInput = {
  seeds: [p('mug', 'kitchen', 20, { coBought: { teapot: 9, strainer: 5 } })],
  candidates: catalogue,
  taste: tasteOf(),
  purchasedCategories: { tea: 3, kitchen: 2 },
  recentlyBought: new Set(['mug']),
  history,
  orderGapDays: 21,
  now: new Date(day(63)),
  limit: 3,
  buyAgainSlots: 3,
};

describe('Function: suggest', () => {
  it('puts a due re-order first, labelled with the rhythm, and never shows an owned item as new', () => {
    // Act
    const picks = suggest(base);

    // Assess
    expect(picks[0]).toMatchObject({
      sku: 'sencha',
      reason: 'buy_again',
      rhythm: { timesBought: 3, typicalDays: 21 },
    });
    expect(picks[0]!.because).toBe('You buy this about every 3 weeks');
    const fresh = picks.filter((s) => s.reason !== 'buy_again');
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    for (const s of fresh) expect(['sencha', 'teapot', 'mug']).not.toContain(s.sku);
    expect(picks.map((s) => s.sku)).not.toContain('mug');
  });

  it('gives a cart reminder no re-orders, and still leaves owned items out of the new ones', () => {
    // Act
    const picks = suggest({ ...base, buyAgainSlots: 0 });

    // Assess
    expect(picks.map((s) => s.reason)).not.toContain('buy_again');
    expect(picks.map((s) => s.sku)).not.toContain('teapot');
    expect(picks.map((s) => s.sku)).not.toContain('sencha');
    expect(buyAgainPlan({ ...base, held: [], buyAgainSlots: 0 })).toEqual([]);
  });

  it('skips a re-order that is out of stock or marked "not for me"', () => {
    // Act
    const outOfStock = suggest({
      ...base,
      candidates: catalogue.map((c) => (c.sku === 'sencha' ? { ...c, inStock: false } : c)),
    });
    const disliked = suggest({
      ...base,
      taste: tasteOf([{ target: { kind: 'sku', id: 'sencha' }, vote: 'down', at: day(60), source: 'email' }]),
    });

    // Assess
    expect(outOfStock.map((s) => s.sku)).not.toContain('sencha');
    expect(disliked.map((s) => s.sku)).not.toContain('sencha');
  });

  it('offers a regular from the order just placed again, for the next order, but never a one-off', () => {
    // Arrange: the thank-you for a day-63 order of sencha (their fourth) and a mug (their first)
    const placed = historyOf([
      { at: day(0), skus: ['sencha', 'teapot'] },
      { at: day(21), skus: ['sencha'] },
      { at: day(42), skus: ['sencha'] },
      { at: day(63), skus: ['sencha', 'mug'] },
    ]);
    const order = [p('sencha', 'tea', 50, { consumable: true }), p('mug', 'kitchen', 20)];

    // Act
    const regulars = suggest({ ...base, history: placed, seeds: order });
    const everything = suggest({ ...base, history: placed, seeds: order, reorders: 'everything' });

    // Assess: sencha is in four of their orders; the mug only in this one
    expect(regulars[0]).toMatchObject({ sku: 'sencha', reason: 'buy_again' });
    expect(regulars.map((s) => s.sku)).not.toContain('mug');
    const mug = everything.find((s) => s.sku === 'mug');
    expect(mug).toMatchObject({ reason: 'buy_again', rhythm: { timesBought: 1 } });
  });

  it('gives a slot to a new item rather than to a re-order in under a fifth of their orders', () => {
    // Arrange: sencha in 6 of their 10 orders, a teapot in 1
    const orders = Array.from({ length: 10 }, (_, i) => ({
      at: day(i * 7),
      skus: [...(i < 6 ? ['sencha'] : ['water']), ...(i === 0 ? ['teapot'] : [])],
    }));

    // Act
    const picks = suggest({ ...base, history: historyOf(orders), seeds: [], limit: 3 });

    // Assess
    expect(picks[0]).toMatchObject({ sku: 'sencha', reason: 'buy_again' });
    expect(picks.map((s) => s.sku)).not.toContain('teapot');
    expect(picks.filter((s) => s.reason !== 'buy_again').length).toBeGreaterThanOrEqual(1);
  });
});
