/**
 * A message's suggestions, as one pure function Personalize (and anything that previews a message) calls:
 * first the customer's re-orders where one is due (labelled "buy again", with their own rhythm in numbers,
 * domain/buy-again.ts), then items they have never bought (domain/recommend.ts: bought together with their
 * items, their categories, popular, new). An item they own is only ever shown as a re-order, never as if it
 * were new. The rules stay: never a disliked item or category, never out of stock.
 */
import { type BuyAgainPick, buyAgain } from './buy-again.js';
import type { Reorders } from './config.js';
import type { Taste } from './feedback.js';
import { type RhythmView, reasonWords } from './i18n/reasons.js';
import { ownedSkus, type PurchaseHistory } from './purchase-history.js';
import { type Product, type RecommendInput, recommend, type Scored } from './recommend.js';

/**
 * How re-orders and new items share a message's slots (tuned offline: bench/recs-real.ts). A slot goes to
 * whichever is likelier to be in their next order: a re-order is, once it is in a fifth of their orders
 * (an item new to them is in it for about one suggestion in twenty on a real shop's history), so a customer
 * who restocks gets their usuals, and one whose orders differ each time gets discoveries.
 */
export interface SuggestMix {
  /** Slots always left to items they have never bought. */
  minExplore: number;
  /** A re-order takes a slot from this buy-again score on (0..1: the share of their orders with it). */
  dueScore: number;
  /** Re-orders that lend their co-purchase partners to the new items' "bought together". */
  seedsFromBuyAgain: number;
  /** Re-orders read beyond the slots (spares for stock, and to rank equals by the shop's popularity). */
  planExtra: number;
}

export const SUGGEST_MIX: SuggestMix = {
  minExplore: 0,
  dueScore: 0.2,
  seedsFromBuyAgain: 3,
  planExtra: 2,
};

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
  /**
   * Which held items (the order a thank-you is for) may come back as re-orders (config.reorders): their
   * regulars only (in another order of theirs too), or everything. @default 'regulars'
   */
  reorders?: Reorders;
  /** Tuning only: the mix instead of SUGGEST_MIX. */
  mix?: Partial<SuggestMix>;
}

export interface Suggestion extends Scored {
  /** A re-order's rhythm (reason 'buy_again'), for its words in the email's language. */
  rhythm?: RhythmView;
}

type PlanInput = Pick<
  SuggestInput,
  'history' | 'orderGapDays' | 'now' | 'taste' | 'buyAgainSlots' | 'reorders' | 'mix'
> & {
  held: readonly string[];
  /** The shop's order counts of the items read (ranks re-orders bought equally often). */
  popularity?: ReadonlyMap<string, number>;
};

/** The re-orders worth reading from the catalogue for a message, best first (a few spare). */
export function buyAgainPlan(input: PlanInput): BuyAgainPick[] {
  if (input.buyAgainSlots <= 0) return [];
  const mix = { ...SUGGEST_MIX, ...input.mix };
  // What the message is about comes back only if it is one of their regulars (or the shop says everything).
  const items = input.history?.items ?? {};
  const oneOffs =
    input.reorders === 'everything' ? [] : input.held.filter((sku) => (items[sku]?.[0] ?? 0) < 2);
  return buyAgain({
    history: input.history,
    now: input.now,
    ...(input.orderGapDays === undefined ? {} : { orderGapDays: input.orderGapDays }),
    limit: input.buyAgainSlots + mix.planExtra,
    exclude: new Set([...oneOffs, ...input.taste.dislikedSkus]),
    ...(input.popularity ? { popularity: input.popularity } : {}),
  });
}

/**
 * The items whose co-purchase partners are read and scored: the held items, then the first re-orders that
 * can be shown. Personalize plans its reads with it and `suggest` scores with it, so both use the same.
 */
export function suggestSeeds(
  held: readonly Product[],
  reorders: readonly Product[],
  taste: Taste,
  mix?: Partial<SuggestMix>,
): Product[] {
  const { seedsFromBuyAgain } = { ...SUGGEST_MIX, ...mix };
  const seen = new Set(held.map((p) => p.sku));
  const lent = reorders.filter((p) => !seen.has(p.sku) && shown(p, taste)).slice(0, seedsFromBuyAgain);
  return [...held, ...lent];
}

/** The suggestions, best first; deterministic. */
export function suggest(input: SuggestInput): Suggestion[] {
  const mix = { ...SUGGEST_MIX, ...input.mix };
  const held = input.seeds.map((s) => s.sku);
  const catalogue = new Map<string, Product>();
  for (const p of [...input.seeds, ...input.candidates]) if (!catalogue.has(p.sku)) catalogue.set(p.sku, p);

  const slots = Math.min(input.buyAgainSlots, Math.max(0, input.limit - mix.minExplore));
  // The re-orders Personalize read, in its order (they lend their partners), then ranked with every record
  // read: between items bought as often, the one the shop sells more comes first (an item of the popular
  // lists has its stepped count, domain/popularity.ts, which ranks the same).
  const planned = buyAgainPlan({ ...input, held }).flatMap((p) => catalogue.get(p.sku) ?? []);
  const popularity = new Map([...catalogue.values()].map((p) => [p.sku, p.orderCount]));
  const again: { pick: BuyAgainPick; product: Product }[] = [];
  for (const pick of buyAgainPlan({ ...input, held, popularity })) {
    const product = catalogue.get(pick.sku);
    if (!product || !shown(product, input.taste) || pick.score < mix.dueScore) continue;
    again.push({ pick, product });
  }
  const reorders = again.slice(0, slots).map(({ pick, product }) => reorder(pick, product));

  // New to them: nothing they own (it would read as new), nor the re-orders just picked.
  const owned = new Set([...ownedSkus(input.history), ...(input.recentlyBought ?? []), ...held]);
  const seeds = suggestSeeds(input.seeds, planned, input.taste, input.mix);
  const fresh = recommend({
    seeds,
    candidates: input.candidates.filter((p) => !owned.has(p.sku)),
    taste: input.taste,
    ...(input.purchasedCategories ? { purchasedCategories: input.purchasedCategories } : {}),
    ...(input.peers ? { peers: input.peers } : {}),
    limit: input.limit - reorders.length,
    now: input.now,
    ...(input.weights ? { weights: input.weights } : {}),
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
