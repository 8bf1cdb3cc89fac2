/**
 * Recommendations from data, not hard-coded: items bought together with what the customer is looking at
 * (co-purchase counts kept incrementally from orders), blended with the customer's own category affinity
 * (purchases and votes), and popularity for a cold start. Never: a disliked item or category, something they
 * just bought (unless consumable), an out-of-stock item, or what they already hold.
 */
import type { Taste } from './feedback.js';
import { reasonWords } from './i18n/reasons.js';
import type { ReasonKind } from './model.js';
import type { RecommendationView } from './render.js';
import { firstBy } from './top.js';

export interface Product extends RecommendationView {
  orderCount: number;
  inStock?: boolean;
  /** Re-buyable (tea, coffee): may be recommended again after a purchase. */
  consumable?: boolean;
  /** Co-purchase counts: other sku -> orders that contained both. */
  coBought?: Record<string, number>;
  /** When the shop added it (product.upserted `addedAt`). */
  addedAt?: string;
}

export interface RecommendInput {
  /** Items the message is about (order or cart lines), with their co-purchase counts. */
  seeds: readonly Product[];
  /** Catalogue items to choose from (co-bought items, popular items of relevant categories). */
  candidates: readonly Product[];
  taste: Taste;
  /** Categories of the customer's past purchases, with counts. */
  purchasedCategories?: Readonly<Record<string, number>>;
  /** Skus the customer bought recently. */
  recentlyBought?: ReadonlySet<string>;
  /** "Shoppers like you" (profile.peerPicks, domain/peers.ts): sku -> score, 1 for the best. */
  peers?: ReadonlyMap<string, number>;
  limit: number;
  /** Now, for what counts as new (added within NEW_DAYS); without it nothing is new. */
  now?: Date;
  /** The shop's own weights (config.recommendationWeights), over RECOMMEND_WEIGHTS. */
  weights?: Partial<RecommendWeights>;
}

/** Days after the shop adds an item during which it is new. */
export const NEW_DAYS = 30;

export interface Scored extends RecommendationView {
  score: number;
  /** Why it was picked: the strongest signal that scored it (the email and the why page put it in words). */
  reason: ReasonKind;
  /** The reason in English words (emails use their own language's, domain/i18n/reasons.ts). */
  because: string;
}

/** How much each signal counts, each scaled to 0..1 first. */
export interface RecommendWeights {
  /** Bought together with the items the message is about (and their usual re-orders). */
  coPurchase: number;
  /** In a category the customer buys from, by their share of purchases in it. */
  affinity: number;
  /** A category or item they said "useful" to. */
  liked: number;
  /** The shop's order count. */
  popularity: number;
  /** Added to the shop within NEW_DAYS. */
  fresh: number;
  /** Bought by the customers most like them (profile.peerPicks). */
  peers: number;
}

/**
 * Tuned on the demo shop (`npm run eval:recs`), but for `peers`, chosen on the UCI shop's validation split
 * (`npm run eval:recs -- --real`: explore hit at 5 from 27.5% without to 35.0% on its test split). The demo's
 * simulated customers buy by category and popularity alone, so their neighbours know nothing their
 * categories do not, and there "shoppers like you" costs 3.8 and 4.3 points at 3 and 5; a real shop's
 * customers are alike in more than their categories. A shop's own history may call for others:
 * `npm run eval:recs -- --data FILE` tunes them on it and prints the config.recommendationWeights to set
 * (on the UCI shop, bought-together counts for much more and category affinity for less).
 */
export const RECOMMEND_WEIGHTS: RecommendWeights = {
  coPurchase: 3,
  affinity: 1.5,
  liked: 1,
  popularity: 1,
  fresh: 0.5,
  peers: 3,
};

/**
 * How widely candidates are gathered for one message: the strongest co-purchase partners of the held items,
 * and the customer's own top categories. Bounded so one message reads a handful of items, whatever the
 * catalogue's size.
 */
export const CANDIDATE_LIMITS = { partners: 8, ownCategories: 3 } as const;

