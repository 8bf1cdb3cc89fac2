/**
 * UP-CF@r (Faggioli, Polato, Aiolli, "Recency Aware Collaborative Filtering for Next Basket
 * Recommendation", UMAP 2020), one of the simple baselines Li et al.'s reality check (ACM TOIS 2023) found
 * hard to beat. As the paper defines it:
 * - recency-aware user-wise popularity: p(v, i) = the share of v's last r baskets that contain i
 *   (divided by min(r, |B_v|));
 * - asymmetric cosine between users over the items they ever bought:
 *   sim(u, v) = |N(u) ∩ N(v)| / (|N(u)|^alpha · |N(v)|^(1 - alpha));
 * - score(u, i) = Σ_v sim(u, v)^q · p(v, i) over every user (u itself included, sim 1: its own recent items).
 * `newOnly` leaves out the items the customer owns: what similar customers buy now that this one never did,
 * UP-CF@r as an explore recommender. Settings are chosen on the validation split (bench/recs-real.ts).
 */

import { fillPopular, ScoreBuffer } from './recs-data.js';
import type { Context, Method } from './recs-models.js';
import { grid, score } from './recs-score.js';

export interface UpcfParams {
  /** r: how many of each user's latest baskets their popularity counts (Infinity: all). */
  recency: number;
  /** The asymmetric cosine's alpha. */
  alpha: number;
  /** q: the locality exponent on similarities. */
  locality: number;
}

export const UPCF_GRID = {
  recency: [1, 5, 25, Number.POSITIVE_INFINITY],
  alpha: [0.25, 0.5, 0.75],
  locality: [1, 5, 10],
} as const;

export function upcfModel(ctx: Context) {
  const users = [...ctx.split.history.keys()];
  const position = new Map(users.map((u, i) => [u, i]));
  const ownedOf = users.map((u) =>
    Int32Array.from(new Set(ctx.split.history.get(u)!.flatMap((b) => b.items))),
  );
  const postings = new Map<number, number[]>();
  ownedOf.forEach((items, ui) => {
    for (const i of items) {
      const list = postings.get(i) ?? [];
      list.push(ui);
      postings.set(i, list);
    }
  });
  const popularityBy = new Map<number, { items: Int32Array; values: Float64Array }[]>();
  const popularity = (r: number) => {
    let p = popularityBy.get(r);
    if (!p) {
      p = users.map((u) => {
        const baskets = ctx.split.history.get(u)!;
        const recent = baskets.slice(Math.max(0, baskets.length - r));
        const count = new Map<number, number>();
        for (const b of recent) for (const i of b.items) count.set(i, (count.get(i) ?? 0) + 1);
        return {
          items: Int32Array.from(count.keys()),
          values: Float64Array.from(count.values(), (c) => c / recent.length),
        };
      });
      popularityBy.set(r, p);
    }
    return p;
  };
  // Overlaps |N(u) ∩ N(v)| per query customer, shared by every setting.
  const overlaps = new Map<string, { users: Int32Array; counts: Int32Array }>();
  const overlapOf = (customer: string) => {
    let o = overlaps.get(customer);
    if (!o) {
      const self = position.get(customer)!;
      const dot = new Int32Array(users.length);
      for (const i of ownedOf[self]!) for (const ui of postings.get(i)!) dot[ui]! += 1;
      dot[self] = 0;
      const near = [...dot.keys()].filter((ui) => dot[ui]! > 0);
      o = { users: Int32Array.from(near), counts: Int32Array.from(near, (ui) => dot[ui]!) };
      overlaps.set(customer, o);
    }
    return o;
  };
  const scores = new ScoreBuffer(ctx.split.popularity);
  return (p: UpcfParams & { newOnly?: boolean }): Method =>
    (c, k) => {
      const skip = p.newOnly ? c.owned : undefined;
      const self = position.get(c.customerId)!;
      const recent = popularity(p.recency);
      const add = (ui: number, w: number) => scores.add(recent[ui]!.items, recent[ui]!.values, w);
      if (!p.newOnly) add(self, 1);
      const size = ownedOf[self]!.length;
      const o = overlapOf(c.customerId);
      for (let j = 0; j < o.users.length; j++) {
        const ui = o.users[j]!;
        const sim = o.counts[j]! / (size ** p.alpha * ownedOf[ui]!.length ** (1 - p.alpha));
        add(ui, sim ** p.locality);
      }
      return fillPopular(scores.take(k, skip), k, ctx.byPopularity, skip);
    };
}

/**
 * The UP-CF@r settings with the best validation recall@5 (as TIFU-kNN is tuned), ties to the first;
 * `newOnly`: the best explore hit rate at 5 instead.
 */
export async function tuneUpcf(ctx: Context, newOnly = false): Promise<{ best: UpcfParams; tried: number }> {
  const model = upcfModel(ctx);
  let best: { p: UpcfParams; r: number } | undefined;
  let tried = 0;
  for (const p of grid(UPCF_GRID)) {
    tried++;
    const s = await score(ctx.split.cases, model({ ...p, newOnly }), 5);
    const r = newOnly ? s.exploreHit : s.recall;
    if (!best || r > best.r) best = { p, r };
  }
  return { best: best!.p, tried };
}

export function upcf(ctx: Context, p: UpcfParams, newOnly = false): Method {
  return upcfModel(ctx)({ ...p, newOnly });
}
