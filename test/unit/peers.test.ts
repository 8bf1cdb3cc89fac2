/**
 * "Shoppers like you" (domain/peers.ts) on tiny shops: the items of the most similar customers that this one
 * never bought, with a shared rare item counting for more than a shared best seller, only the `neighbours`
 * closest counting, and the same answer whatever the input order.
 */
import { describe, expect, it } from 'vitest';
import { type PeerInput, peerPicks } from '../../functions/domain/peers.js';

const skus = (picks: Map<string, [string, number][]>, id: string) => picks.get(id)?.map(([sku]) => sku);

describe('Function: peerPicks', () => {
  // Ann and Ben share a niche item (matcha whisk); Ann, Cy and Dee share only the best seller, tea, which
  // nearly every customer bought. So Ben is Ann's nearest customer and his teapot comes before Cy's candles.
  const shop: PeerInput[] = [
    { customerId: 'ann', items: ['tea', 'whisk'] },
    { customerId: 'ben', items: ['tea', 'whisk', 'teapot'] },
    { customerId: 'cy', items: ['tea', 'candles'] },
    { customerId: 'dee', items: ['tea', 'mug'] },
    { customerId: 'fay', items: ['mug'] },
  ];

  it("ranks the nearest customers' items first and never an item the customer owns", () => {
    // Act
    const picks = peerPicks(shop);
    // Assess
    expect(skus(picks, 'ann')?.[0]).toBe('teapot');
    expect(picks.get('ann')?.[0]?.[1]).toBe(1);
    for (const [id, list] of picks) {
      const owned = new Set(shop.find((c) => c.customerId === id)!.items);
      expect(
        list.some(([sku]) => owned.has(sku)),
        id,
      ).toBe(false);
    }
  });

  it('weights a shared item by its rarity: the shared niche item outranks the shared best seller', () => {
    // Act: alone, then with a second customer of candles sharing only tea with Ann
    const alone = peerPicks(shop);
    const more = peerPicks([...shop, { customerId: 'eve', items: ['tea', 'candles'] }]);
    // Assess: Ben's teapot first either way; candles and mug tie on one tea-only neighbour each (the item
    // more customers bought first), and two such neighbours lift candles above the mug
    expect(skus(alone, 'ann')).toEqual(['teapot', 'mug', 'candles']);
    expect(skus(more, 'ann')).toEqual(['teapot', 'candles', 'mug']);
  });

  it('counts only the `neighbours` most similar customers', () => {
    // Act
    const one = peerPicks(shop, { neighbours: 1 });
    // Assess: Ann's one neighbour is Ben; candles and mug come from customers beyond
    expect(skus(one, 'ann')).toEqual(['teapot']);
  });

  it('keeps at most `picks` items, with scores scaled to the best (1)', () => {
    const picks = peerPicks(shop, { picks: 2 });
    expect(picks.get('ann')).toHaveLength(2);
    for (const list of picks.values())
      for (const [, score] of list) {
        expect(score).toBeGreaterThan(0);
        expect(score).toBeLessThanOrEqual(1);
      }
  });

  it('finds no neighbour in an item every customer bought (it says nothing about taste)', () => {
    const picks = peerPicks([
      { customerId: 'a', items: ['tea', 'x'] },
      { customerId: 'b', items: ['tea', 'y'] },
    ]);
    expect(picks.size).toBe(0);
  });

  it('gives no picks to a customer who shares nothing with anyone, nor to one with nothing new to find', () => {
    const picks = peerPicks([
      { customerId: 'solo', items: ['anvil'] },
      { customerId: 'a', items: ['x', 'y'] },
      { customerId: 'b', items: ['x', 'y'] },
    ]);
    expect(picks.has('solo')).toBe(false);
    expect(picks.has('a')).toBe(false);
  });

  it('answers the same whatever order the customers and their items come in', () => {
    const reversed = [...shop].reverse().map((c) => ({ ...c, items: [...c.items].reverse() }));
    expect(peerPicks(reversed)).toEqual(peerPicks(shop));
  });
});
