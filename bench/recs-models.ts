/**
 * The recommenders compared on the real shop (bench/recs-real.ts), each a function from a case to its top k
 * item ids: the baselines of the next-basket literature (personal and global popularity, item co-occurrence,
 * TIFU-kNN), the engine as it is today (functions/domain/recommend.ts), and buy-again + explore
 * (functions/domain/buy-again.ts).
 */
import {
  type BuyAgainWeights,
  buyAgain,
  type ExploreCandidate,
  type ExploreWeights,
  exploreItems,
  mixSlots,
} from '../functions/domain/buy-again.js';
import { tasteOf } from '../functions/domain/feedback.js';
import { medianGapDays, recentOrderTimes } from '../functions/domain/inactivity.js';
import { historyOf, type PurchaseHistory } from '../functions/domain/purchase-history.js';
import { CANDIDATE_LIMITS, candidatePlan, type Product, recommend } from '../functions/domain/recommend.js';
import { type Case, fillPopular, type Split, topBy, type World } from './recs-data.js';

export type Method = (c: Case, k: number) => number[];

/** Shared per split: popularity order and co-purchase records. */
export interface Context {
  world: World;
  split: Split;
  byPopularity: number[];
  /** Co-purchase counts of an item as the catalogue holds them (sku -> count). */
  coBought: (i: number) => Record<string, number>;
}

export function contextOf(world: World, split: Split): Context {
  const byPopularity = [...split.popularity.keys()]
    .filter((i) => split.popularity[i]! > 0)
    .sort((a, b) => split.popularity[b]! - split.popularity[a]! || a - b);
  const records = new Map<number, Record<string, number>>();
  const coBought = (i: number) => {
    let r = records.get(i);
    if (!r) {
      r = {};
      const row = i * split.n;
      for (let j = 0; j < split.n; j++) {
        const v = split.coCounts[row + j]!;
        if (v) r[world.skus[j]!] = v;
      }
      records.set(i, r);
    }
    return r;
  };
  return { world, split, byPopularity, coBought };
}

/** P-Pop: the customer's own most-bought items (orders containing them), the latest first on ties. */
export function personalPopularity(ctx: Context): Method {
  return (c, k) => {
    const count = new Map<number, number>();
    c.past.forEach((b, t) => {
      for (const i of b.items) count.set(i, (count.get(i) ?? 0) + 1 + t * 1e-6);
    });
    return fillPopular(topBy(count, k, ctx.split.popularity), k, ctx.byPopularity);
  };
}

/** G-Pop: the shop's most ordered items. */
export function globalPopularity(ctx: Context): Method {
  return (_c, k) => ctx.byPopularity.slice(0, k);
}

/**
 * Item co-occurrence from the last basket (the order a thank-you is about): summed co-purchase counts of its
 * items, the basket's own items left out; `newOnly` leaves out everything the customer owns.
 */
export function coOccurrence(ctx: Context, newOnly: boolean): Method {
  const { n, coCounts } = ctx.split;
  return (c, k) => {
    const last = c.past.at(-1)!;
    const skip = newOnly ? c.owned : new Set(last.items);
    const scores = new Map<number, number>();
    for (const i of last.items) {
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const v = coCounts[row + j]!;
        if (v) scores.set(j, (scores.get(j) ?? 0) + v);
      }
    }
    return fillPopular(topBy(scores, k, ctx.split.popularity, skip), k, ctx.byPopularity, skip);
  };
}

/**
 * The engine today, fed what the catalogue and the profile would hold after the training orders: the
 * thank-you for the customer's last order (its items are the seeds), candidates as Personalize reads them
 * (the seeds' strongest partners, the 10 most ordered items of the seeds' and the customer's top
 * categories), category counts per order line, and the last 20 skus bought (`recentPurchases`).
 */
