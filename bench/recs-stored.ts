/**
 * What the product would have stored after a split's training orders, built with the product's own pure
 * functions, so the engine is scored on exactly what it can know: per product its order count, its bounded
 * co-purchase map (Space-Saving, the first MAX_PARTNERS partners of each order, as the products store
 * counts them), its category and `addedAt` (its first sale, as `reciprocity history` derives it); per
 * customer the bounded purchase history, category counts, the last 20 skus and the recent order times.
 */
import { CoPurchaseTally, guaranteedCounts } from '../functions/domain/co-purchase.js';
import { medianGapDays, recentOrderTimes } from '../functions/domain/inactivity.js';
import { type PeerPick, peerPicks } from '../functions/domain/peers.js';
import { purchasePatch } from '../functions/domain/profile.js';
import type { PurchaseHistory } from '../functions/domain/purchase-history.js';
import { decayedCount } from '../functions/domain/trending.js';
import type { Split, World } from './recs-data.js';

/** As functions/adapters/products.ts counts an order's partners per item. */
const MAX_PARTNERS = 50;

export interface StoredProduct {
  orderCount: number;
  /** The co-purchase counts as ProductStore serves them (`coBought`: guaranteed counts, zeros left out). */
  co: Record<string, number>;
  /** First sale (ISO). */
  addedAt: string;
  /** Orders containing it with each weighted by 0.5^(age / half-life), as of `recentAt` (a proposed field). */
  recent: number;
  recentAt: number;
}

export interface StoredCustomer {
  purchaseHistory: PurchaseHistory;
  purchasedCategories: Record<string, number>;
  recentPurchases: string[];
  recentOrderTimes: string[];
  orderGapDays?: number;
  lastOrderAt: string;
  /** What the weekly peer sweep would have stored (usecases/peer-sweep.ts): "shoppers like you". */
  peerPicks?: { at: string; items: PeerPick[] };
}

export interface Stored {
  products: Map<number, StoredProduct>;
  customers: Map<string, StoredCustomer>;
}

/** Half-life in days of the proposed decayed order count per product. */
export const RECENT_HALF_LIFE_DAYS = 14;

export function storedOf(world: World, split: Split): Stored {
  const orders: { customerId: string; at: number; items: number[] }[] = [];
  for (const [customerId, baskets] of split.history)
    for (const b of baskets) orders.push({ customerId, at: b.at, items: b.items });
  orders.sort((a, b) => a.at - b.at || a.customerId.localeCompare(b.customerId));
  const products = new Map<number, StoredProduct>();
  // What the store keeps per product (counts and inherited errors); `co` is what it serves, set at the end.
  const tallies = new Map<number, CoPurchaseTally>();
  const customers = new Map<string, StoredCustomer>();
  for (const o of orders) {
    const at = new Date(o.at).toISOString();
    const skus = o.items.map((i) => world.skus[i]!);
    o.items.forEach((i, n) => {
      const p = products.get(i) ?? {
        orderCount: 0,
        co: {},
        addedAt: at,
        recent: 0,
        recentAt: o.at,
      };
      p.orderCount += 1;
      const partners = skus.filter((_, m) => m !== n).slice(0, MAX_PARTNERS);
      if (partners.length) {
        const tally = tallies.get(i) ?? new CoPurchaseTally();
        tally.add(partners);
        tallies.set(i, tally);
      }
      p.recent = decayedCount(p.recent, p.recentAt, o.at, RECENT_HALF_LIFE_DAYS) + 1;
      p.recentAt = o.at;
      products.set(i, p);
    });
    const c = customers.get(o.customerId);
    const items = o.items.map((i) => ({ sku: world.skus[i]!, category: world.categories[i]! }));
    const { purchaseHistory, ...patch } = purchasePatch(c, at, items);
    const times = recentOrderTimes(c?.recentOrderTimes, at);
    const gap = medianGapDays(times);
    const next: StoredCustomer = {
      ...patch,
      purchaseHistory,
      recentOrderTimes: times,
      lastOrderAt: at,
    };
    if (gap !== undefined) next.orderGapDays = gap;
    customers.set(o.customerId, next);
  }
  for (const [i, tally] of tallies) {
    const p = products.get(i);
    if (p) p.co = guaranteedCounts(tally.state());
  }
  // The peer sweep's picks as of the split, from the bounded histories the profiles hold (as the sweep reads
  // them); every customer here can get email.
  const at = new Date(split.start).toISOString();
  const picks = peerPicks(
    [...customers].map(([customerId, c]) => ({ customerId, items: Object.keys(c.purchaseHistory.items) })),
  );
  for (const [customerId, items] of picks) customers.get(customerId)!.peerPicks = { at, items };
  return { products, customers };
}
