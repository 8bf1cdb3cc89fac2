/**
 * The evaluation's TIFU-kNN (bench/recs-models.ts) and UP-CF@r (bench/recs-upcf.ts) baselines on tiny shops.
 * As published, each ranks the customer's own items first; their new-items-only forms rank what similar
 * customers bought that this customer never did, and never an owned item, even when they have to fill with
 * popular ones. UP-CF@r's three settings (recency r, asymmetric cosine, locality q) each change a ranking.
 */
import { describe, expect, it } from 'vitest';
import { splitOf, worldOf } from '../../bench/recs-data.js';
import { contextOf, tifuKnn } from '../../bench/recs-models.js';
import { upcf } from '../../bench/recs-upcf.js';
import type { HistoricOrder } from '../../cli/order-history.js';

const order = (customerId: string, day: number, skus: string[]): HistoricOrder => ({
  orderId: `${customerId}-${day}`,
  customerId,
  at: new Date(Date.UTC(2011, 0, day)).toISOString(),
  items: skus.map((sku) => ({ sku, name: `Item ${sku}`, quantity: 1, price: 1 })),
});

// Alice buys tea and cups twice; her neighbours (who buy tea and cups too) also buy a teapot; a stranger
// buys only candles, the shop's most popular item. Alice's next order (after the split) holds the teapot.
const orders = [
  order('alice', 1, ['tea', 'cups']),
  order('alice', 8, ['tea', 'cups']),
  order('bob', 2, ['tea', 'cups', 'teapot']),
  order('carol', 3, ['tea', 'teapot']),
  ...[4, 5, 6, 7].map((d) => order(`stranger${d}`, d, ['candles'])),
  order('alice', 40, ['teapot']),
];
const params = { groups: 3, withinDecay: 1, groupDecay: 0.6, neighbours: 2, alpha: 0.7 };

describe('Evaluation baseline: TIFU-kNN', () => {
  const world = worldOf(orders);
  const ctx = contextOf(world, splitOf(world, 'test', '2011-01-20T00:00:00Z', '2011-03-01T00:00:00Z'));
  const alice = ctx.split.cases.find((c) => c.customerId === 'alice')!;
  const skus = (ids: number[]) => ids.map((i) => world.skus[i]);

  it("ranks the customer's own items first, as published", async () => {
    expect(skus(await tifuKnn(ctx, params)(alice, 2)).sort()).toEqual(['cups', 'tea']);
  });

  it("new items only: the neighbours' item first, then popular ones, never an owned item", async () => {
    const picks = skus(await tifuKnn(ctx, params, true)(alice, 3));
    expect(picks[0]).toBe('teapot');
    expect(picks).toContain('candles');
    expect(picks).not.toContain('tea');
    expect(picks).not.toContain('cups');
  });
});

// UP-CF@r: Dave is Alice's closest neighbour (he owns her tea and cups); his older order held a saucer, his
// latest a teapot. Strangers make the saucer the more popular of the two, but none of them shares an item
// with Alice, so they add nothing to her scores. Erin and Frank, each sharing only her tea, both bought a
// kettle: two far neighbours against one close one. Hana shares two items but owns 16 (the h-items); Ivo
// shares one and owns two (a mug): the asymmetric cosine's alpha sets how much a neighbour's size counts.
const hItems = Array.from({ length: 14 }, (_, i) => `h${i + 1}`);
const upcfOrders = [
  order('alice', 1, ['tea', 'cups']),
  order('alice', 8, ['tea', 'cups', 'jam']),
  order('dave', 2, ['tea', 'cups', 'saucer']),
  order('dave', 9, ['tea', 'cups', 'teapot']),
  order('erin', 3, ['tea', 'candles', 'lamp', 'kettle', 'vase']),
  order('frank', 3, ['tea', 'kettle']),
  order('hana', 3, ['tea', 'cups', ...hItems]),
  order('ivo', 3, ['tea', 'mug']),
  ...[4, 5, 6].map((d) => order(`stranger${d}`, d, ['saucer'])),
  order('alice', 40, ['teapot']),
];

describe('Evaluation baseline: UP-CF@r', () => {
  const world = worldOf(upcfOrders);
  const ctx = contextOf(world, splitOf(world, 'test', '2011-01-20T00:00:00Z', '2011-03-01T00:00:00Z'));
  const alice = ctx.split.cases.find((c) => c.customerId === 'alice')!;
  const skus = (ids: number[]) => ids.map((i) => world.skus[i]);

  it("ranks the customer's own recent items first, as published (u's own similarity is 1)", async () => {
    const p = { recency: 1, alpha: 0.5, locality: 5 };
    // Her jam is hers alone: only her own similarity puts it above her neighbour's teapot.
    expect(skus(await upcf(ctx, p)(alice, 3)).sort()).toEqual(['cups', 'jam', 'tea']);
  });

  it("recency r: only each neighbour's last r baskets count", async () => {
    const lastOnly = skus(await upcf(ctx, { recency: 1, alpha: 0.5, locality: 5 }, true)(alice, 1));
    const all = skus(
      await upcf(ctx, { recency: Number.POSITIVE_INFINITY, alpha: 0.5, locality: 5 }, true)(alice, 1),
    );
    expect(lastOnly).toEqual(['teapot']);
    // Over both of Dave's orders the saucer and the teapot weigh the same; the shop's popularity breaks the tie.
    expect(all).toEqual(['saucer']);
  });

  it("locality q: one close neighbour's item outranks two far ones' once q sharpens the weights", async () => {
    // sim(Alice, Dave) = 2 / (√3 · √4) ≈ 0.58; Erin 1 / (√3 · √5) ≈ 0.26, Frank 1 / (√3 · √2) ≈ 0.41.
    // q = 1: kettle 0.26 + 0.41 = 0.67 > teapot 0.58; q = 5: teapot 0.064 > kettle 0.013.
    const flat = skus(await upcf(ctx, { recency: 1, alpha: 0.5, locality: 1 }, true)(alice, 3));
    const sharp = skus(await upcf(ctx, { recency: 1, alpha: 0.5, locality: 5 }, true)(alice, 3));
    expect(flat[0]).toBe('kettle');
    expect(sharp[0]).toBe('teapot');
    for (const picks of [flat, sharp])
      for (const own of ['tea', 'cups', 'jam']) expect(picks).not.toContain(own);
  });

  it("asymmetric cosine alpha: a low alpha weighs a neighbour's own size, a high one the overlap", async () => {
    // sim = overlap / (3^alpha · size^(1 - alpha)): Hana 2 / 16^(1 - alpha), Ivo 1 / 2^(1 - alpha) (times 3^-alpha).
    // alpha 0.25: Hana 0.25 < Ivo 0.59, so Ivo's mug first; alpha 0.75: Hana 1.0 > Ivo 0.84, Hana's items first.
    const rank = async (alpha: number) => {
      const picks = skus(await upcf(ctx, { recency: 1, alpha, locality: 1 }, true)(alice, 40));
      return { mug: picks.indexOf('mug'), h1: picks.indexOf('h1') };
    };
    const low = await rank(0.25);
    const high = await rank(0.75);
    expect(low.mug).toBeGreaterThanOrEqual(0);
    expect(low.mug).toBeLessThan(low.h1);
    expect(high.h1).toBeLessThan(high.mug);
  });
});