export function engineToday(ctx: Context): Method {
  const { world, split } = ctx;
  const product = (i: number): Product => ({
    sku: world.skus[i]!,
    name: world.names[i]!,
    price: 1,
    category: world.categories[i]!,
    orderCount: split.popularity[i]!,
    coBought: ctx.coBought(i),
  });
  const inCategory = new Map<string, number[]>();
  for (const i of ctx.byPopularity) {
    const list = inCategory.get(world.categories[i]!) ?? [];
    if (list.length < 10) list.push(i);
    inCategory.set(world.categories[i]!, list);
  }
  const taste = tasteOf();
  return (c, k) => {
    const purchasedCategories: Record<string, number> = {};
    let recent: string[] = [];
    for (const b of c.past) {
      const skus = b.items.map((i) => world.skus[i]!);
      for (const i of b.items) {
        const cat = world.categories[i]!;
        purchasedCategories[cat] = (purchasedCategories[cat] ?? 0) + 1;
      }
      recent = [...recent.filter((s) => !skus.includes(s)), ...skus].slice(-20);
    }
    const seeds = c.past.at(-1)!.items.map(product);
    // The plan keeps the 8 strongest partners over all seeds, which are among each seed's own 8 strongest:
    // handing it those alone gives the same plan, without sorting every partner of a 300-line order.
    const plan = candidatePlan({
      seeds: seeds.map((p) => ({ category: p.category, coBought: strongest(p.coBought ?? {}) })),
      purchasedCategories,
      likedCategories: [],
    });
    const candidates = [
      ...plan.partners.map((s) => product(world.index.get(s)!)),
      ...[...new Set(plan.categories)].flatMap((cat) => (inCategory.get(cat) ?? []).map(product)),
    ];
    const picks = recommend({
      seeds,
      candidates,
      taste,
      purchasedCategories,
      recentlyBought: new Set(recent),
      limit: k,
    });
    return picks.map((p) => world.index.get(p.sku)!);
  };
}
const strongestCache = new WeakMap<object, Record<string, number>>();
function strongest(coBought: Record<string, number>): Record<string, number> {
  let top = strongestCache.get(coBought);
  if (!top) {
    top = Object.fromEntries(
      Object.entries(coBought)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, CANDIDATE_LIMITS.partners),
    );
    strongestCache.set(coBought, top);
  }
  return top;
}

/** TIFU-kNN's hyperparameters (Hu et al., SIGIR 2020). */
export interface TifuParams {
  groups: number;
  withinDecay: number;
  groupDecay: number;
  neighbours: number;
  alpha: number;
}

type Sparse = Map<number, number>;

/**
 * TIFU-kNN (Hu, He, Gao, Zhang, SIGIR 2020), as the authors' code computes it: each basket a multi-hot
 * vector scaled by withinDecay^(baskets after it); the history cut into `groups` consecutive groups of
 * (nearly) equal size, the later groups taking the extra basket, each group the mean of its baskets; the
 * user vector the sum of groups scaled by groupDecay^(groups - 1 - g), divided by the number of groups
 * (a user with fewer baskets than groups has one group per basket). Prediction: alpha x the user's vector +
 * (1 - alpha) x the mean vector of the `neighbours` nearest other users (Euclidean).
 */
export function tifuVectors(baskets: ReadonlyMap<string, readonly { items: number[] }[]>, p: TifuParams) {
  const vectors = new Map<string, Sparse>();
  for (const [customer, history] of baskets) vectors.set(customer, tifuVector(history, p));
  return vectors;
}

function tifuVector(history: readonly { items: number[] }[], p: TifuParams): Sparse {
  const nb = history.length;
  const basketVec = (b: number) => p.withinDecay ** (nb - b - 1);
  const groups: number[][] = [];
  if (nb < p.groups) for (let b = 0; b < nb; b++) groups.push([b]);
  else {
    const base = Math.floor(nb / p.groups);
    const extra = nb - base * p.groups;
    let b = 0;
    for (let g = 0; g < p.groups; g++) {
      const size = g < p.groups - extra ? base : base + 1;
      groups.push(Array.from({ length: size }, (_, j) => b + j));
      b += size;
    }
  }
  const v: Sparse = new Map();
  groups.forEach((members, g) => {
    const scale = p.groupDecay ** (p.groups - g - 1) / members.length / groups.length;
    for (const b of members) {
      const value = basketVec(b) * scale;
      for (const i of history[b]!.items) v.set(i, (v.get(i) ?? 0) + value);
    }
  });
  return v;
}

/**
 * The TIFU-kNN recommender over one split's training users (the query user left out of their neighbours).
 * Neighbours are found once per user for the largest count asked, so settings that differ only in
 * `neighbours` or `alpha` share them.
 */
