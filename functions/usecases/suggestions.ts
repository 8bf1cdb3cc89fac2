/**
 * The suggestions of one message, with the reads they need: the use case Personalize runs, and that anything
 * showing what Personalize would (a preview, the studio, the bench's evaluation on a real shop) calls with
 * its own catalogue. One batch read fetches the held items and the customer's candidate re-orders (from the
 * purchase history on their profile); then what is bought together with them (their strongest partners)
 * and what is popular or new in their categories and in the categories the customer buys from or liked
 * (bounded reads of the catalogue's two category indexes). The pure `suggest` ranks and filters them with
 * the customer's taste (votes).
 */
import type { Reorders } from '../domain/config.js';
import { tasteOf } from '../domain/feedback.js';
import type { Profile } from '../domain/model.js';
import { candidatePlan, NEW_DAYS, type Product, type RecommendWeights } from '../domain/recommend.js';
import { buyAgainPlan, type Suggestion, type SuggestMix, suggest, suggestSeeds } from '../domain/suggest.js';

/** The catalogue reads suggestions make (functions/adapters/products.ts, or any stand-in). */
export interface CatalogueReads {
  /** `withCoBought`: with each product's partners (`coBought`), which only the items suggestions start from need. */
  getMany(skus: readonly string[], reads?: { withCoBought?: boolean }): Promise<Product[]>;
  popularIn(categories: readonly string[]): Promise<Product[]>;
  newIn(categories: readonly string[], since: string): Promise<Product[]>;
}

export type SuggestionProfile = Pick<
  Profile,
  'feedback' | 'purchaseHistory' | 'orderGapDays' | 'purchasedCategories' | 'recentPurchases' | 'peerPicks'
>;

export interface SuggestionRequest {
  profile: SuggestionProfile;
  /** The items the message is about: the order just placed, the cart left. */
  heldSkus: readonly string[];
  limit: number;
  /** Most slots re-orders may take: 0 for a cart reminder. */
  buyAgainSlots: number;
  now: Date;
  /** config.reorders: which items of the order just placed may come back. @default 'regulars' */
  reorders?: Reorders;
  /** config.recommendationWeights: the shop's own weights for items new to the customer. */
  weights?: Partial<RecommendWeights>;
  /** Tuning only (the bench): the mix to use instead of SUGGEST_MIX. */
  mix?: Partial<SuggestMix>;
}

export async function suggestionsFor(
  catalogue: CatalogueReads,
  request: SuggestionRequest,
): Promise<Suggestion[]> {
  const { profile, now } = request;
  const taste = tasteOf(profile.feedback);
  const context = {
    history: profile.purchaseHistory,
    ...(profile.orderGapDays === undefined ? {} : { orderGapDays: profile.orderGapDays }),
    now,
    taste,
    buyAgainSlots: request.buyAgainSlots,
    ...(request.reorders ? { reorders: request.reorders } : {}),
    ...(request.mix ? { mix: request.mix } : {}),
  };
  const held = [...new Set(request.heldSkus)];
  const plan = buyAgainPlan({ ...context, held }).map((p) => p.sku);
  const read = [...new Set([...held, ...plan])];
  const fetched = new Map(
    (read.length ? await catalogue.getMany(read, { withCoBought: true }) : []).map((p) => [p.sku, p]),
  );
  const seeds = held.flatMap((sku) => fetched.get(sku) ?? []);
  // In the plan's order (best first): a batch read returns items in any order.
  const reorders = plan.flatMap((sku) => fetched.get(sku) ?? []);
  const { partners, categories } = candidatePlan({
    seeds: suggestSeeds(seeds, reorders, taste, request.mix),
    purchasedCategories: profile.purchasedCategories ?? {},
    likedCategories: taste.likedCategories,
  });
  const since = new Date(now.getTime() - NEW_DAYS * 86_400_000).toISOString();
  // "Shoppers like you" are read with the partners (one batch read); suggest leaves out what they own.
  const peers = new Map(profile.peerPicks?.items ?? []);
  const others = [...new Set([...partners, ...[...peers.keys()].filter((sku) => !fetched.has(sku))])];
  const [coBought, popular, added] = await Promise.all([
    others.length ? catalogue.getMany(others) : [],
    categories.length ? catalogue.popularIn(categories) : [],
    categories.length ? catalogue.newIn(categories, since) : [],
  ]);
  return suggest({
    ...context,
    seeds,
    candidates: [...reorders, ...coBought, ...popular, ...added],
    purchasedCategories: profile.purchasedCategories ?? {},
    recentlyBought: new Set(profile.recentPurchases ?? []),
    ...(peers.size ? { peers } : {}),
    limit: request.limit,
    ...(request.weights ? { weights: request.weights } : {}),
  });
}
