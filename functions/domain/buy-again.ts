/**
 * What repeats, and what is new: in a shop where most next orders contain something bought before, the
 * strongest suggestion is often an item the customer already buys, at the moment they usually buy it again.
 * `buyAgain` picks those from the customer's own rhythm per item (the typical interval between their
 * purchases of it, against the time since the last one, at their likely next order), each labelled as a
 * re-order with the reason in numbers. `exploreItems` picks items they have never bought, from what is
 * bought together with their items and from their categories; it never returns an owned item. `mixSlots`
 * fills a message's slots: buy-again where an item is really due, explore for the rest.
 */

import { itemPurchases, type PurchaseHistory } from './purchase-history.js';

const DAY_MS = 86_400_000;

/** How the buy-again score weighs frequency, recency, timing and the shop's popularity (bench/recs-real.ts). */
export interface BuyAgainWeights {
  /** Width of the "due" window on a log scale: 1 means due from about a third to three times the rhythm. */
  dueWidth: number;
  /** Weight of timing against plain frequency (0: frequency only; 1: frequency times timing). */
  timing: number;
  /** The timing of an item bought once (no rhythm yet), on the same 0..1 scale as a rhythm's. */
  onceTiming: number;
  /** A purchase's weight halves every this many days since it (Infinity: no recency). */
  halfLifeDays: number;
  /**
   * Weight of the item's popularity in the shop (its order count, on a log scale against the customer's
   * most popular item): between two items a customer buys as often, the one everybody re-buys comes first.
   */
  popularity: number;
}

/**
 * Chosen on the validation split of a real shop's history (bench/results/recommendations-real.md):
 * frequency alone, the shop's popularity between items bought as often (in a wholesale shop most items of
 * a customer are bought the same number of times); timing and recency did not help there (timing 0.2 or 0.5,
 * half-lives of 60 or 180 days all scored lower), so timing only labels an item 'due'.
 */
export const BUY_AGAIN_WEIGHTS: BuyAgainWeights = {
  dueWidth: 0.5,
  timing: 0,
  onceTiming: 0.5,
  halfLifeDays: Number.POSITIVE_INFINITY,
  popularity: 0.01,
};

export type BuyAgainReason = 'due' | 'regular' | 'recent';

export interface BuyAgainPick {
  sku: string;
  /** 0..1: the share of the customer's orders with it, shaped by how due and how recent it is. */
  score: number;
  reason: BuyAgainReason;
  /** Orders of the customer that contained it. */
  timesBought: number;
  /** Days from the last purchase of it to the expected next order. */
  daysSince: number;
  /** The customer's typical days between purchases of it (known from two purchases on). */
  typicalDays?: number;
  /** In English words, with the numbers (the label beside the slot: it is a re-order, and why now). */
  because: string;
}

export interface BuyAgainInput {
  /** The customer's bounded purchase record (profile.purchaseHistory). */
  history: PurchaseHistory | undefined;
  /** When the suggestion is made (the message's time). */
  now: Date;
  limit: number;
  /** The customer's median days between orders (profile.orderGapDays); 30 without one. */
  orderGapDays?: number;
  /** Days from now to the order the suggestion is for. @default orderGapDays */
  horizonDays?: number;
  /** Skus never to suggest (out of stock, disliked). */
  exclude?: ReadonlySet<string>;
  /** The shop's order count of the items whose records were read (sku -> count); unknown items count 0. */
  popularity?: ReadonlyMap<string, number>;
  weights?: BuyAgainWeights;
}

/** Items a due re-order is labelled from: timing at least this (the rhythm says "now", within the window). */
const DUE_TIMING = 0.6;

/**
 * Items to buy again, best first, deterministic. Per item: the share f of the customer's orders that
 * contained it, faded by 0.5^(days since its last purchase / halfLifeDays); with two purchases or more its
 * rhythm T = the mean interval between them, r = (days from its last purchase to the expected next order) / T
 * and timing = exp(-(ln r)^2 / (2 dueWidth^2)), 1 when exactly due (an item bought once: onceTiming). The
 * score is f x fade x ((1 - timing weight) + timing weight x timing). Ranked by the score x (1 + popularity
 * weight x the item's log order count against the customer's most popular item's); ties: the latest bought,
 * then by sku.
 */
export function buyAgain(input: BuyAgainInput): BuyAgainPick[] {
  const w = input.weights ?? BUY_AGAIN_WEIGHTS;
  const history = input.history;
  if (!history?.orders || input.limit <= 0) return [];
  const now = input.now.getTime();
  const gap = input.orderGapDays ?? 30;
  const target = now + (input.horizonDays ?? gap) * DAY_MS;
  const items = itemPurchases(history).filter((item) => !input.exclude?.has(item.sku));
  const popularity = (sku: string) => Math.log1p(Math.max(0, input.popularity?.get(sku) ?? 0));
  const maxPopularity = Math.max(Number.MIN_VALUE, ...items.map((item) => popularity(item.sku)));
  const ranked: { pick: BuyAgainPick; rank: number; lastAt: number }[] = [];
  for (const item of items) {
    const share = Math.min(1, item.timesBought / history.orders);
    const fade = 0.5 ** (Math.max(0, now - item.lastAt) / DAY_MS / w.halfLifeDays);
    const daysSince = Math.max(0, (target - item.lastAt) / DAY_MS);
    const typicalDays = item.typicalDays;
    const timing =
      typicalDays === undefined
        ? w.onceTiming
        : Math.exp(-(Math.log(Math.max(daysSince, 1) / typicalDays) ** 2) / (2 * w.dueWidth ** 2));
    const score = share * fade * (1 - w.timing + w.timing * timing);
    const reason: BuyAgainReason =
      typicalDays === undefined ? 'recent' : timing >= DUE_TIMING ? 'due' : 'regular';
    const typical = typicalDays === undefined ? undefined : Math.round(typicalDays);
    const pick: BuyAgainPick = {
      sku: item.sku,
      score: Math.round(score * 1_000_000) / 1_000_000,
      reason,
      timesBought: item.timesBought,
      daysSince: Math.round(daysSince),
      because: buyAgainWords(reason, item.timesBought, Math.round(daysSince), typical),
    };
    if (typical !== undefined) pick.typicalDays = typical;
    const rank = score * (1 + w.popularity * (popularity(item.sku) / maxPopularity));
    ranked.push({ pick, rank, lastAt: item.lastAt });
  }
  // On equal ranks the item bought last comes first: what they bought lately says most about the next order.
  return ranked
    .sort((a, b) => b.rank - a.rank || b.lastAt - a.lastAt || a.pick.sku.localeCompare(b.pick.sku))
    .slice(0, input.limit)
    .map((r) => r.pick);
}

