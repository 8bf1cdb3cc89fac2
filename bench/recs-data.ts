/**
 * The real shop's history prepared for next-basket evaluation (bench/recs-real.ts): items as dense ids, each
 * customer's orders as baskets, and a time split: train on every order before `start`; a case is a customer
 * with an order before `start` and one in [start, end), and the target is their first order in that window
 * (the order the thank-you for their last order before `start` could have shaped).
 */
import { keywordCategory } from '../cli/categories.js';
import type { HistoricOrder } from '../cli/order-history.js';

export interface Basket {
  at: number;
  /** Distinct item ids. */
  items: number[];
}

export interface World {
  skus: string[];
  names: string[];
  categories: string[];
  index: Map<string, number>;
  /** Every customer's orders, oldest first. */
  byCustomer: Map<string, Basket[]>;
}

export interface Case {
  customerId: string;
  /** Their orders before the split, oldest first. */
  past: Basket[];
  /** Items of the target order. */
  next: Set<number>;
  /** Items of the target order bought before the split (repeat) and not (explore). */
  repeat: Set<number>;
  explore: Set<number>;
  owned: Set<number>;
}

export interface Split {
  name: string;
  start: number;
  end: number;
  /** Customers with an order before the split: their baskets before it. */
  history: Map<string, Basket[]>;
  cases: Case[];
  /** Orders before the split that contained each item. */
  popularity: Float64Array;
  /** The same over the 30 days before the split (what sells now). */
  recentPopularity: Float64Array;
  /** Orders before the split containing both items: row i, column j at i * n + j. */
  coCounts: Int32Array;
  /** Items never seen before the split have no row. */
  n: number;
}

const DAY_MS = 86_400_000;

export function worldOf(orders: readonly HistoricOrder[]): World {
  const index = new Map<string, number>();
  const skus: string[] = [];
  const names: string[] = [];
  const byCustomer = new Map<string, Basket[]>();
  for (const o of orders) {
    const items = new Set<number>();
    for (const line of o.items) {
      let id = index.get(line.sku);
      if (id === undefined) {
        id = skus.length;
        index.set(line.sku, id);
        skus.push(line.sku);
        names.push(line.name);
      }
      items.add(id);
    }
    const list = byCustomer.get(o.customerId) ?? [];
    list.push({ at: Date.parse(o.at), items: [...items] });
    byCustomer.set(o.customerId, list);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.at - b.at);
  return { skus, names, categories: names.map((n) => keywordCategory(n)), index, byCustomer };
}

export function splitOf(world: World, name: string, start: string, end: string): Split {
  const s = Date.parse(start);
  const e = Date.parse(end);
  const n = world.skus.length;
  const popularity = new Float64Array(n);
  const recentPopularity = new Float64Array(n);
  const coCounts = new Int32Array(n * n);
  const history = new Map<string, Basket[]>();
  const cases: Case[] = [];
  for (const [customerId, baskets] of world.byCustomer) {
    const past = baskets.filter((b) => b.at < s);
    if (!past.length) continue;
    history.set(customerId, past);
    for (const b of past) {
      for (const i of b.items) {
        popularity[i]! += 1;
        if (b.at >= s - 30 * DAY_MS) recentPopularity[i]! += 1;
        const row = i * n;
        for (const j of b.items) if (j !== i) coCounts[row + j]! += 1;
      }
    }
    const target = baskets.find((b) => b.at >= s && b.at < e);
    if (!target) continue;
    const owned = new Set(past.flatMap((b) => b.items));
    const next = new Set(target.items);
    cases.push({
      customerId,
      past,
      next,
      owned,
      repeat: new Set([...next].filter((i) => owned.has(i))),
      explore: new Set([...next].filter((i) => !owned.has(i))),
    });
  }
  return { name, start: s, end: e, history, cases, popularity, recentPopularity, coCounts, n };
}

/** Item ids ranked by a score (higher first, ties by lower popularity rank then id), without `skip`. */
export function topBy(
  scores: ReadonlyMap<number, number>,
  k: number,
  popularity: Float64Array,
  skip?: ReadonlySet<number>,
): number[] {
  return [...scores]
    .filter(([i, v]) => v > 0 && !skip?.has(i))
    .sort((a, b) => b[1] - a[1] || popularity[b[0]]! - popularity[a[0]]! || a[0] - b[0])
    .slice(0, k)
    .map(([i]) => i);
}

/** Fills a list up to k with the most popular items not already in it (nor in `skip`). */
export function fillPopular(
  list: number[],
  k: number,
  byPopularity: readonly number[],
  skip?: ReadonlySet<number>,
): number[] {
  const out = [...list];
  const seen = new Set(out);
  for (const i of byPopularity) {
    if (out.length >= k) break;
    if (!seen.has(i) && !skip?.has(i)) {
      out.push(i);
      seen.add(i);
    }
  }
  return out;
}

/**
 * Scores summed over sparse vectors into one dense buffer, then the top k (higher first, ties by the shop's
 * popularity then id), the buffer cleared for the next customer: the accumulation TIFU-kNN and UP-CF@r share.
 */
export class ScoreBuffer {
  private readonly buffer: Float64Array;
  private readonly touched: number[] = [];

  constructor(private readonly popularity: Float64Array) {
    this.buffer = new Float64Array(popularity.length);
  }

  add(items: ArrayLike<number>, values: ArrayLike<number>, weight: number): void {
    const { buffer, touched } = this;
    for (let j = 0; j < items.length; j++) {
      const i = items[j]!;
      if (buffer[i] === 0) touched.push(i);
      buffer[i]! += weight * values[j]!;
    }
  }

  /** The k best positive scores without `skip`; clears the buffer. */
  take(k: number, skip?: ReadonlySet<number>): number[] {
    const top = topScored(this.touched, this.buffer, this.popularity, k, skip);
    for (const i of this.touched) this.buffer[i] = 0;
    this.touched.length = 0;
    return top;
  }
}

/**
 * The k of `candidates` with the best positive `scores`, without `skip`: higher first, ties by the shop's
 * popularity, then the lower id (a bounded insertion, for thousands of candidates and k of 3 or 5).
 */
export function topScored(
  candidates: Iterable<number>,
  scores: ArrayLike<number>,
  popularity: ArrayLike<number>,
  k: number,
  skip?: ReadonlySet<number>,
): number[] {
  const better = (a: number, b: number) =>
    scores[a]! > scores[b]! ||
    (scores[a] === scores[b] &&
      (popularity[a]! > popularity[b]! || (popularity[a] === popularity[b] && a < b)));
  const top: number[] = [];
  for (const i of candidates) {
    if (!(scores[i]! > 0) || skip?.has(i)) continue;
    let at = top.length;
    while (at > 0 && better(i, top[at - 1]!)) at--;
    if (at < k) {
      top.splice(at, 0, i);
      if (top.length > k) top.pop();
    }
  }
  return top;
}