/** Which catalogue items and categories to fetch as candidates for a message (the reads Personalize makes). */
export function candidatePlan(input: {
  seeds: readonly Pick<Product, 'category' | 'coBought'>[];
  purchasedCategories?: Readonly<Record<string, number>>;
  likedCategories: Iterable<string>;
}): { partners: string[]; categories: string[] } {
  const partners = firstBy(
    input.seeds.flatMap((s) => Object.entries(s.coBought ?? {})),
    CANDIDATE_LIMITS.partners,
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  ).map(([sku]) => sku);
  const ownCategories = Object.entries(input.purchasedCategories ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, CANDIDATE_LIMITS.ownCategories)
    .map(([c]) => c);
  const categories = [
    ...input.seeds.map((s) => s.category).filter((c): c is string => Boolean(c)),
    ...ownCategories,
    ...input.likedCategories,
  ];
  return { partners, categories };
}

/** Scores and ranks candidates; deterministic (ties by sku). */
export function recommend(input: RecommendInput): Scored[] {
  const w = { ...RECOMMEND_WEIGHTS, ...input.weights };
  const held = new Set(input.seeds.map((s) => s.sku));
  const co = new Map<string, number>();
  for (const seed of input.seeds) {
    for (const [sku, n] of Object.entries(seed.coBought ?? {})) co.set(sku, (co.get(sku) ?? 0) + n);
  }
  const maxCo = Math.max(1, ...co.values());
  const maxPop = Math.max(1, ...input.candidates.map((c) => c.orderCount));
  const purchased = input.purchasedCategories ?? {};
  const maxAffinity = Math.max(1, ...Object.values(purchased));
  const unique = new Map<string, Product>();
  for (const p of input.candidates) if (!unique.has(p.sku)) unique.set(p.sku, p);

  const scored: Scored[] = [];
  for (const p of unique.values()) {
    if (!allowed(p, held, input)) continue;
    const coScore = (co.get(p.sku) ?? 0) / maxCo;
    const category = p.category ?? '';
    const affinity = (purchased[category] ?? 0) / maxAffinity;
    const liked = input.taste.likedCategories.has(category) || input.taste.likedSkus.has(p.sku) ? 1 : 0;
    const popularity = p.orderCount / maxPop;
    const fresh = isNew(p.addedAt, input.now) ? 1 : 0;
    const peer = input.peers?.get(p.sku) ?? 0;
    const score =
      w.coPurchase * coScore +
      w.affinity * affinity +
      w.liked * liked +
      w.popularity * popularity +
      w.fresh * fresh +
      w.peers * peer;
    // The reason is the strongest signal that scored it; "new" only when nothing personal did.
    const reason: ReasonKind =
      coScore > 0
        ? 'bought_together'
        : peer > 0
          ? 'shoppers_like_you'
          : liked && category
            ? 'liked_category'
            : affinity > 0
              ? 'bought_category'
              : fresh
                ? 'new'
                : 'popular';
    const { orderCount: _c, inStock: _s, consumable: _k, coBought: _b, addedAt: _a, ...view } = p;
    const because = reasonWords(reason, 'en', category);
    scored.push({ ...view, score: Math.round(score * 1000) / 1000, reason, because });
  }
  return scored.sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku)).slice(0, input.limit);
}

function isNew(addedAt: string | undefined, now: Date | undefined): boolean {
  const added = addedAt ? Date.parse(addedAt) : Number.NaN;
  if (!now || Number.isNaN(added)) return false;
  const age = now.getTime() - added;
  return age >= 0 && age <= NEW_DAYS * 86_400_000;
}

function allowed(p: Product, held: ReadonlySet<string>, input: RecommendInput): boolean {
  if (p.inStock === false || held.has(p.sku)) return false;
  if (input.taste.dislikedSkus.has(p.sku)) return false;
  if (p.category && input.taste.dislikedCategories.has(p.category)) return false;
  if (input.recentlyBought?.has(p.sku) && !p.consumable) return false;
  return true;
}

/** Popularity only (the baseline the offline evaluation compares against). */
export function pickRecommendations(
  candidates: readonly Product[],
  exclude: ReadonlySet<string>,
  limit: number,
): RecommendationView[] {
  const unique = new Map<string, Product>();
  for (const p of candidates) if (!unique.has(p.sku)) unique.set(p.sku, p);
  return [...unique.values()]
    .filter((p) => p.inStock !== false && !exclude.has(p.sku))
    .sort((a, b) => b.orderCount - a.orderCount || a.sku.localeCompare(b.sku))
    .slice(0, limit)
    .map(
      ({ orderCount: _count, inStock: _stock, consumable: _k, coBought: _b, addedAt: _a, ...view }) => view,
    );
}
