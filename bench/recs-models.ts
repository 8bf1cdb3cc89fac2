/**
 * The recommenders compared on the real shop (bench/recs-real.ts), each a function from a case to its top k
 * item ids: the baselines of the next-basket literature (personal and global popularity, item co-occurrence,
 * TIFU-kNN) and the recommender alone as it was before re-orders (functions/domain/recommend.ts). The engine
 * itself is bench/recs-engine.ts.
 */
import { tasteOf } from '../functions/domain/feedback.js';
import { CANDIDATE_LIMITS, candidatePlan, type Product, recommend } from '../functions/domain/recommend.js';
import { type Case, fillPopular, ScoreBuffer, type Split, topBy, type World } from './recs-data.js';

/** A recommender: the case's top-k item indexes (the engine's are async: it reads like Personalize). */
export type Method = (c: Case, k: number) => number[] | Promise<number[]>;

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
  const scores = new ScoreBuffer(ctx.split.popularity);
  // `newOnly`: what the neighbours bought that the customer never did (the customer's own vector holds only
  // owned items, so alpha does not matter then): TIFU-kNN's user-kNN part as an explore recommender.
  return (q: Pick<TifuParams, 'neighbours' | 'alpha'> & { newOnly?: boolean }): Method =>
    (c, k) => {
      const skip = q.newOnly ? c.owned : undefined;
      const self = position.get(c.customerId)!;
      const add = (ui: number, w: number) => scores.add(items[ui]!, values[ui]!, w);
      add(self, q.alpha);
      const nb = neighboursOf(c.customerId).slice(0, q.neighbours);
      for (const ui of nb) add(ui, (1 - q.alpha) / nb.length);
      return fillPopular(scores.take(k, skip), k, ctx.byPopularity, skip);
    };
}

/** TIFU-kNN with one setting; `newOnly`: items the customer never bought alone. */
export function tifuKnn(ctx: Context, p: TifuParams, newOnly = false): Method {
  return tifuModel(ctx, p, p.neighbours)({ ...p, newOnly });
}
