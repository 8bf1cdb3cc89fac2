/**
 * What repeats: in a shop where most next orders contain something bought before, the strongest suggestion
 * is often an item the customer already buys, at the moment they usually buy it again. `buyAgain` picks
 * those from the customer's own rhythm per item (the typical interval between their purchases of it,
 * against the time since the last one, at their likely next order), each with the numbers its label states
 * (domain/i18n/reasons.ts words them in the email's language). domain/suggest.ts shares a message's slots
 * between these and items new to the customer.
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
