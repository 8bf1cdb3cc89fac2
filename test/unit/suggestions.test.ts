/** The suggestions use case: what it reads from the catalogue, and that it is what `suggest` picks from it. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/domain/config.js';
import { historyOf } from '../../functions/domain/purchase-history.js';
import { type CatalogueReads, suggestionsFor } from '../../functions/usecases/suggestions.js';
import { product } from './product-fixture.js';

const p = product;
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

const products = [
  p('sencha', 'tea', 50, { consumable: true, coBought: { honey: 4 } }),
  p('mug', 'kitchen', 20, { coBought: { strainer: 5 } }),
  p('teapot', 'kitchen', 30, { inStock: false, coBought: { cups: 9 } }),
  p('strainer', 'kitchen', 8),
  p('honey', 'pantry', 40),
  p('cups', 'kitchen', 12),
  p('vase', 'decor', 5),
];

/** The catalogue, recording every read; as the products store, partners only when asked for. */
function catalogue() {
  const reads: string[][] = [];
  const withPartners: boolean[] = [];
  const bySku = new Map(products.map((x) => [x.sku, x]));
  const reader: CatalogueReads = {
    getMany: async (skus, options) => {
      reads.push([...skus]);
      withPartners.push(options?.withCoBought === true);
      return skus.flatMap((s) => {
        const found = bySku.get(s);
        if (!found) return [];
        const { coBought, ...plain } = found;
        return [options?.withCoBought ? { ...plain, coBought } : plain];
      });
    },
    popularIn: async () => [],
    newIn: async () => [],
  };
  return { reader, reads, withPartners };
}

describe('Use case: suggestionsFor', () => {
  // Sencha and a teapot in each of three orders, then the order of a mug the thank-you is for.
  const profile = {
    purchaseHistory: historyOf([
      { at: day(0), skus: ['sencha', 'teapot'] },
      { at: day(21), skus: ['sencha', 'teapot'] },
      { at: day(42), skus: ['sencha', 'teapot'] },
      { at: day(63), skus: ['mug'] },
    ]),
    orderGapDays: 21,
    recentPurchases: ['mug'],
  };
  const request = { profile, heldSkus: ['mug'], limit: 3, buyAgainSlots: 3, now: new Date(day(63)) };

  it('reads the held items and the planned re-orders in one batch, then the partners of what is shown', async () => {
    // Arrange
    const { reader, reads, withPartners } = catalogue();

    // Act
    const picks = await suggestionsFor(reader, request);

    // Assess: sencha comes back; the teapot is out of stock, so it lends no partners (no "cups")
    expect(reads[0]?.sort()).toEqual(['mug', 'sencha', 'teapot']);
    expect(reads[1]?.sort()).toEqual(['honey', 'strainer']);
    // Only the items suggestions start from are read with their partners.
    expect(withPartners).toEqual([true, false]);
    expect(picks[0]).toMatchObject({ sku: 'sencha', reason: 'buy_again' });
    expect(picks.map((s) => s.sku)).not.toContain('teapot');
    expect(picks.map((s) => s.sku)).not.toContain('mug');
    expect(picks.map((s) => s.sku)).toContain('honey');
  });

  it('offers no re-orders in a cart reminder, and the one-off just bought only when the shop says everything', async () => {
    // Act
    const cart = await suggestionsFor(catalogue().reader, { ...request, buyAgainSlots: 0 });
    const everything = await suggestionsFor(catalogue().reader, { ...request, reorders: 'everything' });

    // Assess
    expect(cart.map((s) => s.reason)).not.toContain('buy_again');
    expect(everything.find((s) => s.sku === 'mug')).toMatchObject({ reason: 'buy_again' });
  });

  it('reads "shoppers like you" with the partners, and shows them labelled, never one owned, out of stock or disliked', async () => {
    // Arrange: the peer sweep's picks on the profile: the cups (new), the teapot (out of stock), the sencha
    // (owned) and a vase the customer voted "not for me"
    const { reader, reads } = catalogue();
    const withPeers = {
      ...profile,
      peerPicks: {
        at: day(62),
        items: [
          ['teapot', 1],
          ['cups', 0.9],
          ['sencha', 0.8],
          ['vase', 0.5],
        ] as [string, number][],
      },
      feedback: [
        {
          target: { kind: 'sku' as const, id: 'vase' },
          vote: 'down' as const,
          at: day(50),
          source: 'email' as const,
        },
      ],
    };

    // Act
    const picks = await suggestionsFor(reader, { ...request, profile: withPeers, buyAgainSlots: 0 });
    const off = await suggestionsFor(catalogue().reader, {
      ...request,
      profile: withPeers,
      buyAgainSlots: 0,
      weights: { peers: 0 },
    });

    // Assess: the held mug first, then one batch for its partner (the strainer) and the picks
    expect(reads[0]).toEqual(['mug']);
    expect(reads[1]?.sort()).toEqual(['cups', 'sencha', 'strainer', 'teapot', 'vase']);
    expect(picks.find((s) => s.sku === 'cups')).toMatchObject({
      reason: 'shoppers_like_you',
      because: 'Bought by shoppers whose orders look like yours',
    });
    expect(picks[0]?.sku).toBe('cups');
    for (const sku of ['teapot', 'sencha', 'vase']) expect(picks.map((s) => s.sku)).not.toContain(sku);
    // Weight 0 turns them off: the cups are then only a candidate among others, scored on nothing else.
    expect(off[0]?.sku).not.toBe('cups');
  });

  it("takes the shop's settings from config.json, and refuses ones it cannot use", () => {
    // Act
    const shop = parseConfig({ reorders: 'everything', recommendationWeights: { coPurchase: 8 } });

    // Assess
    expect(parseConfig({}).reorders).toBe('regulars');
    expect(shop).toMatchObject({ reorders: 'everything', recommendationWeights: { coPurchase: 8 } });
    expect(() => parseConfig({ reorders: 'sometimes' })).toThrow(/reorders/);
    expect(() => parseConfig({ recommendationWeights: { coPurchase: -1 } })).toThrow(/coPurchase/);
    expect(() => parseConfig({ recommendationWeights: { price: 1 } })).toThrow(/price/);
  });
});