export function tifuModel(ctx: Context, p: Omit<TifuParams, 'neighbours' | 'alpha'>, maxNeighbours = 300) {
  const vectors = tifuVectors(ctx.split.history, { ...p, neighbours: 0, alpha: 0 });
  const users = [...vectors.keys()];
  const position = new Map(users.map((u, i) => [u, i]));
  const items = users.map((u) => Int32Array.from(vectors.get(u)!.keys()));
  const values = users.map((u) => Float64Array.from(vectors.get(u)!.values()));
  const norms = values.map((v) => v.reduce((a, x) => a + x * x, 0));
  const postings = new Map<number, [number, number][]>();
  items.forEach((list, ui) => {
    list.forEach((i, j) => {
      const posting = postings.get(i) ?? [];
      posting.push([ui, values[ui]![j]!]);
      postings.set(i, posting);
    });
  });
  const near = new Map<string, number[]>();
  const neighboursOf = (customer: string): number[] => {
    let list = near.get(customer);
    if (!list) {
      const self = position.get(customer)!;
      const dot = new Float64Array(users.length);
      items[self]!.forEach((i, j) => {
        const x = values[self]![j]!;
        for (const [ui, y] of postings.get(i) ?? []) dot[ui]! += x * y;
      });
      const norm = norms[self]!;
      list = users
        .map((_, ui) => ui)
        .filter((ui) => ui !== self)
        .map((ui) => [ui, norm + norms[ui]! - 2 * dot[ui]!] as const)
        .sort((a, b) => a[1] - b[1] || a[0] - b[0])
        .slice(0, maxNeighbours)
        .map(([ui]) => ui);
      near.set(customer, list);
    }
    return list;
  };
  const buffer = new Float64Array(ctx.split.n);
  const pop = ctx.split.popularity;
  const better = (a: number, b: number) =>
    buffer[a]! > buffer[b]! ||
    (buffer[a] === buffer[b] && (pop[a]! > pop[b]! || (pop[a] === pop[b] && a < b)));
  return (q: Pick<TifuParams, 'neighbours' | 'alpha'>): Method =>
    (c, k) => {
      const self = position.get(c.customerId)!;
      const touched: number[] = [];
      const add = (ui: number, w: number) => {
        const list = items[ui]!;
        const vals = values[ui]!;
        for (let j = 0; j < list.length; j++) {
          const i = list[j]!;
          if (buffer[i] === 0) touched.push(i);
          buffer[i]! += w * vals[j]!;
        }
      };
      add(self, q.alpha);
      const nb = neighboursOf(c.customerId).slice(0, q.neighbours);
      for (const ui of nb) add(ui, (1 - q.alpha) / nb.length);
      const top: number[] = [];
      for (const i of touched) {
        if (!(buffer[i]! > 0)) continue;
        let at = top.length;
        while (at > 0 && better(i, top[at - 1]!)) at--;
        if (at < k) {
          top.splice(at, 0, i);
          if (top.length > k) top.pop();
        }
      }
      for (const i of touched) buffer[i] = 0;
      return fillPopular(top, k, ctx.byPopularity);
    };
}

/** TIFU-kNN with one setting. */
export function tifuKnn(ctx: Context, p: TifuParams): Method {
  return tifuModel(ctx, p, p.neighbours)(p);
}

/** How buy-again and explore are combined into a message's slots. */
export interface MixParams {
  buyAgain: BuyAgainWeights;
  explore: ExploreWeights;
  /** Slots that are always explore. */
  minExplore: number;
  /** A buy-again item takes a slot only from this score on. */
  dueScore: number;
}

/** The explore picker's candidates and seeds for a case, as Personalize would read them (bounded). */
const inputCache = new WeakMap<object, Map<Case, ReturnType<typeof exploreInputs>>>();
function exploreInputs(ctx: Context, c: Case, mix: MixParams) {
  const { world, split } = ctx;
  const now = new Date(c.past.at(-1)!.at);
  const again = buyAgain({ ...historyInput(ctx, c), now, limit: 10, weights: mix.buyAgain });
  const seeds = new Map(
    again.map((s) => [s.sku, { weight: s.score, coBought: ctx.coBought(world.index.get(s.sku)!) }]),
  );
  const categoryCounts: Record<string, number> = {};
  for (const b of c.past)
    for (const i of b.items)
      categoryCounts[world.categories[i]!] = (categoryCounts[world.categories[i]!] ?? 0) + 1;
  const topCategories = Object.entries(categoryCounts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([cat]) => cat);
  const ids = new Set<number>();
  for (const { coBought } of seeds.values())
    for (const sku of Object.keys(coBought)) ids.add(world.index.get(sku)!);
  for (const i of ctx.byPopularity) if (topCategories.includes(world.categories[i]!)) ids.add(i);
  for (const i of recentOrder(ctx).slice(0, 50)) ids.add(i);
  const candidates: ExploreCandidate[] = [...ids].map((i) => ({
    sku: world.skus[i]!,
    category: world.categories[i]!,
    orderCount: split.recentPopularity[i]!,
  }));
  const owned = new Set([...c.owned].map((i) => world.skus[i]!));
  return { again: again.slice(0, 5), owned, seeds, candidates, categoryCounts };
}

