/**
 * The evaluation's TIFU-kNN baseline (bench/recs-models.ts) on a tiny shop: as published it ranks the
 * customer's own items first; its new-items-only form ranks what the nearest customers bought that this
 * customer never did, and never an owned item, even when it has to fill with popular ones.
 */
import { describe, expect, it } from 'vitest';
import { splitOf, worldOf } from '../../bench/recs-data.js';
import { contextOf, tifuKnn } from '../../bench/recs-models.js';
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
