/**
 * A message's suggestions, as one pure function Personalize (and anything that previews a message) calls:
 * first the customer's re-orders where one is due (labelled "buy again", with their own rhythm in numbers,
 * domain/buy-again.ts), then items they have never bought (domain/recommend.ts: bought together with their
 * items, their categories, popular, new). An item they own is only ever shown as a re-order, never as if it
 * were new. The rules stay: never a disliked item or category, never out of stock.
 */
import { type BuyAgainPick, buyAgain } from './buy-again.js';
import type { Taste } from './feedback.js';
import { type RhythmView, reasonWords } from './i18n/reasons.js';
import { ownedSkus, type PurchaseHistory } from './purchase-history.js';
import { type Product, type RecommendInput, recommend, type Scored } from './recommend.js';

/** How re-orders and new items share a message's slots (tuned offline: bench/recs-real.ts). */
export const SUGGEST_MIX = {
  /** Slots always left to items they have never bought. */
  minExplore: 1,
  /** A re-order takes a slot from this buy-again score on (0..1: the share of their orders with it, timed). */
  dueScore: 0,
  /** Re-orders that lend their co-purchase partners to the new items' "bought together". */
  seedsFromBuyAgain: 3,
} as const;

/**
 * What `recommend` takes (the held items as seeds; `candidates` also holds the records of the
 * `buyAgainPlan` skus), plus what the re-orders need.
 */
export interface SuggestInput extends Omit<RecommendInput, 'now'> {
  /** What they buy again (profile.purchaseHistory). */
  history?: PurchaseHistory;
  /** Their median days between orders (profile.orderGapDays). */
  orderGapDays?: number;
  now: Date;
  /** Most slots re-orders may take (0: none, e.g. a cart reminder, which is about the cart). */
  buyAgainSlots: number;
}

export interface Suggestion extends Scored {
  /** A re-order's rhythm (reason 'buy_again'), for its words in the email's language. */
  rhythm?: RhythmView;
}

/** The re-orders worth reading from the catalogue for a message, best first (a few spare for stock). */
export function buyAgainPlan(
  input: Pick<SuggestInput, 'history' | 'orderGapDays' | 'now' | 'taste' | 'buyAgainSlots'> & {
    held: readonly string[];
  },
): BuyAgainPick[] {
  if (input.buyAgainSlots <= 0) return [];
  return buyAgain({
    history: input.history,
    now: input.now,
    ...(input.orderGapDays === undefined ? {} : { orderGapDays: input.orderGapDays }),
    limit: input.buyAgainSlots + 2,
    exclude: new Set([...input.held, ...input.taste.dislikedSkus]),
  });
}

/** The suggestions, best first; deterministic. */
export function suggest(input: SuggestInput): Suggestion[] {
  const held = input.seeds.map((s) => s.sku);
  const catalogue = new Map<string, Product>();
  for (const p of [...input.seeds, ...input.candidates]) if (!catalogue.has(p.sku)) catalogue.set(p.sku, p);

  const slots = Math.min(input.buyAgainSlots, Math.max(0, input.limit - SUGGEST_MIX.minExplore));
  const again: { pick: BuyAgainPick; product: Product }[] = [];
  for (const pick of buyAgainPlan({ ...input, held })) {
    const product = catalogue.get(pick.sku);
    if (!product || !shown(product, input.taste) || pick.score < SUGGEST_MIX.dueScore) continue;
    again.push({ pick, product });
  }
  const reorders = again.slice(0, slots).map(({ pick, product }) => reorder(pick, product));

  // New to them: nothing they own (it would read as new), nor the re-orders just picked.
  const owned = new Set([...ownedSkus(input.history), ...(input.recentlyBought ?? []), ...held]);
  const seeds = [...input.seeds, ...again.slice(0, SUGGEST_MIX.seedsFromBuyAgain).map((a) => a.product)];
  const fresh = recommend({
    seeds,
    candidates: input.candidates.filter((p) => !owned.has(p.sku)),
    taste: input.taste,
    ...(input.purchasedCategories ? { purchasedCategories: input.purchasedCategories } : {}),
    limit: input.limit - reorders.length,
    now: input.now,
  });
  return [...reorders, ...fresh];
}

function shown(p: Product, taste: Taste): boolean {
  if (p.inStock === false || taste.dislikedSkus.has(p.sku)) return false;
  return !(p.category && taste.dislikedCategories.has(p.category));
}

function reorder(pick: BuyAgainPick, p: Product): Suggestion {
  const { orderCount: _c, inStock: _s, consumable: _k, coBought: _b, addedAt: _a, ...view } = p;
  const rhythm: RhythmView = {
    timesBought: pick.timesBought,
    ...(pick.typicalDays === undefined ? {} : { typicalDays: pick.typicalDays }),
  };
  return {
    ...view,
    score: Math.round(pick.score * 1000) / 1000,
    reason: 'buy_again',
    because: reasonWords('buy_again', 'en', p.category, rhythm),
    rhythm,
  };
}