function exploreFor(ctx: Context, c: Case, weights: ExploreWeights, mix: MixParams, limit: number) {
  let byCase = inputCache.get(mix.buyAgain);
  if (!byCase) {
    byCase = new Map();
    inputCache.set(mix.buyAgain, byCase);
  }
  let input = byCase.get(c);
  if (!input) {
    input = exploreInputs(ctx, c, mix);
    byCase.set(c, input);
  }
  const { again, ...rest } = input;
  return { again, explore: exploreItems({ ...rest, limit, weights }) };
}

const recentCache = new WeakMap<Context, number[]>();
function recentOrder(ctx: Context): number[] {
  let order = recentCache.get(ctx);
  if (!order) {
    const r = ctx.split.recentPopularity;
    order = [...r.keys()].filter((i) => r[i]! > 0).sort((a, b) => r[b]! - r[a]! || a - b);
    recentCache.set(ctx, order);
  }
  return order;
}

/** What the profile holds after the case's past orders: the bounded history and the median order gap. */
const historyCache = new WeakMap<Case, { history: PurchaseHistory; orderGapDays?: number }>();
function historyInput(ctx: Context, c: Case): { history: PurchaseHistory; orderGapDays?: number } {
  let input = historyCache.get(c);
  if (!input) {
    const history = historyOf(
      c.past.map((b) => ({ at: new Date(b.at).toISOString(), skus: b.items.map((i) => ctx.world.skus[i]!) })),
    );
    const gap = medianGapDays(recentTimes(c.past.map((b) => new Date(b.at).toISOString())));
    input = gap === undefined ? { history } : { history, orderGapDays: gap };
    historyCache.set(c, input);
  }
  return input;
}

function recentTimes(times: readonly string[]): string[] {
  let kept: string[] = [];
  for (const t of times) kept = recentOrderTimes(kept, t);
  return kept;
}

/** Buy-again only (every slot a re-order). */
export function buyAgainOnly(ctx: Context, mix: MixParams): Method {
  return (c, k) => {
    const picks = buyAgain({
      ...historyInput(ctx, c),
      now: new Date(c.past.at(-1)!.at),
      limit: k,
      weights: mix.buyAgain,
    });
    return fillPopular(
      picks.map((p) => ctx.world.index.get(p.sku)!),
      k,
      ctx.byPopularity,
    );
  };
}

/** The buy-again and explore lists of a case (5 each), kept per weights: mixes differ only in the slots. */
const listCache = new WeakMap<object, Map<Case, ReturnType<typeof exploreFor>>>();
function listsFor(ctx: Context, c: Case, mix: MixParams) {
  let byCase = listCache.get(mix.explore);
  if (!byCase) {
    byCase = new Map();
    listCache.set(mix.explore, byCase);
  }
  let lists = byCase.get(c);
  if (!lists) {
    lists = exploreFor(ctx, c, mix.explore, mix, 5);
    byCase.set(c, lists);
  }
  return lists;
}

/** Explore only (never an owned item). */
export function exploreOnly(ctx: Context, mix: MixParams): Method {
  return (c, k) =>
    listsFor(ctx, c, mix)
      .explore.slice(0, k)
      .map((p) => ctx.world.index.get(p.sku)!);
}

/** Buy-again slots where an item is due, explore for the rest. */
export function buyAgainAndExplore(ctx: Context, mix: MixParams): Method {
  return (c, k) => {
    const { again, explore } = listsFor(ctx, c, mix);
    return mixSlots(again, explore, { total: k, minExplore: mix.minExplore, dueScore: mix.dueScore }).map(
      (s) => ctx.world.index.get(s.sku)!,
    );
  };
}
