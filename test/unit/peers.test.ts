/**
 * "Shoppers like you" (domain/peers.ts) on tiny shops: the items of the most similar customers that this one
 * never bought, with a shared rare item counting for more than a shared best seller, only the `neighbours`
 * closest counting, and the same answer whatever the input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PeerInput, type PeerPick, peerPicks } from '../../functions/domain/peers.js';

/**
 * The definition in the module's words, written plainly (objects, full sorts): the typed-array version must
 * give exactly its answers, ties included.
 */
function plainPeerPicks(
  customers: readonly PeerInput[],
  { neighbours, power, picks }: { neighbours: number; power: number; picks: number },
): Map<string, PeerPick[]> {
  const owned = new Map(customers.map((c) => [c.customerId, new Set(c.items)]));
  const ids = [...owned.keys()].sort();
  const buyers = new Map<string, number>();
  for (const items of owned.values()) for (const sku of items) buyers.set(sku, (buyers.get(sku) ?? 0) + 1);
  const rarity = (sku: string) => Math.log(ids.length / buyers.get(sku)!);
  const out = new Map<string, PeerPick[]>();
  for (const id of ids) {
    const mine = owned.get(id)!;
    if (mine.size === 0) continue;
    const near = ids
      .filter((other) => other !== id)
      .map((other, position) => {
        const theirs = owned.get(other)!;
        let dot = 0;
        let shared = 0;
        for (const sku of mine)
          if (theirs.has(sku)) {
            shared++;
            dot += rarity(sku);
          }
        return { other, position, shared, similarity: dot / Math.sqrt(theirs.size * mine.size) };
      })
      .filter((n) => n.shared >= 1 && n.similarity > 0)
      .sort((a, b) => b.similarity - a.similarity || (a.other < b.other ? -1 : 1))
      .slice(0, neighbours);
    const score = new Map<string, number>();
    for (const n of near)
      for (const sku of owned.get(n.other)!)
        if (!mine.has(sku)) score.set(sku, (score.get(sku) ?? 0) + n.similarity ** power);
    const top = [...score]
      .sort((a, b) => b[1] - a[1] || buyers.get(b[0])! - buyers.get(a[0])! || (a[0] < b[0] ? -1 : 1))
      .slice(0, picks);
    if (top.length && top[0]![1] > 0)
      out.set(
        id,
        top.map(([sku, s]) => [sku, Math.round((s / top[0]![1]) * 1000) / 1000]),
      );
  }
  return out;
}

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

  it('gives exactly the picks of the plain definition on random shops, ties and short neighbour lists included', () => {
    const shops = fc.uniqueArray(
      fc.record({
        customerId: fc.constantFrom(...'abcdefghijklmnop'.split('')),
        items: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'), {
          maxLength: 5,
        }),
      }),
      { maxLength: 14, selector: (c) => c.customerId },
    );
    fc.assert(
      fc.property(
        shops,
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (shop, neighbours, picks) => {
          const settings = { neighbours, power: 2, picks };
          expect(peerPicks(shop, settings)).toEqual(plainPeerPicks(shop, settings));
        },
      ),
      { numRuns: 400 },
    );
  });
});
