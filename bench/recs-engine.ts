/**
 * The engine as it ships, scored on the real shop: for each case, the thank-you for the customer's last order
 * before the split, with the reads Personalize makes (functions/usecases/personalize-data.ts,
 * `recommendationsFor`) answered from what the product would have stored (bench/recs-stored.ts), and the
 * suggestions from the same pure `suggest` Personalize calls.
 */
import { type BuyAgainWeights, buyAgain } from '../functions/domain/buy-again.js';
import { popularityOf } from '../functions/domain/popularity.js';
import { HISTORY_ITEMS_KEPT } from '../functions/domain/purchase-history.js';
import type { Product } from '../functions/domain/recommend.js';
import {
  type CatalogueReads,
  type SuggestionRequest,
  suggestionsFor,
} from '../functions/usecases/suggestions.js';
import { type Case, fillPopular, type World } from './recs-data.js';
import type { Method } from './recs-models.js';
import type { Stored } from './recs-stored.js';

/** As functions/adapters/products.ts reads a category's top items (popularIn, newIn). */
const POPULAR_PER_CATEGORY = 10;
const NEW_PER_CATEGORY = 5;

/** What-if knobs: the same engine on data the product does not store today. */
export interface EngineOptions {
  /** Co-purchase maps to read instead of the stored ones (e.g. a different bounded summary). */
  coMaps?: ReadonlyMap<number, Record<string, number>>;
  /** Request fields to change (what a variant of the engine would ask for). */
  request?: (c: Case) => Partial<SuggestionRequest>;
}

/** A read-only catalogue over the stored products, answering the product store's three reads. */
export function catalogueOf(world: World, stored: Stored, options: EngineOptions = {}) {
  const records = new Map<string, Product>();
  for (const [i, p] of stored.products) {
    records.set(world.skus[i]!, {
      sku: world.skus[i]!,
      name: world.names[i]!,
      price: 1,
      category: world.categories[i]!,
      orderCount: p.orderCount,
      coBought: options.coMaps?.get(i) ?? p.co,
      addedAt: p.addedAt,
    });
  }
  const byCategory = new Map<string, Product[]>();
  for (const p of records.values()) {
    const list = byCategory.get(p.category!) ?? [];
    list.push(p);
    byCategory.set(p.category!, list);
  }
  const popular = new Map<string, Product[]>();
  const newest = new Map<string, Product[]>();
  for (const [category, list] of byCategory) {
    // The index's sort key is the stepped popularity; DynamoDB orders equal keys by the table key (sku).
    const ladder = list
      .map((p) => ({ ...p, orderCount: popularityOf(p.orderCount) }))
      .sort((a, b) => b.orderCount - a.orderCount || (a.sku < b.sku ? 1 : a.sku > b.sku ? -1 : 0));
    popular.set(category, ladder.slice(0, POPULAR_PER_CATEGORY));
    newest.set(
      category,
      [...list].sort((a, b) => (b.addedAt! < a.addedAt! ? -1 : b.addedAt! > a.addedAt! ? 1 : 0)),
    );
  }
  return {
    getMany: (skus: readonly string[]) =>
      [...new Set(skus)].map((s) => records.get(s)).filter((p): p is Product => Boolean(p)),
    popularIn: (categories: readonly string[]) =>
      [...new Set(categories)].flatMap((c) => popular.get(c) ?? []),
    newIn: (categories: readonly string[], since: string) =>
      [...new Set(categories)].flatMap((c) =>
        (newest.get(c) ?? []).filter((p) => p.addedAt! >= since).slice(0, NEW_PER_CATEGORY),
      ),
  };
}

/**
 * The suggestions exactly as Personalize makes them (functions/usecases/suggestions.ts, the use case
 * `recommendationsFor` runs), with the catalogue's reads answered from the stored products: the thank-you for
 * the last order (held: its items), the customer's profile as stored, `k` slots, every one open to re-orders
 * (a thank-you's buyAgainSlots is its limit).
 */
export function engine(world: World, stored: Stored, options: EngineOptions = {}): Method {
  const products = catalogueOf(world, stored, options);
  const catalogue: CatalogueReads = {
    getMany: async (skus) => products.getMany(skus),
    popularIn: async (categories) => products.popularIn(categories),
    newIn: async (categories, since) => products.newIn(categories, since),
  };
  return async (c, k) => {
    const profile = stored.customers.get(c.customerId)!;
    const picks = await suggestionsFor(catalogue, {
      profile,
      heldSkus: c.past.at(-1)!.items.map((i) => world.skus[i]!),
      limit: k,
      buyAgainSlots: k,
      now: new Date(c.past.at(-1)!.at),
      ...options.request?.(c),
    });
    return picks.map((p) => world.index.get(p.sku)!);
  };
}

/**
 * Re-orders alone (every slot from `buyAgain`): the stored history, ranked with the popularity of its items
 * (the records of at most `reads` of them, the first by frequency), topped up with the shop's best sellers.
 */
export function buyAgainOnly(
  world: World,
  stored: Stored,
  byPopularity: readonly number[],
  weights: BuyAgainWeights,
  reads: number = HISTORY_ITEMS_KEPT,
): Method {
  return (c, k) => {
    const profile = stored.customers.get(c.customerId)!;
    const history = profile.purchaseHistory;
    const read = Object.entries(history.items)
      .sort((a, b) => b[1][0] - a[1][0] || b[1][2] - a[1][2] || (a[0] < b[0] ? -1 : 1))
      .slice(0, reads);
    const popularity = new Map(
      read.map(([sku]) => [sku, stored.products.get(world.index.get(sku)!)?.orderCount ?? 0]),
    );
    const picks = buyAgain({
      history,
      ...(profile.orderGapDays === undefined ? {} : { orderGapDays: profile.orderGapDays }),
      now: new Date(c.past.at(-1)!.at),
      limit: k,
      popularity,
      weights,
    });
    return fillPopular(
      picks.map((p) => world.index.get(p.sku)!),
      k,
      byPopularity,
    );
  };
}