function buyAgainWords(reason: BuyAgainReason, times: number, since: number, typical?: number): string {
  if (reason === 'due')
    return `Time to restock? You buy this about every ${typical} days; it has been ${since}.`;
  if (reason === 'regular') return `You have bought this ${times} times.`;
  return 'You bought this recently.';
}

/** A catalogue item that may be explored. */
export interface ExploreCandidate {
  sku: string;
  category?: string;
  /** Orders that contained it lately (the shop's current popularity). */
  orderCount: number;
  inStock?: boolean;
}

export interface ExploreWeights {
  coPurchase: number;
  category: number;
  popularity: number;
  /** Co-purchase counts are divided by the partner's popularity to this power (0: plain counts). */
  damping: number;
}

export const EXPLORE_WEIGHTS: ExploreWeights = { coPurchase: 3, category: 1, popularity: 1, damping: 0.5 };

export type ExploreReason = 'bought_together' | 'bought_category' | 'popular';

export interface ExplorePick {
  sku: string;
  score: number;
  reason: ExploreReason;
}

export interface ExploreInput {
  /** Everything the customer has bought: never suggested here. */
  owned: ReadonlySet<string>;
  /**
   * The owned items whose partners are read, each weighted by how strongly it stands for the customer (a
   * handful: e.g. their top buy-again items), with their co-purchase counts (other sku -> orders with both).
   */
  seeds: ReadonlyMap<string, { weight: number; coBought: Readonly<Record<string, number>> }>;
  candidates: readonly ExploreCandidate[];
  /** The customer's purchases per category. */
  categoryCounts: Readonly<Record<string, number>>;
  limit: number;
  exclude?: ReadonlySet<string>;
  weights?: ExploreWeights;
}

/**
 * Items the customer has never bought, best first (ties by sku): co-purchase with their items (each owned
 * item weighted by how strongly it stands for them, counts damped by the partner's popularity so the
 * shop's best sellers do not win every list), their category affinity, and current popularity, each
 * scaled to 0..1. Never an owned, excluded or out-of-stock item.
 */
export function exploreItems(input: ExploreInput): ExplorePick[] {
  const w = input.weights ?? EXPLORE_WEIGHTS;
  const popularity = new Map(input.candidates.map((c) => [c.sku, c.orderCount]));
  const co = new Map<string, number>();
  for (const { weight, coBought } of input.seeds.values()) {
    for (const [sku, n] of Object.entries(coBought)) {
      if (input.owned.has(sku)) continue;
      const damp = Math.max(1, popularity.get(sku) ?? 1) ** w.damping;
      co.set(sku, (co.get(sku) ?? 0) + (weight * n) / damp);
    }
  }
  const maxCo = Math.max(Number.MIN_VALUE, ...co.values());
  const maxCategory = Math.max(1, ...Object.values(input.categoryCounts));
  const maxPop = Math.max(1, ...popularity.values());
  const picks: ExplorePick[] = [];
  const seen = new Set<string>();
  for (const c of input.candidates) {
    if (seen.has(c.sku) || input.owned.has(c.sku) || input.exclude?.has(c.sku) || c.inStock === false)
      continue;
    seen.add(c.sku);
    const coScore = (co.get(c.sku) ?? 0) / maxCo;
    const category = c.category ? (input.categoryCounts[c.category] ?? 0) / maxCategory : 0;
    const pop = c.orderCount / maxPop;
    const score = w.coPurchase * coScore + w.category * category * pop ** 0.5 + w.popularity * pop;
    const reason: ExploreReason =
      coScore > 0 ? 'bought_together' : category > 0 ? 'bought_category' : 'popular';
    picks.push({ sku: c.sku, score: Math.round(score * 10_000) / 10_000, reason });
  }
  return picks.sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku)).slice(0, input.limit);
}

export type Slot = ({ kind: 'buy_again' } & BuyAgainPick) | ({ kind: 'explore' } & ExplorePick);

/**
 * A message's suggestions: buy-again items scoring at least `dueScore` first (at most `total - minExplore`
 * of them), then explore items for the remaining slots. Every slot says which kind it is, so an owned item is
 * never shown as if it were new.
 */
export function mixSlots(
  again: readonly BuyAgainPick[],
  explore: readonly ExplorePick[],
  options: { total: number; minExplore: number; dueScore: number },
): Slot[] {
  const slots: Slot[] = again
    .filter((p) => p.score >= options.dueScore)
    .slice(0, Math.max(0, options.total - options.minExplore))
    .map((p) => ({ kind: 'buy_again', ...p }));
  for (const p of explore) {
    if (slots.length >= options.total) break;
    slots.push({ kind: 'explore', ...p });
  }
  return slots;
}
